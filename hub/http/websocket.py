"""GraphQL over WebSocket, the ``graphql-transport-ws`` protocol
(https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md).

The client sends ``connection_init`` within the init timeout, with its bearer token in
the payload (``{"authorization": "Bearer …"}``); the hub answers ``connection_ack``, or
closes with ``4403`` for a bad token. Then each ``subscribe`` runs one operation —
subscriptions stream ``next`` messages until ``complete`` — with the same rights as
over HTTP. Violations close the socket with the protocol's codes: ``4400`` an invalid
message, ``4401`` subscribe before ack, ``4408`` no init in time, ``4409`` a repeated
id, ``4429`` a second init. The socket closes with ``4403`` when the token expires.

Every operation runs in its own task, and leaving (either side) cancels them all, so a
closed connection leaves nothing behind. Each operation costs one unit of the caller's
rate budget, as a request over HTTP does; a spent budget is an ``error`` message with
``RATE_LIMITED`` and ``retryAfter``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from hub.http.rates import charge
from hub.http.reading import GraphQLParams, RequestError, params_of
from hub.http.streaming import (
    ContextFactory,
    TokenAuthenticator,
    expires_at,
    result_payload,
    run_operation,
    token_of,
)
from hub.identity import Caller
from hub.identity.tokens import TokenRejected
from hub.ratelimit import RateLimiter
from hub.schema import HubSchema

log = logging.getLogger(__name__)

PROTOCOL = "graphql-transport-ws"
ALL_OPERATIONS = (OperationType.QUERY, OperationType.MUTATION, OperationType.SUBSCRIPTION)


@dataclass(frozen=True, slots=True)
class WebSocketLimits:
    """How long a client may take to say hello, and how much it may ask at once."""

    init_timeout: float = 10.0
    max_subscriptions: int = 50


class Close(Exception):
    """End the connection with a protocol close code."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason[:120]  # a close frame holds at most 123 bytes of reason


class GraphQLWebSocket:
    """ASGI application serving the schema over ``graphql-transport-ws``."""

    def __init__(
        self,
        schema: HubSchema,
        context: ContextFactory,
        authenticator: TokenAuthenticator,
        limits: WebSocketLimits | None = None,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        self.schema = schema
        self.context = context
        self.authenticator = authenticator
        self.limits = limits or WebSocketLimits()
        self.rate_limiter = rate_limiter
        self.open_connections = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        if PROTOCOL not in websocket.scope.get("subprotocols", []):
            await websocket.accept()
            await websocket.close(4406, f"Subprotocol not acceptable; use {PROTOCOL}")
            return
        await websocket.accept(subprotocol=PROTOCOL)
        self.open_connections += 1
        try:
            await _Connection(self, websocket).serve()
        finally:
            self.open_connections -= 1


class _Connection:
    def __init__(self, endpoint: GraphQLWebSocket, websocket: WebSocket) -> None:
        self.endpoint = endpoint
        self.websocket = websocket
        self.caller: Caller | None = None
        self.operations: dict[str, asyncio.Task[None]] = {}
        self.sending = asyncio.Lock()
        self.deadline: asyncio.Task[None] | None = None

    async def serve(self) -> None:
        self.deadline = asyncio.create_task(
            self._close_after(
                self.endpoint.limits.init_timeout, 4408, "Connection initialisation timeout"
            )
        )
        try:
            while True:
                try:
                    text = await self.websocket.receive_text()
                except WebSocketDisconnect:
                    return
                except KeyError:
                    raise Close(4400, "Invalid message received: send text frames") from None
                except RuntimeError:  # closed by the hub (a deadline) while waiting
                    return
                try:
                    await self._handle(text)
                except (RuntimeError, OSError):  # an answer to a socket closed meanwhile
                    return
        except Close as close:
            await self._close(close.code, close.reason)
        finally:
            await self._end_all()

    async def _handle(self, text: str) -> None:
        try:
            message = orjson.loads(text)
        except orjson.JSONDecodeError:
            raise Close(4400, "Invalid message received: not JSON") from None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            raise Close(4400, "Invalid message received: an object with a 'type' is expected")
        kind = message["type"]
        if kind == "connection_init":
            await self._init(message.get("payload"))
        elif kind == "ping":
            await self._send({"type": "pong"})
        elif kind == "pong":
            return
        elif kind == "subscribe":
            await self._subscribe(message)
        elif kind == "complete":
            task = self.operations.pop(_id_of(message), None)
            if task is not None:
                task.cancel()
        else:
            raise Close(4400, f"Invalid message received: unknown type {kind!r}")

    async def _init(self, payload: object) -> None:
        if self.caller is not None:
            raise Close(4429, "Too many initialisation requests")
        try:
            token = token_of(payload)
            self.caller = await self.endpoint.authenticator.caller(token)
        except TokenRejected as exc:
            raise Close(4403, f"Forbidden: the token was refused: {exc}") from None
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None
        if token is not None and (expiry := expires_at(token)) is not None:
            self.deadline = asyncio.create_task(
                self._close_after(expiry - time.time(), 4403, "Forbidden: the token expired")
            )
        await self._send({"type": "connection_ack"})

    async def _subscribe(self, message: dict[str, Any]) -> None:
        if self.caller is None:
            raise Close(4401, "Unauthorized: send connection_init first")
        operation_id = _id_of(message)
        if operation_id in self.operations:
            raise Close(4409, f"Subscriber for {operation_id} already exists")
        try:
            params = params_of(message.get("payload"))
        except RequestError as exc:
            raise Close(4400, f"Invalid message received: {exc.message}") from None
        if len(self.operations) >= self.endpoint.limits.max_subscriptions:
            await self._send(
                {
                    "type": "error",
                    "id": operation_id,
                    "payload": [
                        {
                            "message": f"a connection may hold "
                            f"{self.endpoint.limits.max_subscriptions} operations at once; "
                            "complete one first, or open another connection",
                            "extensions": {"code": "TOO_MANY_SUBSCRIPTIONS"},
                        }
                    ],
                }
            )
            return
        self.operations[operation_id] = asyncio.create_task(
            self._operate(operation_id, params, self.caller), name=f"ws-operation-{operation_id}"
        )

    async def _operate(self, operation_id: str, params: GraphQLParams, caller: Caller) -> None:
        context = self.endpoint.context(self.websocket, caller)
        try:
            if self.endpoint.rate_limiter is not None:
                try:
                    await charge(self.endpoint.rate_limiter, self.websocket, caller, 1)
                except RequestError as refused:
                    extensions: dict[str, Any] = {"code": refused.code}
                    if "Retry-After" in refused.headers:
                        extensions["retryAfter"] = int(refused.headers["Retry-After"])
                    error = {"message": refused.message, "extensions": extensions}
                    await self._send({"type": "error", "id": operation_id, "payload": [error]})
                    return
            async for result in run_operation(
                self.endpoint.schema, context, params, ALL_OPERATIONS
            ):
                if isinstance(result, PreExecutionError):
                    errors = [error.formatted for error in result.errors or []]
                    await self._send({"type": "error", "id": operation_id, "payload": errors})
                    return
                await self._send(
                    {"type": "next", "id": operation_id, "payload": result_payload(result)}
                )
            await self._send({"type": "complete", "id": operation_id})
        except (WebSocketDisconnect, RuntimeError, OSError):
            return
        finally:
            if self.operations.get(operation_id) is asyncio.current_task():
                del self.operations[operation_id]

    async def _send(self, message: dict[str, Any]) -> None:
        async with self.sending:
            await self.websocket.send_text(orjson.dumps(message).decode())

    async def _close_after(self, seconds: float, code: int, reason: str) -> None:
        await asyncio.sleep(max(0.0, seconds))
        await self._end_all()
        await self._close(code, reason)

    async def _close(self, code: int, reason: str) -> None:
        if self.websocket.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(RuntimeError, OSError):
                await self.websocket.close(code, reason)

    async def _end_all(self) -> None:
        current = asyncio.current_task()
        tasks = [
            t
            for t in (*self.operations.values(), self.deadline)
            if t is not None and t is not current
        ]
        self.operations.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def _id_of(message: dict[str, Any]) -> str:
    operation_id = message.get("id")
    if not isinstance(operation_id, str) or not operation_id:
        raise Close(4400, "Invalid message received: 'id' must be a non-empty string")
    return operation_id


__all__ = ["PROTOCOL", "GraphQLWebSocket", "WebSocketLimits"]
