"""Who sent an HTTP request: its bearer token, verified into a :class:`Caller`."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from hub.identity import ANONYMOUS, Caller
from hub.identity.tokens import TokenRejected, TokenVerifier


class Authenticator:
    """Reads ``Authorization: Bearer <token>``; a bad token makes an anonymous caller
    whose ``problem`` says what was wrong, so public fields still answer and fields
    that need a token say why it was not accepted."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self.verifier = verifier

    async def __call__(self, connection: HTTPConnection) -> Caller:
        header = connection.headers.get("authorization")
        if header is None:
            return ANONYMOUS
        token = bearer_token(header)
        if token is None:
            return Caller.anonymous("the Authorization header must be 'Bearer <token>'")
        try:
            return await self.verifier.verify(token)
        except TokenRejected as exc:
            return Caller.anonymous(str(exc))


def bearer_token(header: str) -> str | None:
    """The token of a ``Bearer <token>`` header value; ``None`` for any other shape."""
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def client_address(connection: HTTPConnection) -> str:
    """The client's address as the server saw it (behind a proxy, run uvicorn with
    ``--forwarded-allow-ips`` so that this is the real client)."""
    return connection.client.host if connection.client else "unknown"


__all__ = ["Authenticator", "bearer_token", "client_address"]
