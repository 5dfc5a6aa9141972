"""The request id: one id per HTTP request, in the logs, the response and the agency calls.

:class:`RequestIdMiddleware` takes a caller's ``X-Request-Id`` when it is sane (1-64
characters of ``A-Z a-z 0-9 . _ -``), else makes a new one, and holds it in a
``ContextVar`` for the request: :func:`current_request_id` reads it, the log
formatters write it, and :func:`forward_request_id`, an httpx request hook, sends it
on to the agencies. Work outside a request (workers, the command line) can take an id
of its own with :func:`using_request_id`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-Id"
"""The header carrying the request id, into the hub, out of it and on to the agencies."""

_HEADER_KEY = HEADER.lower().encode("latin-1")
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_current: ContextVar[str | None] = ContextVar("hub_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being served; ``None`` outside a request."""
    return _current.get()


def new_request_id() -> str:
    """A fresh request id: 32 hex digits of a random UUID."""
    return uuid.uuid4().hex


def sane_request_id(value: str | None) -> str | None:
    """``value`` if it can be trusted as a request id (1-64 of ``A-Za-z0-9._-``), else ``None``.

    Anything longer or with other characters (spaces, newlines, quotes) could forge
    or break log lines, so it is never echoed.
    """
    if value is not None and _SANE.fullmatch(value):
        return value
    return None


@contextmanager
def using_request_id(request_id: str | None = None) -> Iterator[str]:
    """Make ``request_id`` (default: a new one) current for the block; yields it."""
    chosen = request_id or new_request_id()
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


class RequestIdMiddleware:
    """ASGI middleware giving every HTTP request an id and echoing it in ``X-Request-Id``.

    The id is also stored as ``request.state.request_id``. Lifespan and WebSocket
    scopes pass through untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = sane_request_id(_incoming(scope)) or new_request_id()
        scope["state"] = {**scope.get("state", {}), "request_id": request_id}
        header = (_HEADER_KEY, request_id.encode("latin-1"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != _HEADER_KEY
                ]
                message = {**message, "headers": [*headers, header]}
            await send(message)

        with using_request_id(request_id):
            await self.app(scope, receive, send_with_id)


def _incoming(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name.lower() == _HEADER_KEY:
            return bytes(value).decode("latin-1")
    return None


async def forward_request_id(request: httpx.Request) -> None:
    """httpx request hook: send the current request id on as ``X-Request-Id``.

    Install with ``httpx.AsyncClient(event_hooks={"request": [forward_request_id]})``;
    outside a request it leaves the request alone.
    """
    request_id = current_request_id()
    if request_id is not None:
        request.headers[HEADER] = request_id


__all__ = [
    "HEADER",
    "RequestIdMiddleware",
    "current_request_id",
    "forward_request_id",
    "new_request_id",
    "sane_request_id",
    "using_request_id",
]
