"""GraphQL over Server-Sent Events, for clients that cannot open a WebSocket: the
"distinct connections" mode of the GraphQL over SSE protocol
(https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md).

One request runs one operation: ``GET /graphql/stream?query=…`` (what ``EventSource``
can send; queries and subscriptions) or ``POST`` with a JSON body (any operation, with
``Authorization: Bearer …``). The answer is ``text/event-stream``: an ``event: next``
per result, then ``event: complete``. Errors of the document or variables come as one
``next`` with ``errors``; a malformed request is an HTTP error before the stream starts.
A comment line every :data:`KEEP_ALIVE` seconds keeps idle proxies from closing it.
Closing the connection ends the operation.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable

import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from hub.http.reading import RequestError, RequestLimits, read_request
from hub.http.streaming import ContextFactory, result_payload, run_operation
from hub.identity import Caller
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
    ) -> None:
        self.schema = schema
        self.context = context
        self.authenticate = authenticate
        self.limits = limits or RequestLimits()
        self.keep_alive = keep_alive

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
            self._events(results),
            media_type=EVENT_STREAM,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    async def _events(self, results: AsyncGenerator[ExecutionResult, None]) -> AsyncIterator[bytes]:
        pending: asyncio.Task[ExecutionResult] | None = None
        try:
            while True:
                if pending is None:
                    pending = asyncio.ensure_future(anext(results))
                done, _ = await asyncio.wait({pending}, timeout=self.keep_alive)
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


def _refusal(error: RequestError) -> Response:
    body = {"errors": [{"message": error.message, "extensions": {"code": error.code}}]}
    return Response(
        orjson.dumps(body),
        status_code=error.status,
        media_type="application/json",
        headers=error.headers,
    )


__all__ = ["EVENT_STREAM", "GraphQLEventStream"]
