"""Bearer tokens for tests that call the hub over HTTP, minted as ``hub token`` does."""

from __future__ import annotations

from hub.identity import Role
from hub.identity.tokens import DEVELOPMENT_SECRET, mint_development_token


def bearer(subject: str, *roles: Role, agency: str | None = None, **claims: str) -> dict[str, str]:
    """The ``Authorization`` header of a development token (default role: citizen)."""
    token = mint_development_token(
        DEVELOPMENT_SECRET,
        issuer="citizen-hub",
        audience="citizen-hub",
        subject=subject,
        roles=list(roles or (Role.CITIZEN,)),
        agency=agency,
        claims=claims,
    )
    return {"authorization": f"Bearer {token}"}
