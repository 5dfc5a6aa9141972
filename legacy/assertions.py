"""The agency's side of the hub's signed assertions: who asks for personal data, and why.

Every request the hub sends for personal data carries a JSON Web Token in the
``X-Hub-Assertion`` header, signed by the hub with ES256. A stand-in holds the hub's
public key (``StandInOptions.hub_public_key``, ``hub legacy ... --hub-public-key``)
and accepts a request for personal data only when its assertion

- is signed with ES256 by that key (``alg: none``, HS256 or any other is refused),
- comes from ``iss: citizen-hub`` and is addressed to this agency (``aud``),
- has not expired (30 seconds of clock skew allowed),
- carries a ``req`` claim equal to :func:`request_digest` of the request received:
  an assertion lifted from one request and replayed with another does not verify,
- has not been presented before (its ``jti``).

A stand-in started without the hub's key refuses every request for personal data.
The claims of the assertions accepted last are served at ``GET /_assertions``, so a
test can see who the agency was told asked, and why.

The stand-in is the agency's own system: it implements the documented digest rule
itself rather than importing the hub.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import time
from collections import deque
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Scope

log = logging.getLogger(__name__)

ASSERTION_HEADER = "X-Hub-Assertion"
"""The HTTP header that carries the hub's assertion."""

HUB_ISSUER = "citizen-hub"
ALGORITHM = "ES256"
LEEWAY_SECONDS = 30
ASSERTIONS_PATH = "/_assertions"
"""``GET``: the claims of the assertions accepted last; ``DELETE``: forget them."""

REQUIRED_CLAIMS = ("iss", "aud", "sub", "purpose", "req", "jti", "iat", "exp")
KEPT = 100
"""How many accepted assertions ``/_assertions`` shows."""


def request_digest(method: str, target: str, body: bytes = b"") -> str:
    """The ``req`` claim of a request: base64url (unpadded) SHA-256 of
    ``"METHOD target\\n"`` followed by the raw body, ``target`` being the path and
    query string as sent."""
    digest = hashlib.sha256(f"{method.upper()} {target}\n".encode() + body).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def request_target(scope: Scope) -> str:
    """The path and query string of a request exactly as the client sent them."""
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if raw else scope["path"]
    query: bytes = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path


def load_public_key(pem: bytes) -> ec.EllipticCurvePublicKey:
    """The hub's public key from PEM; ``ValueError`` unless it is an EC P-256 public key."""
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"the hub's public key is not a PEM public key ({exc}); export it with "
            "AssertionSigner.public_key_pem() or 'openssl ec -pubout'"
        ) from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError(
            f"the hub's public key must be an EC P-256 key (the hub signs with ES256), "
            f"got {type(key).__name__}"
        )
    return key


class AssertionRefused(Exception):
    """A request for personal data whose assertion is missing or not acceptable.

    ``reason`` says why, for the caller. ``missing``: no assertion was sent (a REST
    API answers 401, not 403); ``unconfigured``: the system was started without the
    hub's public key, so it can accept none.
    """

    def __init__(self, reason: str, *, missing: bool = False, unconfigured: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = missing
        self.unconfigured = unconfigured


class AssertionVerifier:
    """Checks the hub's assertions for one agency and remembers those it accepted.

    ``audience`` is the agency's id as the hub addresses it (``revenue``); without
    ``public_key`` (PEM), every request for personal data is refused.
    """

    def __init__(self, audience: str, public_key: bytes | None, *, kept: int = KEPT) -> None:
        self.audience = audience
        self._key = load_public_key(public_key) if public_key is not None else None
        self._accepted: deque[dict[str, Any]] = deque(maxlen=kept)
        self._used: dict[str, float] = {}

    def verify(self, token: str | None, *, method: str, target: str, body: bytes) -> dict[str, Any]:
        """The claims of ``token`` for the request ``method target`` with ``body``.

        Raise :class:`AssertionRefused` saying what is wrong; record the claims when
        the assertion is accepted.
        """
        if self._key is None:
            raise AssertionRefused(
                "this system was started without the hub's public key (--hub-public-key), "
                "so it cannot check who asks for personal data and refuses every such request",
                unconfigured=True,
            )
        if not token or not token.strip():
            raise AssertionRefused(
                f"personal data needs the hub's signed assertion in the {ASSERTION_HEADER} header",
                missing=True,
            )
        claims = self._decode(token.strip(), self._key)
        if claims["aud"] != self.audience:
            raise AssertionRefused(
                f"the assertion is addressed to {claims['aud']!r}, not to {self.audience!r}"
            )
        if not hmac.compare_digest(str(claims["req"]), request_digest(method, target, body)):
            raise AssertionRefused(
                "the assertion was made for another request: its req claim does not match "
                "this request's method, path, query string and body"
            )
        self._remember(claims)
        return claims

    def accepted(self) -> list[dict[str, Any]]:
        """The claims of the assertions accepted last, oldest first."""
        return list(self._accepted)

    def routes(self) -> list[Route]:
        """``GET /_assertions`` (the accepted claims) and ``DELETE`` (forget them)."""

        async def read(request: Request) -> Response:
            return JSONResponse({"audience": self.audience, "accepted": self.accepted()})

        async def forget(request: Request) -> Response:
            self._accepted.clear()
            return Response(status_code=204)

        return [
            Route(ASSERTIONS_PATH, read, methods=["GET"]),
            Route(ASSERTIONS_PATH, forget, methods=["DELETE"]),
        ]

    def _decode(self, token: str, key: ec.EllipticCurvePublicKey) -> dict[str, Any]:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.PyJWTError:
            raise AssertionRefused(
                f"the {ASSERTION_HEADER} header does not hold a JSON Web Token"
            ) from None
        if algorithm != ALGORITHM:
            raise AssertionRefused(
                f"assertions must be signed with {ALGORITHM}; this one says alg={algorithm!r}"
            )
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=HUB_ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.InvalidSignatureError:
            raise AssertionRefused(
                "the assertion's signature does not verify with the hub's public key"
            ) from None
        except jwt.ExpiredSignatureError:
            raise AssertionRefused(
                "the assertion has expired; the hub signs a new one per request"
            ) from None
        except jwt.InvalidAudienceError:
            raise AssertionRefused(
                f"the assertion is addressed to another agency, not to {self.audience!r}"
            ) from None
        except jwt.InvalidIssuerError:
            raise AssertionRefused(f"the assertion was not issued by {HUB_ISSUER!r}") from None
        except jwt.MissingRequiredClaimError as exc:
            raise AssertionRefused(f"the assertion lacks the {exc.claim!r} claim") from None
        except jwt.PyJWTError as exc:
            raise AssertionRefused(f"the assertion is not valid: {exc}") from None
        return claims

    def _remember(self, claims: dict[str, Any]) -> None:
        now = time.time()
        self._used = {jti: until for jti, until in self._used.items() if until > now}
        jti = str(claims["jti"])
        if jti in self._used:
            raise AssertionRefused(
                f"the assertion {jti} was already used; the hub signs a new one per request"
            )
        self._used[jti] = float(claims["exp"]) + LEEWAY_SECONDS
        self._accepted.append(claims)
        log.info(
            "accepted the hub's assertion jti=%s sub=%s role=%s purpose=%s",
            jti,
            claims["sub"],
            claims.get("role"),
            claims["purpose"],
        )


__all__ = [
    "ALGORITHM",
    "ASSERTIONS_PATH",
    "ASSERTION_HEADER",
    "HUB_ISSUER",
    "LEEWAY_SECONDS",
    "AssertionRefused",
    "AssertionVerifier",
    "load_public_key",
    "request_digest",
    "request_target",
]
