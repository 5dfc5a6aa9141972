"""The ``/graphql`` endpoint, as the GraphQL over HTTP specification describes it.

- ``POST`` with ``Content-Type: application/json`` runs queries and mutations; ``GET``
  with ``?query=`` runs queries only (a mutation over GET is ``405``). How requests are
  read, limited and defended against CSRF is in :mod:`hub.http.reading`.
- The caller is identified by its bearer token (:mod:`hub.http.auth`) and held to its
  rate limit: ``429`` with ``Retry-After`` and ``extensions.code: RATE_LIMITED``.
- The response is ``application/graphql-response+json`` when the client accepts it
  (``*/*`` included), else ``application/json``; ``406`` when it accepts neither.
- With ``application/graphql-response+json``, a request that fails before execution
  (unparseable JSON, a bad document, wrong variables) is ``400`` and has no ``data``;
  with ``application/json`` such a request is ``200``, as the specification asks.
- ``GET`` from a browser without a query serves GraphiQL, when enabled.
- With a response cache (:mod:`hub.cache.responses`), a single operation sent without
  a token is first looked up there: a kept response is sent as the bytes it was sent
  with before, and a fresh answer is kept when its ledger allows. The header
  ``X-Hub-Cache`` says ``hit``, ``miss`` or, for requests that may not use the cache
  (a token, a batch), ``bypass``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.exceptions import MissingQueryError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from hub.cache import AnswerLedger, ResponseCache, recording
from hub.http.rates import charge, too_costly
from hub.http.reading import (
    GraphQLParams,
    RequestError,
    RequestLimits,
    read_request,
)
from hub.http.uploads import close_uploads
from hub.identity import ANONYMOUS, Caller
from hub.observability.metrics import HubMetrics
from hub.ratelimit import RateLimiter
from hub.schema import HubContext, HubSchema

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
SUPPORTED_MEDIA_TYPES = (GRAPHQL_RESPONSE_JSON, JSON)
CACHE_HEADER = "X-Hub-Cache"


class GraphQLEndpoint:
    """ASGI application serving the schema over HTTP."""

    def __init__(
        self,
        schema: HubSchema,
        context: Callable[[Request, Caller], HubContext],
        *,
        authenticate: Callable[[Request], Awaitable[Caller]],
        graphiql: bool,
        limits: RequestLimits | None = None,
        rate_limiter: RateLimiter | None = None,
        metrics: HubMetrics | None = None,
        responses: ResponseCache | None = None,
    ) -> None:
        self.schema = schema
        self.context = context
        self.authenticate = authenticate
        self.graphiql = graphiql
        self.limits = limits or RequestLimits()
        self.rate_limiter = rate_limiter
        self.metrics = metrics
        self.responses = responses
        self._bypass = {CACHE_HEADER: "bypass"} if responses is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            response = await self.handle(Request(scope, receive))
            await response(scope, receive, send)
        finally:
            close_uploads(scope)

    async def handle(self, request: Request) -> Response:
        """Answer one HTTP request."""
        accept = request.headers.get("accept")
        if self._wants_graphiql(request, accept):
            return HTMLResponse(get_graphql_ide_html("graphiql"))
        media_type = negotiate(accept)
        if media_type is None:
            return _error_response(
                RequestError(406, f"cannot answer in any of {accept!r}; accept {JSON}"), JSON
            )
        started = time.perf_counter()
        operation: str | None = None
        try:
            caller = await self.authenticate(request)
            # A body is read only within budget: one operation's worth is taken first.
            budget = await self._check_rate(request, caller, 1) if request.method == "POST" else 0
            graphql_request = await read_request(request, self.limits)
            operations = graphql_request.operations
            operation = operations[0].operation_name if len(operations) == 1 else "batch"
            if budget and len(operations) > budget:
                raise too_costly(len(operations), budget)
            await self._check_rate(request, caller, len(operations) - (1 if budget else 0))
            if self.responses is not None and caller == ANONYMOUS and not graphql_request.batched:
                return await self._answer_anonymous(
                    request, operations[0], media_type, self.responses, started
                )
            results = await asyncio.gather(
                *(self._execute(request, caller, params) for params in operations),
                return_exceptions=True,
            )
        except RequestError as exc:
            self._observe(operation, "error", started)
            return _error_response(exc, media_type)
        self._count_response("bypass")
        if graphql_request.batched:
            self._observe(operation, _batch_outcome(results), started)
            return _batch_response(results, media_type, self._bypass)
        result = results[0]
        if isinstance(result, RequestError):
            self._observe(operation, "error", started)
            return _error_response(result, media_type)
        if isinstance(result, BaseException):
            raise result
        self._observe(operation, _outcome(result), started)
        return _result_response(result, media_type, self._bypass)

    async def _answer_anonymous(
        self,
        request: Request,
        params: GraphQLParams,
        media_type: str,
        responses: ResponseCache,
        started: float,
    ) -> Response:
        """Answer one anonymous operation from the response cache, or afresh, keeping the
        fresh answer when its ledger allows. Variables that are not JSON (uploaded files)
        bypass the cache."""
        key = responses.key(params.query, params.operation_name, params.variables)
        lookup = await responses.lookup(key) if key is not None else None
        if lookup is not None and lookup.body is not None:
            self._observe(params.operation_name, "ok", started)
            self._count_response("hit")
            return _bytes_response(lookup.body, 200, media_type, {CACHE_HEADER: "hit"})
        ledger = AnswerLedger()
        with recording(ledger):
            result = await self._execute(request, ANONYMOUS, params)
        self._observe(params.operation_name, _outcome(result), started)
        body = _result_body(result)
        payload = orjson.dumps(body)
        status = _result_status(result, media_type)
        kept = (
            lookup is not None
            and status == 200
            and body.keys() == {"data"}
            and await responses.keep(lookup, payload, ledger)
        )
        outcome = "miss" if lookup is not None else "bypass"
        self._count_response(outcome, kept=kept)
        return _bytes_response(payload, status, media_type, {CACHE_HEADER: outcome})

    def _count_response(self, result: str, *, kept: bool = False) -> None:
        if self.metrics is not None and self.responses is not None:
            self.metrics.observe_response_cache(result, kept=kept)

    async def _check_rate(self, request: Request, caller: Caller, cost: int) -> int:
        """Charge ``cost`` to the caller's budget; the whole budget, or 0 when nothing
        was charged (no limits, or no cost)."""
        if self.rate_limiter is None or cost <= 0:
            return 0
        return await charge(self.rate_limiter, request, caller, cost)

    def _observe(self, operation: str | None, outcome: str, started: float) -> None:
        if self.metrics is not None:
            self.metrics.observe_request(operation, outcome, time.perf_counter() - started)

    def _wants_graphiql(self, request: Request, accept: str | None) -> bool:
        return (
            self.graphiql
            and request.method == "GET"
            and "query" not in request.query_params
            and "text/html" in (accept or "")
        )

    async def _execute(
        self, request: Request, caller: Caller, params: GraphQLParams
    ) -> ExecutionResult:
        allowed = {OperationType.QUERY}
        if request.method == "POST":
            allowed.add(OperationType.MUTATION)
        try:
            return await self.schema.execute(
                params.query,
                variable_values=params.variables,
                context_value=self.context(request, caller),
                operation_name=params.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=params.extensions,
            )
        except InvalidOperationTypeError as exc:
            raise RequestError(
                405,
                f"{exc.operation_type.value} operations need POST; GET runs queries only",
                {"Allow": "POST"},
            ) from None
        except CannotGetOperationTypeError as exc:
            raise RequestError(400, exc.as_http_error_reason()) from None
        except MissingQueryError:
            raise RequestError(400, "no GraphQL query in the request") from None


def negotiate(accept: str | None) -> str | None:
    """The media type to answer in, from an ``Accept`` header; ``None`` if none fits."""
    if not accept:
        return JSON
    best: tuple[float, int, str] | None = None
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media_range, q = fields[0].lower(), 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        for preference, media_type in enumerate(SUPPORTED_MEDIA_TYPES):
            if q > 0 and media_range in (media_type, "*/*", "application/*"):
                candidate = (q, -preference, media_type)
                best = candidate if best is None or candidate > best else best
    return best[2] if best else None


def _outcome(result: ExecutionResult) -> str:
    return "ok" if not result.errors else "partial" if result.data else "error"


def _batch_outcome(results: list[ExecutionResult | BaseException]) -> str:
    outcomes = {_outcome(r) if isinstance(r, ExecutionResult) else "error" for r in results}
    return outcomes.pop() if len(outcomes) == 1 else "partial"


def _is_request_error(result: ExecutionResult) -> bool:
    """Whether execution never started: no data, and no error belongs to a field."""
    errors: list[GraphQLError] = result.errors or []
    return result.data is None and bool(errors) and all(not e.path for e in errors)


def _result_body(result: ExecutionResult) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if not _is_request_error(result):
        body["data"] = result.data
    if result.errors:
        body["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        body["extensions"] = result.extensions
    return body


def _result_status(result: ExecutionResult, media_type: str) -> int:
    return 400 if _is_request_error(result) and media_type == GRAPHQL_RESPONSE_JSON else 200


def _result_response(
    result: ExecutionResult, media_type: str, headers: Mapping[str, str] | None = None
) -> Response:
    return _json_response(
        _result_body(result), _result_status(result, media_type), media_type, headers
    )


def _batch_response(
    results: list[ExecutionResult | BaseException],
    media_type: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    bodies: list[dict[str, Any]] = []
    for result in results:
        if isinstance(result, RequestError):
            bodies.append(_error_body(result))
        elif isinstance(result, ExecutionResult):
            bodies.append(_result_body(result))
        else:
            raise result
    return _json_response(bodies, 200, media_type, headers)


def _error_body(error: RequestError) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": error.code}
    if "Retry-After" in error.headers:
        extensions["retryAfter"] = int(error.headers["Retry-After"])
    return {"errors": [{"message": error.message, "extensions": extensions}]}


def _error_response(error: RequestError, media_type: str) -> Response:
    return _json_response(_error_body(error), error.status, media_type, error.headers)


def _json_response(
    body: Any, status: int, media_type: str, headers: Mapping[str, str] | None = None
) -> Response:
    return _bytes_response(orjson.dumps(body), status, media_type, headers)


def _bytes_response(
    content: bytes, status: int, media_type: str, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        content, status_code=status, media_type=f"{media_type}; charset=utf-8", headers=headers
    )


__all__ = ["GraphQLEndpoint", "negotiate"]
