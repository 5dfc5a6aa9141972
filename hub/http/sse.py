"""GraphQL over Server-Sent Events, for clients that cannot open a WebSocket: the
"distinct connections" mode of the GraphQL over SSE protocol
(https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md).

One request runs one operation: ``GET /graphql/stream?query=…`` (what ``EventSource``
can send; queries and subscriptions) or ``POST`` with a JSON body (any operation, with
``Authorization: Bearer …``). The answer is ``text/event-stream``: an ``event: next``
per result, then ``event: complete``. Errors of the document or variables come as one
``next`` with ``errors``; a malformed request is an HTTP error before the stream starts.
A comment line every :data:`KEEP_ALIVE` seconds keeps idle proxies from closing it.
Closing the connection ends the operation; so does the bearer token's expiry (a last
``next`` says ``UNAUTHENTICATED``). Each request costs one unit of the caller's rate
budget, as over HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable

import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from hub.http.auth import bearer_token
from hub.http.rates import charge
from hub.http.reading import RequestError, RequestLimits, read_request
from hub.http.streaming import ContextFactory, expires_at, result_payload, run_operation
from hub.identity import Caller
from hub.ratelimit import RateLimiter
from hub.schema import HubSchema

EVENT_STREAM = "text/event-stream"
KEEP_ALIVE = 15.0
"""Seconds between keep-alive comments on an idle stream."""


class GraphQLEventStream:
    """ASGI application streaming one operation's results as Server-Sent Events."""

    def __init__(
        self,
        schema: HubSchema,
        context: ContextFactory,
        *,
        authenticate: Callable[[Request], Awaitable[Caller]],
        limits: RequestLimits | None = None,
        keep_alive: float = KEEP_ALIVE,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        self.schema = schema
        self.context = context
        self.authenticate = authenticate
        self.limits = limits or RequestLimits()
        self.keep_alive = keep_alive
        self.rate_limiter = rate_limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        """Check the request, then stream its operation's results."""
        if EVENT_STREAM not in request.headers.get(
            "accept", ""
        ) and "*/*" not in request.headers.get("accept", ""):
            return _refusal(
                RequestError(406, f"this endpoint answers in {EVENT_STREAM}; accept it")
            )
        try:
            caller = await self.authenticate(request)
            if self.rate_limiter is not None:
                await charge(self.rate_limiter, request, caller, 1)
            graphql_request = await read_request(request, self.limits)
        except RequestError as exc:
            return _refusal(exc)
        if graphql_request.batched:
            return _refusal(
                RequestError(400, "a stream runs one operation; send an object, not a list")
            )
        allowed = [OperationType.QUERY, OperationType.SUBSCRIPTION]
        if request.method == "POST":
            allowed.append(OperationType.MUTATION)
        results = run_operation(
            self.schema,
            self.context(request, caller),
            graphql_request.operations[0],
            tuple(allowed),
        )
        return StreamingResponse(
            self._events(results, _token_expiry(request, caller)),
            media_type=EVENT_STREAM,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    async def _events(
        self, results: AsyncGenerator[ExecutionResult, None], expiry: float | None
    ) -> AsyncIterator[bytes]:
        pending: asyncio.Task[ExecutionResult] | None = None
        try:
            while True:
                if pending is None:
                    pending = asyncio.ensure_future(anext(results))
                wait = self.keep_alive
                if expiry is not None:
                    wait = min(wait, max(0.0, expiry - time.time()))
                done, _ = await asyncio.wait({pending}, timeout=wait)
                if not done and expiry is not None and time.time() >= expiry:
                    yield b"event: next\ndata: " + orjson.dumps(_EXPIRED) + b"\n\n"
                    break
                if not done:
                    yield b": keep-alive\n\n"
                    continue
                try:
                    result = pending.result()
                except StopAsyncIteration:
                    break
                finally:
                    pending = None
                yield b"event: next\ndata: " + orjson.dumps(result_payload(result)) + b"\n\n"
            yield b"event: complete\ndata: \n\n"
        finally:
            if pending is not None:
                pending.cancel()
                with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                    await pending
            with contextlib.suppress(Exception):
                await results.aclose()


_EXPIRED = {
    "data": None,
    "errors": [
        {
            "message": "the token expired; subscribe again with a fresh token",
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    ],
}


def _token_expiry(request: Request, caller: Caller) -> float | None:
    """When the verified bearer token of ``request`` expires (its ``exp``); the stream
    ends then, as a WebSocket closes."""
    if not caller.is_authenticated:
        return None
    token = bearer_token(request.headers.get("authorization", ""))
    return expires_at(token) if token else None


def _refusal(error: RequestError) -> Response:
    body = {"errors": [{"message": error.message, "extensions": {"code": error.code}}]}
    return Response(
        orjson.dumps(body),
        status_code=error.status,
        media_type="application/json",
        headers=error.headers,
    )


__all__ = ["EVENT_STREAM", "GraphQLEventStream"]
