"""The ``/graphql`` endpoint, as the GraphQL over HTTP specification describes it.

- ``POST`` with ``Content-Type: application/json`` runs queries and mutations; ``GET``
  with ``?query=`` runs queries only (a mutation over GET is ``405``).
- The response is ``application/graphql-response+json`` when the client accepts it
  (``*/*`` included), else ``application/json``; ``406`` when it accepts neither.
- With ``application/graphql-response+json``, a request that fails before execution
  (unparseable JSON, a bad document, wrong variables) is ``400`` and has no ``data``;
  with ``application/json`` such a request is ``200``, as the specification asks.
- ``GET`` from a browser without a query serves GraphiQL, when enabled.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.exceptions import MissingQueryError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from hub.observability.metrics import HubMetrics
from hub.schema import HubContext, HubSchema

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
SUPPORTED_MEDIA_TYPES = (GRAPHQL_RESPONSE_JSON, JSON)


class RequestError(Exception):
    """The HTTP request is not a well-formed GraphQL request."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


@dataclass(frozen=True, slots=True)
class GraphQLParams:
    """The parameters of one GraphQL request."""

    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None


class GraphQLEndpoint:
    """ASGI application serving the schema over HTTP."""

    def __init__(
        self,
        schema: HubSchema,
        context: Callable[[Request], HubContext],
        *,
        graphiql: bool,
        metrics: HubMetrics | None = None,
    ) -> None:
        self.schema = schema
        self.context = context
        self.graphiql = graphiql
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

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
            params = await read_params(request)
            operation = params.operation_name
            result = await self._execute(request, params)
        except RequestError as exc:
            self._observe(operation, "error", started)
            return _error_response(exc, media_type)
        outcome = "ok" if not result.errors else "partial" if result.data else "error"
        self._observe(operation, outcome, started)
        return _result_response(result, media_type)

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

    async def _execute(self, request: Request, params: GraphQLParams) -> ExecutionResult:
        allowed = {OperationType.QUERY}
        if request.method == "POST":
            allowed.add(OperationType.MUTATION)
        try:
            return await self.schema.execute(
                params.query,
                variable_values=params.variables,
                context_value=self.context(request),
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


async def read_params(request: Request) -> GraphQLParams:
    """The GraphQL parameters of ``request``; :class:`RequestError` if malformed."""
    if request.method == "GET":
        query_params = request.query_params
        data: Any = {
            "query": query_params.get("query"),
            "operationName": query_params.get("operationName"),
            "variables": _json_param(query_params.get("variables"), "variables"),
            "extensions": _json_param(query_params.get("extensions"), "extensions"),
        }
    elif request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != JSON:
            raise RequestError(
                415, f"POST bodies must be {JSON}, got {content_type or 'no content type'!r}"
            )
        try:
            data = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise RequestError(400, "the request body is not valid JSON") from None
    else:
        raise RequestError(405, "GraphQL requests use GET or POST", {"Allow": "GET, POST"})
    if isinstance(data, list):
        raise RequestError(400, "batched requests are not supported; send one operation")
    if not isinstance(data, dict):
        raise RequestError(400, "the request body must be a JSON object with a 'query'")
    return _params_of(data)


def _params_of(data: dict[str, Any]) -> GraphQLParams:
    query, variables = data.get("query"), data.get("variables")
    operation_name, extensions = data.get("operationName"), data.get("extensions")
    if not isinstance(query, str) or not query.strip():
        raise RequestError(400, "'query' must be a non-empty string holding a GraphQL document")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(400, "'variables' must be a JSON object or null")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "'operationName' must be a string or null")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError(400, "'extensions' must be a JSON object or null")
    return GraphQLParams(query, variables, operation_name, extensions)


def _json_param(raw: str | None, name: str) -> Any:
    if raw is None or raw == "":
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise RequestError(400, f"the {name!r} parameter is not valid JSON") from None


def _is_request_error(result: ExecutionResult) -> bool:
    """Whether execution never started: no data, and no error belongs to a field."""
    errors: list[GraphQLError] = result.errors or []
    return result.data is None and bool(errors) and all(not e.path for e in errors)


def _result_response(result: ExecutionResult, media_type: str) -> Response:
    body: dict[str, Any] = {}
    request_error = _is_request_error(result)
    if not request_error:
        body["data"] = result.data
    if result.errors:
        body["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        body["extensions"] = result.extensions
    status = 400 if request_error and media_type == GRAPHQL_RESPONSE_JSON else 200
    return _json_response(body, status, media_type)


HTTP_ERROR_CODES = {
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def _error_response(error: RequestError, media_type: str) -> Response:
    code = HTTP_ERROR_CODES.get(error.status, "BAD_REQUEST")
    body = {"errors": [{"message": error.message, "extensions": {"code": code}}]}
    return _json_response(body, error.status, media_type, error.headers)


def _json_response(
    body: Any, status: int, media_type: str, headers: Mapping[str, str] | None = None
) -> Response:
    content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(
        content, status_code=status, media_type=f"{media_type}; charset=utf-8", headers=headers
    )


__all__ = ["GraphQLEndpoint", "GraphQLParams", "RequestError", "negotiate", "read_params"]
