"""The stand-ins answer personal data only to requests carrying the hub's valid assertion.

The same attacks are tried on both HTTP stand-ins, each refusing in its own protocol:
the revenue gateway with a SOAP ``Client`` fault, the immigration API with 401 (no
assertion) or 403 (a refused one) and its JSON error body.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from lxml import etree

from hub.cli import main
from hub.demo import demo_standins, running_standins
from hub.identity import AssertionSigner
from hub.identity import request_digest as hub_request_digest
from legacy import StandInOptions, create_standin
from legacy.assertions import ASSERTION_HEADER, request_digest
from legacy.immigration import seed_applications
from legacy.revenue import PASSWORD_TEXT, SERVICE_NS, SOAP_ENV_NS, WSSE_NS
from legacy.running import RunningStandIn, running_standin
from tests.support.callers import resolver
from tests.support.keys import (
    HubKeys,
    assertion_claims,
    assertion_for,
    es256,
    hs256,
    unsigned,
)
from tests.support.processes import (
    HERMETIC_PREFIXES,
    free_ports,
    start_hub_command,
    wait_for,
)

TODAY = date(2026, 3, 10)
APPLICATIONS = seed_applications(TODAY)
KNOWN_PIN, OTHER_PIN = "A012345678Z", "P051234567K"


# ------------------------------------------------------------- the two systems


def soap_request(url: str, operation: str, parameters: list[tuple[str, str]]) -> httpx.Request:
    """A SOAP request to the revenue gateway with the demo UsernameToken."""
    root = etree.Element(f"{{{SOAP_ENV_NS}}}Envelope", nsmap={"soap": SOAP_ENV_NS})
    security = etree.SubElement(
        etree.SubElement(root, f"{{{SOAP_ENV_NS}}}Header"), f"{{{WSSE_NS}}}Security"
    )
    token = etree.SubElement(security, f"{{{WSSE_NS}}}UsernameToken")
    etree.SubElement(token, f"{{{WSSE_NS}}}Username").text = "hub"
    password = etree.SubElement(token, f"{{{WSSE_NS}}}Password", Type=PASSWORD_TEXT)
    password.text = "demo-revenue-password"
    call = etree.SubElement(
        etree.SubElement(root, f"{{{SOAP_ENV_NS}}}Body"), f"{{{SERVICE_NS}}}{operation}"
    )
    for name, text in parameters:
        etree.SubElement(call, f"{{{SERVICE_NS}}}{name}").text = text
    return httpx.Request(
        "POST",
        f"{url}/soap",
        content=etree.tostring(root, xml_declaration=True, encoding="utf-8"),
        headers={"Content-Type": "text/xml; charset=utf-8"},
    )


@dataclass(frozen=True)
class System:
    """How to ask one stand-in for a personal record, and how it answers and refuses."""

    name: str
    records: tuple[str, str]
    """Two records of different people: a PIN each, an application number each."""
    build: Callable[[str, str], httpx.Request]
    """The request for a record, given the stand-in's URL."""
    public: Callable[[str], httpx.Request]
    """A request for public data, given the stand-in's URL."""

    def answered(self, response: httpx.Response, record: str) -> None:
        assert response.status_code == 200, response.text
        assert record in response.text

    def refused(self, response: httpx.Response, *, missing: bool = False) -> str:
        """Check the refusal in the system's own protocol; return its message."""
        if self.name == "revenue":
            assert response.status_code == 500, response.text
            fault = etree.fromstring(response.content).find(f".//{{{SOAP_ENV_NS}}}Fault")
            assert fault is not None
            assert fault.findtext("faultcode") == "soap:Client"
            code = fault.findtext(f"detail/{{{SERVICE_NS}}}ServiceError/{{{SERVICE_NS}}}Code")
            assert code == "ASSERTION_REFUSED"
            return fault.findtext("faultstring") or ""
        assert response.status_code == (401 if missing else 403), response.text
        error = response.json()["error"]
        assert error["code"] in (
            {"MISSING_ASSERTION"} if missing else {"INVALID_ASSERTION", "HUB_KEY_NOT_CONFIGURED"}
        )
        message: str = error["message"]
        return message


REVENUE = System(
    "revenue",
    (KNOWN_PIN, OTHER_PIN),
    lambda url, pin: soap_request(url, "GetTaxComplianceStatus", [("Pin", pin)]),
    lambda url: soap_request(url, "GetServiceCatalogue", []),
)
IMMIGRATION = System(
    "immigration",
    (APPLICATIONS[0].application_no, APPLICATIONS[1].application_no),
    lambda url, number: httpx.Request(
        "GET",
        f"{url}/api/v1/passport-applications",
        params={"application_no": number},
        headers={"X-API-Key": "demo-immigration-key"},
    ),
    lambda url: httpx.Request(
        "GET", f"{url}/api/v1/services", headers={"X-API-Key": "demo-immigration-key"}
    ),
)
SYSTEMS = {"revenue": REVENUE, "immigration": IMMIGRATION}


@pytest.fixture(scope="module", params=list(SYSTEMS))
def standin(request: pytest.FixtureRequest, hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    options = StandInOptions(today=TODAY, hub_public_key=hub_keys.public_pem)
    with running_standin(request.param, options) as running:
        yield running


@pytest.fixture
def system(standin: RunningStandIn) -> System:
    return SYSTEMS[standin.name]


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


def with_assertion(request: httpx.Request, token: str) -> httpx.Request:
    request.headers[ASSERTION_HEADER] = token
    return request


def claims_for(request: httpx.Request, audience: str, **overrides: Any) -> dict[str, Any]:
    return assertion_claims(
        audience=audience,
        method=request.method,
        target=request.url.raw_path.decode("ascii"),
        body=request.content,
        **overrides,
    )


# ------------------------------------------------------------------- accepted


def test_a_good_assertion_is_accepted_and_recorded(
    standin: RunningStandIn, system: System, http: httpx.Client, hub_keys: HubKeys
) -> None:
    standin.forget_assertions()
    record = system.records[0]
    request = system.build(standin.url, record)
    claims = claims_for(
        request, standin.name, sub="citizen-7", purpose=f"{standin.name}.lookup", obo={"k": "v"}
    )
    system.answered(http.send(with_assertion(request, es256(claims, hub_keys.private_key))), record)
    (accepted,) = standin.assertions()
    assert accepted == claims
    assert (accepted["jti"], accepted["sub"], accepted["purpose"]) == (
        claims["jti"],
        "citizen-7",
        f"{standin.name}.lookup",
    )


def test_the_hubs_own_signer_is_accepted(
    standin: RunningStandIn, system: System, http: httpx.Client, hub_keys: HubKeys
) -> None:
    request = system.build(standin.url, system.records[1])
    request.headers.update(
        hub_keys.signer.headers(
            resolver(standin.name),
            audience=standin.name,
            purpose=f"{standin.name}.lookup",
            method=request.method,
            target=request.url.raw_path.decode("ascii"),
            body=request.content,
        )
    )
    system.answered(http.send(request), system.records[1])
    last = standin.assertions()[-1]
    assert (last["sub"], last["role"], last["agency"]) == (
        f"staff@{standin.name}",
        "resolver",
        standin.name,
    )


def test_an_assertion_just_past_its_expiry_is_within_the_leeway(
    standin: RunningStandIn, system: System, http: httpx.Client, hub_keys: HubKeys
) -> None:
    now = int(time.time())
    request = system.build(standin.url, system.records[0])
    token = es256(
        claims_for(request, standin.name, iat=now - 70, exp=now - 10), hub_keys.private_key
    )
    system.answered(http.send(with_assertion(request, token)), system.records[0])


def test_public_data_needs_no_assertion(
    standin: RunningStandIn, system: System, http: httpx.Client
) -> None:
    response = http.send(system.public(standin.url))
    assert response.status_code == 200, response.text


# -------------------------------------------------------------------- refused


def test_a_request_without_an_assertion_is_refused(
    standin: RunningStandIn, system: System, http: httpx.Client
) -> None:
    standin.forget_assertions()
    response = http.send(system.build(standin.url, system.records[0]))
    assert ASSERTION_HEADER in system.refused(response, missing=True)
    assert system.records[0] not in response.text
    assert standin.assertions() == []


def another_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


Forgery = Callable[[dict[str, Any], HubKeys], str]
FORGERIES: dict[str, tuple[Forgery, str]] = {
    "another key": (lambda c, k: es256(c, another_key()), "signature does not verify"),
    "alg none": (lambda c, k: unsigned(c), "alg='none'"),
    "HS256 with the public key as secret": (lambda c, k: hs256(c, k.public_pem), "alg='HS256'"),
    "HS256 with a guessed secret": (lambda c, k: hs256(c, b"secret"), "alg='HS256'"),
    "not a token": (lambda c, k: "not.a.token", "does not hold a JSON Web Token"),
    "signature cut off": (
        lambda c, k: es256(c, k.private_key).rsplit(".", 1)[0] + ".",
        "signature does not verify",
    ),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_a_forged_assertion_is_refused(
    standin: RunningStandIn,
    system: System,
    http: httpx.Client,
    hub_keys: HubKeys,
    forgery: str,
) -> None:
    standin.forget_assertions()
    make, reason = FORGERIES[forgery]
    request = system.build(standin.url, system.records[0])
    response = http.send(with_assertion(request, make(claims_for(request, standin.name), hub_keys)))
    assert reason in system.refused(response)
    assert system.records[0] not in response.text
    assert standin.assertions() == []


def bad_claims(audience: str) -> dict[str, tuple[dict[str, Any], str]]:
    now = int(time.time())
    other = "immigration" if audience == "revenue" else "revenue"
    return {
        "expired": ({"iat": now - 600, "exp": now - 120}, "expired"),
        "another audience": ({"aud": other}, "addressed to another agency"),
        "several audiences": ({"aud": [audience, other]}, f"not to {audience!r}"),
        "another issuer": ({"iss": "someone-else"}, "not issued by 'citizen-hub'"),
        "no req": ({"req": None}, "lacks the 'req' claim"),
        "no jti": ({"jti": None}, "lacks the 'jti' claim"),
        "no exp": ({"exp": None}, "lacks the 'exp' claim"),
        "issued in the future": ({"iat": now + 600, "exp": now + 660}, "not valid"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "expired",
        "another audience",
        "several audiences",
        "another issuer",
        "no req",
        "no jti",
        "no exp",
        "issued in the future",
    ],
)
def test_a_hub_signed_assertion_with_bad_claims_is_refused(
    standin: RunningStandIn, system: System, http: httpx.Client, hub_keys: HubKeys, case: str
) -> None:
    overrides, reason = bad_claims(standin.name)[case]
    request = system.build(standin.url, system.records[0])
    token = es256(claims_for(request, standin.name, **overrides), hub_keys.private_key)
    assert reason in system.refused(http.send(with_assertion(request, token)))


def test_an_assertion_replayed_with_another_record_is_refused(
    standin: RunningStandIn, system: System, http: httpx.Client, hub_keys: HubKeys
) -> None:
    mine, theirs = system.records
    original = system.build(standin.url, mine)
    token = assertion_for(hub_keys, original, standin.name)
    tampered = with_assertion(system.build(standin.url, theirs), token)
    response = http.send(tampered)
    assert "made for another request" in system.refused(response)
    assert theirs not in response.text
    system.answered(http.send(with_assertion(original, token)), mine)


def test_an_assertion_used_twice_is_refused(
    standin: RunningStandIn, system: System, http: httpx.Client, hub_keys: HubKeys
) -> None:
    request = system.build(standin.url, system.records[0])
    token = assertion_for(hub_keys, request, standin.name)
    system.answered(http.send(with_assertion(request, token)), system.records[0])
    again = with_assertion(system.build(standin.url, system.records[0]), token)
    assert "already used" in system.refused(http.send(again))


def test_a_stand_in_without_the_hubs_key_refuses_all_personal_data(
    system: System, http: httpx.Client, hub_keys: HubKeys
) -> None:
    with running_standin(system.name, StandInOptions(today=TODAY)) as keyless:
        request = system.build(keyless.url, system.records[0])
        response = http.send(with_assertion(request, assertion_for(hub_keys, request, system.name)))
        assert "started without the hub's public key" in system.refused(response)
        assert "started without" in system.refused(http.send(system.build(keyless.url, "x")))
        assert http.send(system.public(keyless.url)).status_code == 200


# ------------------------------------------------------------------- the digest


def test_the_immigration_api_checks_the_query_string_as_sent(
    http: httpx.Client, hub_keys: HubKeys
) -> None:
    number = APPLICATIONS[0].application_no
    options = StandInOptions(today=TODAY, hub_public_key=hub_keys.public_pem)
    with running_standin("immigration", options) as api:
        # '-' percent-encoded: the API decodes it, the digest covers the bytes sent
        encoded = number.replace("-", "%2D")
        request = httpx.Request(
            "GET",
            f"{api.url}/api/v1/passport-applications/{encoded}?view=full&view=%20short",
            headers={"X-API-Key": "demo-immigration-key"},
        )
        assert request.url.raw_path.decode() == (
            f"/api/v1/passport-applications/{encoded}?view=full&view=%20short"
        )
        token = assertion_for(hub_keys, request, "immigration")
        IMMIGRATION.answered(http.send(with_assertion(request, token)), number)
        decoded = httpx.Request(
            "GET",
            f"{api.url}/api/v1/passport-applications/{number}?view=full&view=%20short",
            headers={"X-API-Key": "demo-immigration-key", ASSERTION_HEADER: token},
        )
        assert "made for another request" in IMMIGRATION.refused(http.send(decoded))


@pytest.mark.parametrize(
    ("method", "target", "body"),
    [
        ("GET", "/api/v1/passport-applications?application_no=PA2026-0012345", b""),
        ("post", "/soap", b"<soap:Envelope>\xc3\xa9</soap:Envelope>"),
        ("GET", "/a%20b?q=%C3%A9&r=1", b""),
    ],
)
def test_the_digest_follows_the_documented_rule_as_the_hub_does(
    method: str, target: str, body: bytes
) -> None:
    assert request_digest(method, target, body) == hub_request_digest(method, target, body)
    assert request_digest(method, target, body) != request_digest(method, target + "x", body)
    assert request_digest(method, target, body) != request_digest(method, target, body + b" ")


# ------------------------------------------------------------------ start-up


def test_a_public_key_that_is_not_the_hubs_kind_stops_the_stand_in() -> None:
    rsa_pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(ValueError, match="must be an EC P-256 key"):
        create_standin("revenue", StandInOptions(hub_public_key=rsa_pem))
    with pytest.raises(ValueError, match="not a PEM public key"):
        create_standin("immigration", StandInOptions(hub_public_key=b"not a key"))


def test_hub_legacy_refuses_a_key_file_it_cannot_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.pem"
    assert main(["legacy", "revenue", "--hub-public-key", str(missing)]) == 2
    assert f"cannot read the hub's public key {missing}" in capsys.readouterr().err
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("hello")
    assert main(["legacy", "immigration", "--hub-public-key", str(garbage)]) == 2
    assert "not a PEM public key" in capsys.readouterr().err


def test_hub_legacy_checks_assertions_with_the_key_file_it_is_given(
    tmp_path: Path, hub_keys: HubKeys, http: httpx.Client
) -> None:
    port = free_ports(1)
    process = start_hub_command(
        "legacy",
        "immigration",
        "--port",
        str(port),
        "--hub-public-key",
        str(hub_keys.public_file),
        cwd=tmp_path,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/_faults", process)
        # seeded around the real today, the number may be unknown: listed in not_found then
        number = APPLICATIONS[0].application_no
        request = IMMIGRATION.build(url, number)
        token = assertion_for(hub_keys, request, "immigration")
        IMMIGRATION.answered(http.send(with_assertion(request, token)), number)
        IMMIGRATION.refused(http.send(IMMIGRATION.build(url, number)), missing=True)
    finally:
        process.terminate()
        process.communicate(timeout=10)


# ------------------------------------------------------------------- the demo


def test_the_demo_stand_ins_trust_the_hubs_development_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, http: httpx.Client
) -> None:
    monkeypatch.chdir(tmp_path)
    key_file = tmp_path / "keys" / "dev.pem"
    monkeypatch.setenv("HUB_ASSERTION_KEY_FILE", str(key_file))
    environ = {k: v for k, v in os.environ.items() if not k.startswith(HERMETIC_PREFIXES)}
    environ["POLICE_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'police.db'}"
    standins = demo_standins(free_ports(3), environ)
    with running_standins(standins, environ):
        signer = AssertionSigner.from_pem_file(key_file)
        assert (tmp_path / "keys" / "dev.pub.pem").read_bytes() == signer.public_key_pem()
        revenue = next(standin for standin in standins if standin.name == "revenue")
        url = revenue.url.removesuffix("/soap")
        request = REVENUE.build(url, KNOWN_PIN)
        request.headers.update(
            signer.headers(
                resolver("revenue"),
                audience="revenue",
                purpose="revenue.taxCompliance",
                method=request.method,
                target=request.url.raw_path.decode("ascii"),
                body=request.content,
            )
        )
        REVENUE.answered(http.send(request), KNOWN_PIN)
        REVENUE.refused(http.send(REVENUE.build(url, KNOWN_PIN)), missing=True)
