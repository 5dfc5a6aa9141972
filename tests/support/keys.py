"""The hub's assertion key pair for tests: the private key for the hub, the public one
for the stand-ins; and assertions made every way an attacker might."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from hub.identity.assertion import (
    ASSERTION_HEADER,
    AssertionSigner,
    generate_key_file,
    request_digest,
)


@dataclass(frozen=True, slots=True)
class HubKeys:
    """An EC P-256 key pair of the hub, as PEM files and as the objects that use them."""

    private_file: Path
    """For the hub: ``Settings(assertion_key_file=...)`` (``HUB_ASSERTION_KEY_FILE``)."""
    public_file: Path
    """For a stand-in started as a process: ``hub legacy NAME --hub-public-key PATH``."""
    signer: AssertionSigner
    """For a connector opened in a test: ``ConnectorResources(assertions=...)``."""
    private_key: ec.EllipticCurvePrivateKey
    """For tests that sign assertions the hub would not."""

    @property
    def public_pem(self) -> bytes:
        """For a stand-in started in the test: ``StandInOptions(hub_public_key=...)``."""
        return self.signer.public_key_pem()


def make_hub_keys(directory: Path) -> HubKeys:
    """A new key pair in ``directory``: ``hub-assertion-key.pem`` and its ``.pub.pem``."""
    private_file = directory / "hub-assertion-key.pem"
    generate_key_file(private_file)
    signer = AssertionSigner.from_pem_file(private_file)
    public_file = directory / "hub-assertion-key.pub.pem"
    public_file.write_bytes(signer.public_key_pem())
    key = serialization.load_pem_private_key(private_file.read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return HubKeys(private_file, public_file, signer, key)


def assertion_claims(
    *, audience: str, method: str, target: str, body: bytes = b"", **overrides: Any
) -> dict[str, Any]:
    """The claims of an assertion for one request, as the hub makes them; ``overrides``
    replace claims, and an override of ``None`` removes the claim."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": "citizen-hub",
        "aud": audience,
        "sub": "citizen-a",
        "role": "citizen",
        "purpose": f"{audience}.test",
        "req": request_digest(method, target, body),
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + 60,
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def es256(claims: dict[str, Any], key: ec.EllipticCurvePrivateKey) -> str:
    """``claims`` signed with ES256 by ``key``."""
    return jwt.encode(claims, key, algorithm="ES256")


def unsigned(claims: dict[str, Any]) -> str:
    """``claims`` as an ``alg: none`` token, without a signature."""
    return jwt.encode(claims, "", algorithm="none")


def hs256(claims: dict[str, Any], secret: bytes) -> str:
    """``claims`` signed with HS256 by ``secret``.

    Made by hand: PyJWT refuses a PEM key as an HMAC secret, which is exactly the
    key-confusion attack (the public key's PEM as the secret) a verifier must refuse.
    """

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = part(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{part(signature)}"


def assertion_for(keys: HubKeys, request: httpx.Request, audience: str, **overrides: Any) -> str:
    """An assertion of the hub (signed with ``keys``) for exactly ``request``."""
    claims = assertion_claims(
        audience=audience,
        method=request.method,
        target=request.url.raw_path.decode("ascii"),
        body=request.content,
        **overrides,
    )
    return es256(claims, keys.private_key)


def signing_hook(
    keys: HubKeys, audience: str, personal: Callable[[httpx.Request], bool]
) -> Callable[[httpx.Request], None]:
    """An ``httpx.Client`` request hook that adds the hub's assertion to every request
    ``personal`` picks, as the hub's connectors do."""

    def sign(request: httpx.Request) -> None:
        if personal(request):
            request.headers[ASSERTION_HEADER] = assertion_for(keys, request, audience)

    return sign
