"""Hub-signed assertions: who asked an agency for personal data, and for whom.

In the spirit of X-Road's signed and logged exchanges, every call the hub makes to
an agency's system for personal data carries a short-lived JSON Web Token in the
``X-Hub-Assertion`` header, signed with the hub's own key (ES256):

=========== ===============================================================
``iss``     ``citizen-hub``
``aud``     the agency's id, e.g. ``revenue``
``sub``     the caller's subject (who asked)
``role``    the caller's strongest role: citizen, resolver or admin
``agency``  the caller's agency, for a resolver; absent otherwise
``obo``     on whose behalf: the person the data is about, as the agency
            knows them (``{"pin": "A012345678Z"}``)
``purpose`` the graph field that needs the data, e.g. ``revenue.taxCompliance``
``req``     :func:`request_digest` of the HTTP request it travels with
``jti``     a unique id the agency can log; ``iat`` / ``exp``: one minute
=========== ===============================================================

``req`` binds the assertion to one request: an assertion lifted from one call and
replayed with another body (another PIN, say) does not verify. An agency checks the
signature with the hub's public key, ``aud``, ``exp`` and ``req`` (docs/security.md).
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from hub.errors import AgencyRejected
from hub.identity.caller import Caller

ASSERTION_HEADER = "X-Hub-Assertion"
"""The HTTP header that carries the assertion."""

ISSUER = "citizen-hub"
ALGORITHM = "ES256"
LIFETIME_SECONDS = 60

RequestSigner = Callable[[httpx.Request], Mapping[str, str]]
"""The headers to add to an HTTP request once it is built: its assertion."""


def request_digest(method: str, target: str, body: bytes = b"") -> str:
    """The ``req`` claim: base64url SHA-256 of ``"METHOD target\\n"`` and the body.

    ``target`` is the path with its query string, as sent (``/applications/PA2026-1``).
    """
    digest = hashlib.sha256(f"{method.upper()} {target}\n".encode() + body).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class AssertionSigner:
    """Signs assertions with the hub's private key (an EC P-256 key)."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey) -> None:
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ValueError(f"the assertion key must be on P-256, not {private_key.curve.name}")
        self._key = private_key
        self.key_id = _thumbprint(private_key.public_key())

    @classmethod
    def from_pem_file(cls, path: Path) -> AssertionSigner:
        """The signer whose private key is the PEM file at ``path``."""
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except OSError as exc:
            raise ValueError(f"cannot read the assertion key {path}: {exc.strerror}") from None
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path} is not an unencrypted PEM private key: {exc}") from None
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{path} holds a {type(key).__name__}; the hub signs with EC P-256")
        return cls(key)

    def public_key_pem(self) -> bytes:
        """The public key agencies verify assertions with, as PEM."""
        return self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(
        self,
        caller: Caller,
        *,
        audience: str,
        purpose: str,
        method: str,
        target: str,
        body: bytes = b"",
        on_behalf_of: Mapping[str, Any] | None = None,
    ) -> str:
        """The assertion for one HTTP request to ``audience`` made for ``caller``."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": audience,
            "sub": caller.subject or "anonymous",
            "role": caller.primary_role,
            "purpose": purpose,
            "req": request_digest(method, target, body),
            "jti": uuid.uuid4().hex,
            "iat": now,
            "exp": now + LIFETIME_SECONDS,
        }
        if caller.agency:
            claims["agency"] = caller.agency
        if on_behalf_of:
            claims["obo"] = dict(on_behalf_of)
        return jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"kid": self.key_id})

    def headers(self, caller: Caller, **request: Any) -> dict[str, str]:
        """``{ASSERTION_HEADER: self.sign(caller, **request)}``, to merge into a request."""
        return {ASSERTION_HEADER: self.sign(caller, **request)}

    def for_requests(
        self,
        caller: Caller,
        *,
        audience: str,
        purpose: str,
        on_behalf_of: Mapping[str, Any] | None = None,
    ) -> RequestSigner:
        """What signs a request of ``caller`` to ``audience`` once it is built: the
        assertion covers the request's exact method, target and body."""

        def sign(request: httpx.Request) -> Mapping[str, str]:
            return self.headers(
                caller,
                audience=audience,
                purpose=purpose,
                method=request.method,
                target=request.url.raw_path.decode("ascii"),
                body=request.content,
                on_behalf_of=on_behalf_of,
            )

        return sign


def required_signer(signer: AssertionSigner | None, agency: str, need: str) -> AssertionSigner:
    """``signer``, or :class:`~hub.errors.AgencyRejected` saying the hub has no key to
    ``need`` with (e.g. "ask for personal data"): agencies answer signed requests only."""
    if signer is None:
        raise AgencyRejected(
            f"the hub has no assertion key, so it cannot {need}; set "
            "HUB_ASSERTION_KEY_FILE to the hub's EC P-256 key",
            agency=agency,
        )
    return signer


def generate_key_file(path: Path) -> None:
    """Write a new P-256 private key to ``path`` (mode 0600), for development."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(pem)


def development_signer(path: Path) -> AssertionSigner:
    """The signer of a development hub: the key at ``path``, created on first use."""
    if not path.exists():
        generate_key_file(path)
    return AssertionSigner.from_pem_file(path)


def _thumbprint(public_key: ec.EllipticCurvePublicKey) -> str:
    """The RFC 7638 JWK thumbprint of ``public_key``: a stable key id."""
    numbers = public_key.public_numbers()

    def coordinate(value: int) -> str:
        return base64.urlsafe_b64encode(value.to_bytes(32, "big")).rstrip(b"=").decode()

    jwk = {"crv": "P-256", "kty": "EC", "x": coordinate(numbers.x), "y": coordinate(numbers.y)}
    canonical = json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()


__all__ = [
    "ALGORITHM",
    "ASSERTION_HEADER",
    "ISSUER",
    "AssertionSigner",
    "RequestSigner",
    "development_signer",
    "generate_key_file",
    "request_digest",
    "required_signer",
]
