"""Bearer tokens: verifying them into a :class:`Caller`, and minting development ones.

Production tokens come from the government's identity provider (OIDC style) and are
verified against its key set (RS256 or ES256, the algorithm fixed by the key, never
by the token). Development tokens are HS256, signed with a secret from the settings.
``iss``, ``aud``, ``exp`` and ``nbf`` are checked with a small clock skew.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import jwt

from hub.identity.caller import Caller, Role
from hub.identity.jwks import KeySet

DEVELOPMENT_SECRET = "citizen-hub-development-secret-not-for-production"
"""The HS256 secret of a development hub; a production hub refuses to start with it."""

HS256 = "HS256"
OWNER_CLAIMS = ("pin", "national_id")
"""Claims that tie a citizen to agency records; they reach the rights checks."""


class TokenRejected(Exception):
    """The token is not acceptable; the message says why, for the caller."""


class TokenVerifier:
    """Turns a bearer token into a verified :class:`Caller`.

    ``secret`` enables development HS256 tokens; ``keys`` the identity provider's
    RS256/ES256 tokens. At least one must be given.
    """

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        leeway: float = 30.0,
        secret: str | None = None,
        keys: KeySet | None = None,
    ) -> None:
        if secret is None and keys is None:
            raise ValueError("a token verifier needs a secret (development) or a key set")
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self._secret = secret
        self._keys = keys

    async def verify(self, token: str) -> Caller:
        """The caller ``token`` identifies; :class:`TokenRejected` when it is not valid."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError:
            raise TokenRejected("it is not a well-formed JWT") from None
        algorithm = header.get("alg")
        key: Any
        if algorithm == HS256:
            if self._secret is None:
                raise TokenRejected("HS256 tokens are accepted in development only")
            key = self._secret
        elif algorithm in ("RS256", "ES256"):
            key = await self._signing_key(header, algorithm)
        else:
            raise TokenRejected(f"tokens signed with {algorithm!r} are not accepted")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise TokenRejected("it has expired; sign in again") from None
        except jwt.ImmatureSignatureError:
            raise TokenRejected("it is not valid yet (nbf is in the future)") from None
        except jwt.InvalidAudienceError:
            raise TokenRejected(
                f"it is not meant for this hub (aud must be {self.audience!r})"
            ) from None
        except jwt.InvalidIssuerError:
            raise TokenRejected(f"it was not issued by {self.issuer!r}") from None
        except jwt.MissingRequiredClaimError as exc:
            raise TokenRejected(f"it lacks the {exc.claim!r} claim") from None
        except jwt.InvalidSignatureError:
            raise TokenRejected("its signature does not verify") from None
        except jwt.InvalidTokenError as exc:
            raise TokenRejected(f"it is not valid ({exc})") from None
        return caller_from_claims(claims)

    async def _signing_key(self, header: Mapping[str, Any], algorithm: str) -> Any:
        if self._keys is None:
            raise TokenRejected(f"{algorithm} tokens need a key set; this hub has none (HUB_JWKS)")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise TokenRejected("its header names no key ('kid')")
        key = await self._keys.key(kid)
        if key is None:
            raise TokenRejected(f"it names an unknown key (kid {kid!r})")
        if key.algorithm_name != algorithm:
            raise TokenRejected(f"key {kid!r} signs {key.algorithm_name}, not {algorithm}")
        return key


def caller_from_claims(claims: Mapping[str, Any]) -> Caller:
    """The caller of verified ``claims``; :class:`TokenRejected` if they contradict."""
    raw_roles = claims.get("roles", claims.get("role", []))
    if isinstance(raw_roles, str):
        raw_roles = [raw_roles]
    if not isinstance(raw_roles, list):
        raise TokenRejected("its 'roles' claim must be a list of role names")
    known = {role.value: role for role in Role}
    roles = frozenset(known[str(name)] for name in raw_roles if str(name) in known)
    agency = claims.get("agency")
    if agency is not None and not isinstance(agency, str):
        raise TokenRejected("its 'agency' claim must be an agency id")
    if Role.RESOLVER in roles and not agency:
        raise TokenRejected("a resolver token needs the 'agency' claim naming their agency")
    owner_claims = {name: str(claims[name]) for name in OWNER_CLAIMS if claims.get(name)}
    return Caller(subject=str(claims["sub"]), roles=roles, agency=agency, claims=owner_claims)


def mint_development_token(
    secret: str,
    *,
    issuer: str,
    audience: str,
    subject: str,
    roles: list[Role],
    agency: str | None = None,
    claims: Mapping[str, str] | None = None,
    lifetime: int = 3600,
) -> str:
    """An HS256 token for a development hub (``hub token``)."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "roles": [role.value for role in roles],
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
        **{name: value for name, value in (claims or {}).items() if value},
    }
    if agency:
        payload["agency"] = agency
    return jwt.encode(payload, secret, algorithm=HS256)


__all__ = [
    "DEVELOPMENT_SECRET",
    "OWNER_CLAIMS",
    "TokenRejected",
    "TokenVerifier",
    "caller_from_claims",
    "mint_development_token",
]
