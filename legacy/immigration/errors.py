"""The immigration API's error style: ``{"error": {"code": ..., "message": ...}}``.

Handlers raise :class:`ApiError`; the app's exception handlers turn it, Starlette's
own HTTP errors and unexpected exceptions into that body.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response


class ApiError(Exception):
    """A failed request, answered with ``status`` and the system's error body."""

    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """The response carrying one error in the system's style."""
    body = {"error": {"code": code, "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


def bad_request(code: str, message: str) -> ApiError:
    """A 400 answer for a request the system cannot accept."""
    return ApiError(400, code, message)


async def handle_api_error(request: Request, exc: Exception) -> Response:
    """Answer an :class:`ApiError` raised by a handler."""
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.headers)


_HTTP_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


async def handle_http_error(request: Request, exc: Exception) -> Response:
    """Answer Starlette's routing errors (unknown path, wrong method) in the system's style."""
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "HTTP_ERROR")
    message = f"{request.method} {request.url.path}: {exc.detail}"
    return error_response(exc.status_code, code, message, exc.headers)


async def handle_unexpected_error(request: Request, exc: Exception) -> Response:
    """Answer a bug in a handler as the real system does: a bare internal error."""
    return error_response(
        500, "INTERNAL_SERVER_ERROR", "An unexpected error occurred. Please try again later."
    )
