"""The ``X-API-Key`` check in front of every ``/api/v1`` path except the health probe."""

from __future__ import annotations

import hmac
from collections.abc import Collection

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from legacy.immigration.errors import error_response

API_KEY_HEADER = "X-API-Key"


class ApiKeyMiddleware:
    """Answers 401 in the system's style unless the request carries ``api_key``.

    Paths outside ``protected_prefix`` and those in ``public_paths`` pass unchecked.
    """

    def __init__(
        self, app: ASGIApp, api_key: str, protected_prefix: str, public_paths: Collection[str]
    ) -> None:
        self.app = app
        self.api_key = api_key.encode()
        self.protected_prefix = protected_prefix
        self.public_paths = frozenset(public_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if (
            scope["type"] != "http"
            or not path.startswith(self.protected_prefix)
            or path in self.public_paths
        ):
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(API_KEY_HEADER)
        if given is None:
            response = error_response(
                401, "MISSING_API_KEY", f"Send your API key in the {API_KEY_HEADER} header."
            )
        elif not hmac.compare_digest(given.encode(), self.api_key):
            response = error_response(
                401, "INVALID_API_KEY", "The API key is not valid or has been revoked."
            )
        else:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)
