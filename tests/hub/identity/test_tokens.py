"""Bearer tokens: development HS256, and RS256/ES256 against a key set from a file or a URL."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hub.identity import Role
from hub.identity.jwks import JwksError, KeySet, parse_key_set
from hub.identity.tokens import (
    DEVELOPMENT_SECRET,
    TokenRejected,
    TokenVerifier,
    mint_development_token,
)
from legacy.serving import BackgroundServer

ISSUER = "https://id.example.go.ke"
AUDIENCE = "citizen-hub"
SECRET = "a-development-secret-of-at-least-32-chars"


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "roles": ["citizen"]}
    return {**base, "iat": now, "exp": now + 300, **overrides}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    head = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    return head + "." + b64(signature)


class Keys:
    """An RSA and an EC signing key, published as a JWKS."""

    def __init__(self) -> None:
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())

    def jwks(self, *, rsa_kid: str = "rsa-1", ec_kid: str = "ec-1") -> dict[str, Any]:
        rsa_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.rsa.public_key()))
        ec_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.ec.public_key()))
        return {"keys": [{**rsa_jwk, "kid": rsa_kid}, {**ec_jwk, "kid": ec_kid}]}

    def rsa_public_pem(self) -> bytes:
        return self.rsa.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys()


@pytest.fixture
def jwks_file(tmp_path: Path, keys: Keys) -> str:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(keys.jwks()))
    return str(path)


def verifier(*, secret: str | None = None, jwks: str | None = None) -> TokenVerifier:
    return TokenVerifier(
        issuer=ISSUER,
        audience=AUDIENCE,
        leeway=5,
        secret=secret,
        keys=KeySet(jwks) if jwks else None,
    )


async def rejected(v: TokenVerifier, token: str) -> str:
    with pytest.raises(TokenRejected) as caught:
        await v.verify(token)
    return str(caught.value)


# ------------------------------------------------------------------- development tokens


async def test_a_minted_development_token_verifies_into_its_caller() -> None:
    token = mint_development_token(
        SECRET,
        issuer=ISSUER,
        audience=AUDIENCE,
        subject="alice",
        roles=[Role.CITIZEN],
        claims={"pin": "A012345678Z", "national_id": "", "email": "x"},
    )
    caller = await verifier(secret=SECRET).verify(token)
    assert caller.subject == "alice"
    assert caller.roles == {Role.CITIZEN}
    assert dict(caller.claims) == {"pin": "A012345678Z"}
    assert caller.agency is None


async def test_a_resolver_token_carries_its_agency_and_needs_one() -> None:
    v = verifier(secret=SECRET)
    good = jwt.encode(claims(roles=["resolver"], agency="police"), SECRET, algorithm="HS256")
    caller = await v.verify(good)
    assert caller.resolves_for("police")
    assert not caller.resolves_for("revenue")
    bad = jwt.encode(claims(roles=["resolver"]), SECRET, algorithm="HS256")
    assert "agency" in await rejected(v, bad)


async def test_unknown_roles_give_no_rights() -> None:
    token = jwt.encode(claims(roles=["superuser", "admin "]), SECRET, algorithm="HS256")
    caller = await verifier(secret=SECRET).verify(token)
    assert caller.roles == frozenset()
    assert caller.primary_role == "anonymous"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        (lambda: {"exp": int(time.time()) - 60}, "expired"),
        (lambda: {"nbf": int(time.time()) + 600}, "not valid yet"),
        (lambda: {"aud": "another-hub"}, "not meant for this hub"),
        (lambda: {"iss": "https://evil.example"}, "not issued by"),
        (lambda: {"roles": "citizen", "sub": None}, "'sub'"),
    ],
)
async def test_claims_are_checked(overrides: Callable[[], dict[str, Any]], reason: str) -> None:
    # the moments are taken when the test runs, not when the suite is collected
    payload = {k: v for k, v in claims(**overrides()).items() if v is not None}
    token = jwt.encode(payload, SECRET, algorithm="HS256")
    assert reason in await rejected(verifier(secret=SECRET), token)


async def test_clock_skew_within_the_leeway_is_tolerated() -> None:
    token = jwt.encode(claims(exp=int(time.time()) - 2), SECRET, algorithm="HS256")
    assert (await verifier(secret=SECRET).verify(token)).subject == "alice"


async def test_a_forged_signature_is_rejected() -> None:
    token = jwt.encode(claims(roles=["admin"]), "another-secret-that-is-long-enough!", "HS256")
    assert "signature" in await rejected(verifier(secret=SECRET), token)


async def test_a_tampered_payload_is_rejected() -> None:
    token = jwt.encode(claims(), SECRET, algorithm="HS256")
    head, _, signature = token.split(".")
    forged = b64(json.dumps(claims(roles=["admin"])).encode())
    assert "signature" in await rejected(verifier(secret=SECRET), f"{head}.{forged}.{signature}")


async def test_alg_none_is_rejected() -> None:
    token = unsigned({"alg": "none", "typ": "JWT"}, claims(roles=["admin"]))
    assert "'none'" in await rejected(verifier(secret=SECRET), token)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "Bearer x.y.z"])
async def test_garbage_is_rejected(garbage: str) -> None:
    assert await rejected(verifier(secret=SECRET), garbage)


async def test_hs256_is_refused_without_a_development_secret(jwks_file: str) -> None:
    token = jwt.encode(claims(), DEVELOPMENT_SECRET, algorithm="HS256")
    assert "development only" in await rejected(verifier(jwks=jwks_file), token)


# ------------------------------------------------------------------- key set tokens


async def test_rs256_and_es256_tokens_verify_against_the_key_set(
    keys: Keys, jwks_file: str
) -> None:
    v = verifier(jwks=jwks_file)
    rs = jwt.encode(claims(), keys.rsa, algorithm="RS256", headers={"kid": "rsa-1"})
    es = jwt.encode(claims(sub="bob"), keys.ec, algorithm="ES256", headers={"kid": "ec-1"})
    assert (await v.verify(rs)).subject == "alice"
    assert (await v.verify(es)).subject == "bob"


async def test_an_unknown_kid_is_rejected(keys: Keys, jwks_file: str) -> None:
    token = jwt.encode(claims(), keys.rsa, algorithm="RS256", headers={"kid": "rsa-9"})
    assert "unknown key" in await rejected(verifier(jwks=jwks_file), token)


async def test_a_token_without_kid_is_rejected(keys: Keys, jwks_file: str) -> None:
    token = jwt.encode(claims(), keys.rsa, algorithm="RS256")
    assert "'kid'" in await rejected(verifier(jwks=jwks_file), token)


async def test_a_token_signed_by_another_key_under_a_known_kid_is_rejected(
    jwks_file: str,
) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims(), stranger, algorithm="RS256", headers={"kid": "rsa-1"})
    assert "signature" in await rejected(verifier(jwks=jwks_file), token)


async def test_algorithm_confusion_with_the_public_key_as_hmac_secret_is_rejected(
    keys: Keys, jwks_file: str
) -> None:
    payload = claims(roles=["admin"])
    header = {"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}
    signing_input = unsigned(header, payload).rsplit(".", 1)[0].encode()
    signature = hmac.new(keys.rsa_public_pem(), signing_input, hashlib.sha256).digest()
    token = unsigned(header, payload, signature)
    assert "development only" in await rejected(verifier(jwks=jwks_file), token)
    both = verifier(secret=SECRET, jwks=jwks_file)
    assert "signature" in await rejected(both, token)


async def test_a_key_verifies_only_its_own_algorithm(keys: Keys, jwks_file: str) -> None:
    token = jwt.encode(claims(), keys.rsa, algorithm="RS256", headers={"kid": "ec-1"})
    assert "signs ES256, not RS256" in await rejected(verifier(jwks=jwks_file), token)


@pytest.fixture
def jwks_server(keys: Keys) -> Iterator[tuple[str, dict[str, Any]]]:
    published = {"jwks": keys.jwks(), "fetches": 0}

    async def serve(request: Request) -> JSONResponse:
        published["fetches"] += 1
        return JSONResponse(published["jwks"])

    app = Starlette(routes=[Route("/.well-known/jwks.json", serve)])
    with BackgroundServer(app) as server:
        yield f"{server.url}/.well-known/jwks.json", published


async def test_a_key_set_url_is_fetched_and_refetched_when_keys_rotate(
    keys: Keys, jwks_server: tuple[str, dict[str, Any]]
) -> None:
    url, published = jwks_server
    key_set = KeySet(url, refetch_interval=0.0)
    v = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, keys=key_set)
    first = jwt.encode(claims(), keys.rsa, algorithm="RS256", headers={"kid": "rsa-1"})
    assert (await v.verify(first)).subject == "alice"
    assert (await v.verify(first)).subject == "alice"
    assert published["fetches"] == 1
    published["jwks"] = keys.jwks(rsa_kid="rsa-2")
    rotated = jwt.encode(claims(), keys.rsa, algorithm="RS256", headers={"kid": "rsa-2"})
    assert (await v.verify(rotated)).subject == "alice"
    assert published["fetches"] == 2


async def test_an_unreachable_key_set_rejects_tokens_without_crashing(keys: Keys) -> None:
    v = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, keys=KeySet("http://127.0.0.1:1/jwks"))
    token = jwt.encode(claims(), keys.rsa, algorithm="RS256", headers={"kid": "rsa-1"})
    assert "unknown key" in await rejected(v, token)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([], "'keys' list"),
        ({"keys": [{"kty": "RSA"}]}, "'kid'"),
        ({"keys": [{"kty": "oct", "kid": "k", "k": "c2VjcmV0"}]}, "not RSA or EC"),
        ({"keys": []}, "no signing keys"),
    ],
)
def test_unusable_key_sets_are_refused_with_the_reason(document: Any, problem: str) -> None:
    with pytest.raises(JwksError, match=problem):
        parse_key_set(document, "jwks.json")


def test_a_key_declaring_another_algorithm_is_refused(keys: Keys) -> None:
    document = keys.jwks()
    document["keys"][0]["alg"] = "HS256"
    with pytest.raises(JwksError, match="signs RS256 only"):
        parse_key_set(document, "jwks.json")
