"""Every failure of the revenue gateway becomes the right hub error; settings are checked."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import BaseModel, ValidationError

from connectors.revenue import RevenueConnector, RevenueSettings
from connectors.revenue.errors import translated_errors
from connectors.revenue.soap import SoapClient
from hub.connector import (
    Agency,
    AgencyBadResponse,
    AgencyRejected,
    AgencyTimeout,
    AgencyUnavailable,
    BidQuery,
    Contact,
    HealthStatus,
    NewsQuery,
    NotFound,
    ServiceQuery,
    VacancyQuery,
)
from hub.identity import AssertionSigner
from legacy import StandInOptions
from legacy.running import RunningStandIn, running_standin
from tests.support.callers import resolver
from tests.support.connectors import open_with
from tests.support.keys import HubKeys

AGENCY = Agency(
    id="revenue",
    name="Revenue Authority",
    short_name="RA",
    description="Taxes, customs and Tax Compliance Certificates.",
    contact=Contact(),
)
ENDPOINT = "http://revenue.test/soap"
SETTINGS = {"endpoint": ENDPOINT, "username": "hub", "password": "secret"}
STAFF = resolver("revenue")
SIGNER = AssertionSigner(ec.generate_private_key(ec.SECP256R1()))
"""Signs the requests to the fake gateways below, which check no assertion."""


@pytest.fixture(scope="module")
def standin(hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    options = StandInOptions(today=date(2026, 3, 10), hub_public_key=hub_keys.public_pem)
    with running_standin("revenue", options) as running:
        yield running


async def opened(
    settings: dict[str, Any],
    http: httpx.AsyncClient,
    assertions: AssertionSigner | None = SIGNER,
) -> RevenueConnector:
    return await open_with(RevenueConnector, AGENCY, settings, http, assertions)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


@pytest.fixture
async def connector(
    standin: RunningStandIn, http: httpx.AsyncClient, hub_keys: HubKeys
) -> RevenueConnector:
    return await opened(standin.connector_settings, http, hub_keys.signer)


# ------------------------------------------------------------ the running stand-in


@pytest.mark.parametrize(
    "changes", [{"password": "wrong-password"}, {"username": "intruder"}], ids=["password", "user"]
)
async def test_wrong_credentials_are_rejected(
    standin: RunningStandIn, http: httpx.AsyncClient, changes: dict[str, str]
) -> None:
    connector = await opened({**standin.connector_settings, **changes}, http)
    with pytest.raises(AgencyRejected, match="authentication failed") as caught:
        await connector.services(ServiceQuery())
    assert "check username and password" in caught.value.reason
    assert caught.value.agency == "revenue"
    assert "wrong-password" not in caught.value.message
    with pytest.raises(AgencyRejected, match="authentication failed"):
        await connector.health()


async def test_down_is_unavailable(faulty: RunningStandIn, connector: RevenueConnector) -> None:
    faulty.set_faults(down=True)
    with pytest.raises(
        AgencyUnavailable, match=r"HTTP 503 \(503 Service Temporarily Unavailable\)"
    ) as caught:
        await connector.news(NewsQuery())
    assert caught.value.agency == "revenue"
    with pytest.raises(AgencyUnavailable):
        await connector.tax_compliance(["A012345678Z"], STAFF)
    with pytest.raises(AgencyUnavailable):
        await connector.health()


async def test_server_faults_are_unavailable(
    faulty: RunningStandIn, connector: RevenueConnector
) -> None:
    faulty.set_faults(error_rate=1.0)
    with pytest.raises(AgencyUnavailable, match=r"internal error \(INTERNAL_ERROR\)") as caught:
        await connector.bids(BidQuery())
    assert caught.value.agency == "revenue"
    with pytest.raises(AgencyUnavailable, match="INTERNAL_ERROR"):
        await connector.tax_compliance(["A012345678Z", "P051234567K"], STAFF)


async def test_slow_answer_is_a_timeout(faulty: RunningStandIn) -> None:
    faulty.set_faults(latency=0.5)
    async with httpx.AsyncClient(timeout=0.1) as http:
        connector = await opened(faulty.connector_settings, http)
        with pytest.raises(AgencyTimeout, match="no answer in time") as caught:
            await connector.vacancies(VacancyQuery())
    assert caught.value.agency == "revenue"


async def test_refused_connection_is_unavailable(http: httpx.AsyncClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # open() must not contact the agency: a dead agency at start-up is only unhealthy
    connector = await opened({**SETTINGS, "endpoint": f"http://127.0.0.1:{port}/soap"}, http)
    with pytest.raises(AgencyUnavailable, match="cannot reach"):
        await connector.health()
    with pytest.raises(AgencyUnavailable, match="cannot reach"):
        await connector.services(ServiceQuery())


async def test_wrong_endpoint_path_is_rejected(
    standin: RunningStandIn, http: httpx.AsyncClient
) -> None:
    connector = await opened({**standin.connector_settings, "endpoint": f"{standin.url}/ws"}, http)
    with pytest.raises(AgencyRejected, match=r"HTTP 404 \(Not Found\); check the endpoint"):
        await connector.services(ServiceQuery())


async def translated_call(
    standin: RunningStandIn,
    http: httpx.AsyncClient,
    operation: str,
    pins: list[str],
    signer: AssertionSigner | None = None,
) -> None:
    settings = standin.connector_settings
    client = SoapClient(http, settings["endpoint"], settings["username"], settings["password"])
    sign = None
    if signer is not None:
        purpose = "revenue.taxCompliance"
        sign = signer.for_requests(STAFF, audience="revenue", purpose=purpose, on_behalf_of={})
    with translated_errors("revenue"):
        await client.call(operation, [("Pin", pin) for pin in pins], sign=sign)


async def test_client_faults_are_mapped_by_their_code(
    standin: RunningStandIn, http: httpx.AsyncClient, hub_keys: HubKeys
) -> None:
    # the connector never sends these; its SOAP client, used directly, can
    signer = hub_keys.signer
    lone_unknown = ["A999999999X"]
    with pytest.raises(NotFound, match="no taxpayer is registered with PIN A999999999X"):
        await translated_call(standin, http, "GetTaxComplianceStatus", lone_unknown, signer)
    too_many = [f"A{n:09d}Z" for n in range(51)]
    with pytest.raises(AgencyRejected, match="51 PINs asked, at most 50") as caught:
        await translated_call(standin, http, "GetTaxComplianceStatus", too_many, signer)
    assert caught.value.agency == "revenue"
    with pytest.raises(AgencyRejected, match="not a valid PIN"):
        await translated_call(standin, http, "GetTaxComplianceStatus", ["a012345678z"], signer)
    with pytest.raises(AgencyRejected, match="unknown SOAPAction"):
        await translated_call(standin, http, "GetWeather", [])


async def test_a_refused_assertion_is_rejected_with_the_gateways_reason(
    standin: RunningStandIn, http: httpx.AsyncClient
) -> None:
    unsigned = "GetTaxComplianceStatus"
    with pytest.raises(AgencyRejected, match="the hub's assertion was refused") as caught:
        await translated_call(standin, http, unsigned, ["A012345678Z"])
    assert "X-Hub-Assertion header" in caught.value.reason
    assert "HUB_ASSERTION_KEY_FILE" in caught.value.reason
    assert caught.value.agency == "revenue"
    untrusted = AssertionSigner(ec.generate_private_key(ec.SECP256R1()))
    connector = await opened(standin.connector_settings, http, untrusted)
    with pytest.raises(AgencyRejected, match="signature does not verify") as caught:
        await connector.tax_compliance(["A012345678Z"], STAFF)
    assert caught.value.code == "AGENCY_REJECTED"


async def test_a_gateway_without_the_hubs_key_rejects_personal_data(
    http: httpx.AsyncClient, hub_keys: HubKeys
) -> None:
    with running_standin("revenue", StandInOptions(today=date(2026, 3, 10))) as keyless:
        connector = await opened(keyless.connector_settings, http, hub_keys.signer)
        with pytest.raises(AgencyRejected, match="started without the hub's public key"):
            await connector.tax_compliance(["A012345678Z"], STAFF)
        assert await connector.services(ServiceQuery(limit=1))


async def test_without_an_assertion_key_the_hub_asks_nothing(http: httpx.AsyncClient) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    async with httpx.AsyncClient(transport=httpx.MockTransport(record)) as fake:
        connector = await opened(SETTINGS, fake, assertions=None)
        with pytest.raises(AgencyRejected, match="the hub has no assertion key") as caught:
            await connector.tax_compliance(["A012345678Z"], STAFF)
        assert await connector.tax_compliance([], STAFF) == {}
    assert "HUB_ASSERTION_KEY_FILE" in caught.value.reason
    assert caught.value.agency == "revenue"
    assert sent == []


async def test_calls_before_open_say_so() -> None:
    connector = RevenueConnector(AGENCY, RevenueSettings(**SETTINGS))
    with pytest.raises(RuntimeError, match="not open"):
        await connector.services(ServiceQuery())


def test_needs_its_own_settings() -> None:
    class Other(BaseModel):
        endpoint: str = ENDPOINT

    with pytest.raises(TypeError, match="needs RevenueSettings, got Other"):
        RevenueConnector(AGENCY, Other())


# ---------------------------------------------- answers a real server cannot produce


def soap_body(inner: str) -> str:
    return (
        "<?xml version='1.0' encoding='utf-8'?>"
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:ra="urn:revenue-authority:citizen-services:v1">'
        f"<soap:Body>{inner}</soap:Body></soap:Envelope>"
    )


def xml(status: int, content: str) -> Callable[[], httpx.Response]:
    return lambda: httpx.Response(
        status, text=content, headers={"content-type": "text/xml; charset=utf-8"}
    )


SERVICE = {
    "Code": "RA-SVC-001",
    "Title": "Individual PIN Registration",
    "Description": "Register for a PIN.",
    "Category": "Registration",
    "Fee": '<ra:Fee currency="KES">0.00</ra:Fee>',
    "ProcessingDays": "0",
    "Requirements": "<ra:Requirements><ra:Requirement>ID card</ra:Requirement></ra:Requirements>",
    "Online": "true",
    "Url": "https://www.revenue.go.ke/services/ra-svc-001",
    "LastUpdated": "2026-01-27T09:05:00",
}


def catalogue(**changes: str | None) -> str:
    """A GetServiceCatalogue answer holding one service with ``changes`` (None drops a field)."""
    fields = []
    for name, value in {**SERVICE, **changes}.items():
        if value is None:
            continue
        fields.append(value if value.startswith("<") else f"<ra:{name}>{value}</ra:{name}>")
    service = f"<ra:Service>{''.join(fields)}</ra:Service>"
    return soap_body(
        f"<ra:GetServiceCatalogueResponse><ra:Services>{service}</ra:Services>"
        "</ra:GetServiceCatalogueResponse>"
    )


def fault(code: str, message: str = "went wrong", error_code: str = "SOME_CODE") -> str:
    return soap_body(
        f"<soap:Fault><faultcode>{code}</faultcode><faultstring>{message}</faultstring>"
        f"<detail><ra:ServiceError><ra:Code>{error_code}</ra:Code>"
        f"<ra:Message>{message}</ra:Message></ra:ServiceError></detail></soap:Fault>"
    )


def answering(respond: Callable[[], httpx.Response]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: respond())


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (lambda: httpx.Response(200, text="<html>Gateway</html>"), "not a SOAP 1.1 envelope"),
        (lambda: httpx.Response(200, json={"services": []}), "not a SOAP 1.1 envelope"),
        (lambda: httpx.Response(200), "not a SOAP 1.1 envelope"),
        (xml(200, "<Envelope/>"), "not a SOAP 1.1 envelope"),
        (
            xml(200, soap_body("").replace("<soap:Body></soap:Body>", "")),
            "envelope has no Body",
        ),
        (xml(200, soap_body("")), "the SOAP Body holds nothing"),
        (xml(200, soap_body("<ra:PingResponse/>")), "expected .*GetServiceCatalogueResponse"),
        (
            xml(200, soap_body("<ra:GetServiceCatalogueResponse/>")),
            "GetServiceCatalogueResponse has no Services element",
        ),
        (xml(200, catalogue(Title=None)), "Service RA-SVC-001 has no Title element"),
        (xml(200, catalogue(Code=None)), "Service has no Code element"),
        (xml(200, catalogue(Category="  ")), "Service RA-SVC-001 has an empty Category"),
        (xml(200, catalogue(Fee="<ra:Fee>0.00</ra:Fee>")), "Fee without a currency"),
        (
            xml(200, catalogue(Fee='<ra:Fee currency="KES">1,000</ra:Fee>')),
            "unreadable Fee: '1,000'",
        ),
        (xml(200, catalogue(ProcessingDays="two")), "unreadable ProcessingDays"),
        (xml(200, catalogue(Online="yes")), "unreadable Online: 'yes'"),
        (xml(200, catalogue(LastUpdated="27/01/2026")), "unreadable LastUpdated"),
        (xml(200, catalogue(Requirements=None)), "has no Requirements element"),
        (xml(500, soap_body("<soap:Fault><faultstring>x</faultstring></soap:Fault>")), "faultcode"),
    ],
)
async def test_garbage_is_a_bad_response(
    response: Callable[[], httpx.Response], message: str
) -> None:
    async with httpx.AsyncClient(transport=answering(response)) as http:
        connector = await opened(SETTINGS, http)
        with pytest.raises(AgencyBadResponse, match=message) as caught:
            await connector.services(ServiceQuery())
    assert caught.value.agency == "revenue"


async def test_the_baseline_of_these_cases_is_readable() -> None:
    async with httpx.AsyncClient(transport=answering(xml(200, catalogue()))) as http:
        connector = await opened(SETTINGS, http)
        (service,) = await connector.services(ServiceQuery())
    assert service.id == "RA-SVC-001"
    assert service.requirements == ("ID card",)


READABLE_CERTIFICATE = (
    "<ra:Certificate><ra:Pin>P051234567K</ra:Pin><ra:TaxpayerName>Acme</ra:TaxpayerName>"
    "<ra:TaxpayerType>COMPANY</ra:TaxpayerType><ra:Status>NONE</ra:Status></ra:Certificate>"
)


def certificates(*elements: str) -> str:
    return (
        "<ra:GetTaxComplianceStatusResponse><ra:Certificates>"
        + "".join(elements)
        + "</ra:Certificates></ra:GetTaxComplianceStatusResponse>"
    )


@pytest.mark.parametrize(
    ("certificate", "message"),
    [
        (
            "<ra:Certificate>"
            "<ra:Pin>A012345678Z</ra:Pin><ra:TaxpayerName>W</ra:TaxpayerName>"
            "<ra:TaxpayerType>INDIVIDUAL</ra:TaxpayerType><ra:Status>SUSPENDED</ra:Status>"
            "</ra:Certificate>",
            "unreadable Status: 'SUSPENDED'",
        ),
        (
            "<ra:Certificate>"
            "<ra:Pin>A012345678Z</ra:Pin><ra:TaxpayerName>W</ra:TaxpayerName>"
            "<ra:TaxpayerType>INDIVIDUAL</ra:TaxpayerType><ra:Status>VALID</ra:Status>"
            "<ra:ExpiresOn>2026-02-30</ra:ExpiresOn>"
            "</ra:Certificate>",
            "unreadable ExpiresOn",
        ),
    ],
)
async def test_an_unreadable_certificate_is_the_bad_response_of_its_pin_alone(
    certificate: str, message: str
) -> None:
    answer = certificates(certificate, READABLE_CERTIFICATE)
    transport = answering(xml(200, soap_body(answer)))
    async with httpx.AsyncClient(transport=transport) as http:
        connector = await opened(SETTINGS, http)
        found = await connector.tax_compliance(["A012345678Z", "P051234567K"], STAFF)
    error = found["A012345678Z"]
    assert isinstance(error, AgencyBadResponse)
    assert re.search(message, str(error))
    assert error.agency == "revenue"
    readable = found["P051234567K"]
    assert not isinstance(readable, Exception)
    assert readable.taxpayer_type.value == "COMPANY"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("<ra:GetTaxComplianceStatusResponse/>", "has no Certificates element"),
        (
            certificates(
                "<ra:Certificate><ra:TaxpayerName>W</ra:TaxpayerName></ra:Certificate>",
                READABLE_CERTIFICATE,
            ),
            "Pin",
        ),
    ],
)
async def test_an_answer_that_cannot_be_told_apart_by_pin_is_a_bad_response(
    answer: str, message: str
) -> None:
    transport = answering(xml(200, soap_body(answer)))
    async with httpx.AsyncClient(transport=transport) as http:
        connector = await opened(SETTINGS, http)
        with pytest.raises(AgencyBadResponse, match=message):
            await connector.tax_compliance(["A012345678Z", "P051234567K"], STAFF)


@pytest.mark.parametrize(
    ("response", "error", "message"),
    [
        (
            lambda: httpx.Response(502, text="<html><title>502 Bad Gateway</title></html>"),
            AgencyUnavailable,
            r"HTTP 502 \(502 Bad Gateway\)",
        ),
        (lambda: httpx.Response(429), AgencyUnavailable, r"HTTP 429 \(Too Many Requests\)"),
        (
            xml(500, fault("soap:Server.Database", "database offline", "DB_DOWN")),
            AgencyUnavailable,
            r"database offline \(DB_DOWN\)",
        ),
        (
            xml(500, fault("soap:MustUnderstand", "header not understood")),
            AgencyRejected,
            "header not understood",
        ),
        (
            xml(500, fault("soap:Client", "missing element", "INVALID_REQUEST")),
            AgencyRejected,
            "missing element",
        ),
        (
            xml(200, fault("soap:Client", "no taxpayer", "PIN_NOT_FOUND")),
            NotFound,
            "no taxpayer",
        ),
        (
            lambda: httpx.Response(301, headers={"location": "https://revenue.test/soap"}),
            AgencyRejected,
            "HTTP 301",
        ),
    ],
)
async def test_statuses_and_faults_are_translated(
    response: Callable[[], httpx.Response], error: type[Exception], message: str
) -> None:
    async with httpx.AsyncClient(transport=answering(response)) as http:
        connector = await opened(SETTINGS, http)
        with pytest.raises(error, match=message):
            await connector.news(NewsQuery())


async def test_health_reports_other_status_words_as_degraded() -> None:
    ping = (
        "<ra:PingResponse><ra:Status>MAINTENANCE</ra:Status>"
        "<ra:SystemTime>2026-03-10T12:00:00</ra:SystemTime><ra:Version>3.4.2</ra:Version>"
        "</ra:PingResponse>"
    )
    async with httpx.AsyncClient(transport=answering(xml(200, soap_body(ping)))) as http:
        connector = await opened(SETTINGS, http)
        health = await connector.health()
    assert health.status is HealthStatus.DEGRADED
    assert "'MAINTENANCE'" in health.detail
    assert "system time 2026-03-10T09:00:00+00:00" in health.detail


async def test_health_answer_without_fields_is_a_bad_response() -> None:
    ping = "<ra:PingResponse><ra:Status>OK</ra:Status></ra:PingResponse>"
    async with httpx.AsyncClient(transport=answering(xml(200, soap_body(ping)))) as http:
        connector = await opened(SETTINGS, http)
        with pytest.raises(AgencyBadResponse, match="PingResponse has no SystemTime"):
            await connector.health()


async def test_entities_in_answers_are_not_resolved() -> None:
    answer = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + soap_body(
            "<ra:PingResponse><ra:Status>&e;</ra:Status>"
            "<ra:SystemTime>2026-03-10T12:00:00</ra:SystemTime><ra:Version>1</ra:Version>"
            "</ra:PingResponse>"
        ).split("?>", 1)[1]
    )
    async with httpx.AsyncClient(transport=answering(xml(200, answer))) as http:
        connector = await opened(SETTINGS, http)
        with pytest.raises(AgencyBadResponse, match="PingResponse has an empty Status"):
            await connector.health()


# ------------------------------------------------------------------------ settings


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"endpoint": "ftp://revenue.test/soap"}, "http\\(s\\) URL"),
        ({"endpoint": "revenue.test/soap"}, "http\\(s\\) URL"),
        ({"username": ""}, "at least 1 character"),
        ({"password": ""}, "at least 1 item"),
        ({"timezone": "Africa/Atlantis"}, "unknown time zone"),
        ({"api_key": "k"}, "Extra inputs are not permitted"),
    ],
)
def test_settings_are_checked(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        RevenueSettings(**{**SETTINGS, **changes})


def test_settings_defaults_and_secret() -> None:
    settings = RevenueSettings(**{**SETTINGS, "password": "very-secret"})
    assert settings.timezone == "Africa/Nairobi"
    assert str(settings.zone) == "Africa/Nairobi"
    assert "very-secret" not in repr(settings)
    assert "very-secret" not in str(settings.model_dump())
