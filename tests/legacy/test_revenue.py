"""The revenue stand-in over loopback: WSDL, operations, WS-Security, faults and seed data.

Every answer is checked against the XML Schema the stand-in's own WSDL declares, so
the description and the service cannot drift apart.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from lxml import etree

from legacy import Faults, StandInOptions
from legacy.revenue import OPERATIONS, PASSWORD_TEXT, SERVICE_NS, SOAP_ENV_NS, WSSE_NS
from legacy.revenue.seed import build_seed
from legacy.running import RunningStandIn, running_standin
from tests.support.keys import HubKeys, signing_hook

TODAY = date(2026, 3, 10)
USERNAME = "hub-tests"
PASSWORD = "test-revenue-password"
SEED = build_seed(TODAY)

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP_NS = "http://schemas.xmlsoap.org/wsdl/soap/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
WSDL_PREFIXES = {"wsdl": WSDL_NS, "soap": WSDL_SOAP_NS}
SOAP12_ENV_NS = "http://www.w3.org/2003/05/soap-envelope"
OPERATION_NAMES = {
    "GetEnquiryUpdates",
    "LodgeEnquiry",
    "GetServiceCatalogue",
    "GetNews",
    "GetVacancies",
    "GetTenders",
    "GetTaxComplianceStatus",
    "Ping",
}
KNOWN_PIN = "A012345678Z"
UNKNOWN_PIN = "A999999999X"
LODGE_REQUIRED = [
    ("HubTicketId", "tkt-minimal"),
    ("EnquiryType", "GENERAL ENQUIRY"),
    ("Category", "refunds"),
    ("Priority", "P3"),
    ("Subject", "Where is my refund?"),
    ("Details", "I filed in June and have heard nothing."),
    ("SubmittedOn", "2026-03-10T09:15:00"),
]
REQUIRED_PARAMETERS = {
    "GetTaxComplianceStatus": [("Pin", KNOWN_PIN)],
    "LodgeEnquiry": LODGE_REQUIRED,
    "GetEnquiryUpdates": [("Since", "2026-03-10T00:00:00")],
}
"""The parameters an operation cannot do without; the others need none."""

Parameters = Sequence[tuple[str, str]]


@pytest.fixture(scope="module")
def standin(hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    options = StandInOptions(
        today=TODAY, username=USERNAME, password=PASSWORD, hub_public_key=hub_keys.public_pem
    )
    with running_standin("revenue", options) as running:
        yield running


@pytest.fixture(scope="module")
def gateway(standin: RunningStandIn, hub_keys: HubKeys) -> Iterator[Gateway]:
    """A client of the gateway that sends the hub's assertion with every SOAP request
    (tests/legacy/test_assertions.py checks the assertions themselves)."""
    sign = signing_hook(hub_keys, "revenue", lambda request: request.method == "POST")
    with httpx.Client(base_url=standin.url, timeout=5, event_hooks={"request": [sign]}) as http:
        yield Gateway(http)


@pytest.fixture(scope="module")
def schema(gateway: Gateway) -> etree.XMLSchema:
    """The XML Schema embedded in the WSDL the stand-in serves."""
    wsdl = etree.fromstring(gateway.http.get("/soap?wsdl").content)
    embedded = wsdl.find(f"{{{WSDL_NS}}}types/{{{XSD_NS}}}schema")
    assert embedded is not None
    return etree.XMLSchema(copy.deepcopy(embedded))


# ------------------------------------------------------------------------- helpers


def ra(local: str) -> str:
    return f"{{{SERVICE_NS}}}{local}"


def soap(local: str) -> str:
    return f"{{{SOAP_ENV_NS}}}{local}"


def wsse(local: str) -> str:
    return f"{{{WSSE_NS}}}{local}"


def token(username: str = USERNAME, password: str | None = PASSWORD) -> etree._Element:
    """A wsse:Security header entry holding a UsernameToken."""
    security = etree.Element(wsse("Security"), nsmap={"wsse": WSSE_NS})
    username_token = etree.SubElement(security, wsse("UsernameToken"))
    etree.SubElement(username_token, wsse("Username")).text = username
    if password is not None:
        etree.SubElement(username_token, wsse("Password"), Type=PASSWORD_TEXT).text = password
    return security


def envelope(
    operation: str,
    parameters: Parameters = (),
    *,
    header: Sequence[etree._Element] | None = None,
    namespace: str = SERVICE_NS,
) -> bytes:
    """A SOAP 1.1 request; ``header`` defaults to a valid UsernameToken."""
    root = etree.Element(soap("Envelope"), nsmap={"soap": SOAP_ENV_NS, "ra": SERVICE_NS})
    entries = [token()] if header is None else header
    if entries:
        soap_header = etree.SubElement(root, soap("Header"))
        for entry in entries:
            soap_header.append(entry)
    request = etree.SubElement(etree.SubElement(root, soap("Body")), f"{{{namespace}}}{operation}")
    for name, text in parameters:
        etree.SubElement(request, ra(name)).text = text
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


class Gateway:
    """POSTs to the stand-in's SOAP endpoint over one HTTP client."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def post(
        self,
        body: bytes,
        *,
        action: str | None = None,
        content_type: str = "text/xml; charset=utf-8",
    ) -> httpx.Response:
        headers = {"Content-Type": content_type}
        if action is not None:
            headers["SOAPAction"] = action
        return self.http.post("/soap", content=body, headers=headers)

    def call(self, operation: str, parameters: Parameters = ()) -> httpx.Response:
        """POST ``operation`` with its SOAPAction, as a WSDL-generated client does."""
        return self.post(envelope(operation, parameters), action=f'"{SERVICE_NS}/{operation}"')


def body_of(response: httpx.Response) -> etree._Element:
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert root.tag == soap("Envelope")
    children = [child for child in root if isinstance(child.tag, str)]
    assert [child.tag for child in children] == [soap("Body")]
    (payload,) = children[0]
    return payload


def answer(response: httpx.Response, operation: str, schema: etree.XMLSchema) -> etree._Element:
    """The ``<operation>Response`` of a 200 answer, checked against the WSDL's schema."""
    assert response.status_code == 200, response.text
    payload = body_of(response)
    assert payload.tag == ra(f"{operation}Response")
    schema.assertValid(copy.deepcopy(payload))
    return payload


def fault(
    response: httpx.Response,
    code: str,
    error_code: str,
    schema: etree.XMLSchema,
    status: int = 500,
) -> str:
    """Check a SOAP 1.1 fault answer; return its faultstring."""
    assert response.status_code == status, response.text
    payload = body_of(response)
    assert payload.tag == soap("Fault")
    assert [child.tag for child in payload] == ["faultcode", "faultstring", "detail"]
    assert payload.findtext("faultcode") == f"soap:{code}"
    error = payload.find(f"detail/{ra('ServiceError')}")
    assert error is not None
    schema.assertValid(copy.deepcopy(error))
    assert error.findtext(ra("Code")) == error_code
    message = payload.findtext("faultstring")
    assert message
    return message


def records(payload: etree._Element, container: str, item: str) -> list[etree._Element]:
    holder = payload.find(ra(container))
    assert holder is not None
    return holder.findall(ra(item))


def text(element: etree._Element, name: str) -> str:
    value = element.findtext(ra(name))
    assert value is not None, f"{element.tag} has no {name}"
    return value


def local_time(element: etree._Element, name: str) -> datetime:
    """A dateTime field: local time of the gateway, without an offset."""
    value = datetime.fromisoformat(text(element, name))
    assert value.tzinfo is None
    return value


def day(element: etree._Element, name: str) -> date:
    return date.fromisoformat(text(element, name))


def kes(element: etree._Element, name: str) -> Decimal:
    amount = element.find(ra(name))
    assert amount is not None
    assert amount.get("currency") == "KES"
    return Decimal(amount.text or "")


# --------------------------------------------------------------------------- WSDL


@pytest.mark.parametrize("query", ["wsdl", "WSDL"])
def test_wsdl_describes_every_operation(
    standin: RunningStandIn, gateway: Gateway, query: str
) -> None:
    response = gateway.http.get(f"/soap?{query}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    wsdl = etree.fromstring(response.content)
    assert wsdl.tag == f"{{{WSDL_NS}}}definitions"
    assert wsdl.get("targetNamespace") == SERVICE_NS

    port_type = wsdl.findall(f"{{{WSDL_NS}}}portType/{{{WSDL_NS}}}operation")
    assert {op.get("name") for op in port_type} == OPERATION_NAMES == set(OPERATIONS)
    binding = wsdl.find(f"{{{WSDL_NS}}}binding")
    assert binding is not None
    style = binding.find(f"{{{WSDL_SOAP_NS}}}binding")
    assert style is not None
    assert style.get("transport") == "http://schemas.xmlsoap.org/soap/http"
    actions = {
        op.get("name"): op.xpath("string(soap:operation/@soapAction)", namespaces=WSDL_PREFIXES)
        for op in binding.findall(f"{{{WSDL_NS}}}operation")
    }
    assert actions == {name: OPERATIONS[name].soap_action for name in OPERATION_NAMES}
    address = wsdl.find(f".//{{{WSDL_NS}}}port/{{{WSDL_SOAP_NS}}}address")
    assert address is not None
    assert address.get("location") == f"{standin.url}/soap"


def test_wsdl_declares_every_request_and_answer(schema: etree.XMLSchema) -> None:
    for name in OPERATION_NAMES:
        request = etree.Element(ra(name))
        for parameter, value in REQUIRED_PARAMETERS.get(name, []):
            etree.SubElement(request, ra(parameter)).text = value
        schema.assertValid(request)
    assert not schema.validate(etree.Element(ra("GetWeather")))


def test_get_without_wsdl_explains_itself(gateway: Gateway) -> None:
    response = gateway.http.get("/soap")
    assert response.status_code == 400
    assert "?wsdl" in response.text


# --------------------------------------------------------------------- operations


@pytest.mark.parametrize("operation", sorted(OPERATION_NAMES))
@pytest.mark.parametrize("action", ["declared", "empty", "absent"])
def test_every_operation_answers_an_envelope(
    gateway: Gateway, schema: etree.XMLSchema, operation: str, action: str
) -> None:
    parameters = REQUIRED_PARAMETERS.get(operation, [])
    soap_action = {"declared": f'"{SERVICE_NS}/{operation}"', "empty": '""', "absent": None}
    response = gateway.post(envelope(operation, parameters), action=soap_action[action])
    answer(response, operation, schema)


def test_ping(gateway: Gateway, schema: etree.XMLSchema) -> None:
    payload = answer(gateway.call("Ping"), "Ping", schema)
    assert text(payload, "Status") == "OK"
    assert re.fullmatch(r"\d+\.\d+\.\d+", text(payload, "Version"))
    local_time(payload, "SystemTime")


def test_service_catalogue(gateway: Gateway, schema: etree.XMLSchema) -> None:
    payload = answer(gateway.call("GetServiceCatalogue"), "GetServiceCatalogue", schema)
    services = records(payload, "Services", "Service")
    assert len(services) >= 25
    codes = [text(s, "Code") for s in services]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"RA-SVC-\d{3}", code) for code in codes)
    assert {"Registration", "Compliance", "Customs", "Filing and Payment"} <= {
        text(s, "Category") for s in services
    }
    fees = [kes(s, "Fee") for s in services]
    assert all(fee >= 0 for fee in fees)
    assert any(fee > 0 for fee in fees)
    assert any(fee == 0 for fee in fees)
    for service in services:
        assert local_time(service, "LastUpdated").date() <= TODAY
        assert text(service, "Url").startswith("https://")


def test_service_catalogue_filters(gateway: Gateway, schema: etree.XMLSchema) -> None:
    registration = records(
        answer(
            gateway.call("GetServiceCatalogue", [("Category", "registration")]),
            "GetServiceCatalogue",
            schema,
        ),
        "Services",
        "Service",
    )
    assert registration
    assert {text(s, "Category") for s in registration} == {"Registration"}
    found = records(
        answer(
            gateway.call("GetServiceCatalogue", [("Keyword", "pin NON-RESIDENT")]),
            "GetServiceCatalogue",
            schema,
        ),
        "Services",
        "Service",
    )
    assert [text(s, "Code") for s in found] == ["RA-SVC-003"]
    nothing = gateway.call("GetServiceCatalogue", [("Category", "Astrology")])
    assert records(answer(nothing, "GetServiceCatalogue", schema), "Services", "Service") == []


def test_news_newest_first(gateway: Gateway, schema: etree.XMLSchema) -> None:
    news = records(answer(gateway.call("GetNews"), "GetNews", schema), "NewsItems", "NewsItem")
    assert len(news) >= 25
    published = [local_time(n, "Published") for n in news]
    assert published == sorted(published, reverse=True)
    assert all(TODAY - timedelta(days=200) < p.date() < TODAY for p in published)
    assert published[0] == datetime(2026, 3, 9, 10, 30)
    ids = [text(n, "NewsId") for n in news]
    assert len(set(ids)) == len(ids)
    assert {text(n, "Category") for n in news} == {
        "Press Release",
        "Tax Alert",
        "Public Notice",
        "Customs Notice",
    }
    assert any("KES" in text(n, "Body") for n in news)


def test_news_window_and_category(gateway: Gateway, schema: etree.XMLSchema) -> None:
    # 2026-02-01T21:30Z is 00:30 on 2 February in Nairobi: offsets are converted
    window = [("PublishedFrom", "2026-02-01T21:30:00Z"), ("PublishedTo", "2026-03-01T23:59:59")]
    found = records(
        answer(gateway.call("GetNews", window), "GetNews", schema), "NewsItems", "NewsItem"
    )
    assert found
    everything = [n for n in SEED.news if datetime(2026, 2, 2, 0, 30) <= n.published]
    inside = [n for n in everything if n.published <= datetime(2026, 3, 1, 23, 59, 59)]
    assert [text(n, "NewsId") for n in found] == [n.news_id for n in inside]

    # one instant written with two offsets: a window holding exactly one release
    release = SEED.news[3]
    instant = [
        ("PublishedFrom", f"{release.published.isoformat()}+03:00"),
        ("PublishedTo", f"{(release.published - timedelta(hours=3)).isoformat()}Z"),
    ]
    exact = records(
        answer(gateway.call("GetNews", instant), "GetNews", schema), "NewsItems", "NewsItem"
    )
    assert [text(n, "NewsId") for n in exact] == [release.news_id]

    alerts = records(
        answer(gateway.call("GetNews", [("Category", "tax alert")]), "GetNews", schema),
        "NewsItems",
        "NewsItem",
    )
    assert alerts
    assert {text(n, "Category") for n in alerts} == {"Tax Alert"}


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ([("PublishedFrom", "01/03/2026")], "xsd:dateTime"),
        (
            [("PublishedFrom", "2026-03-01T00:00:00"), ("PublishedTo", "2026-02-01T00:00:00")],
            "swap them",
        ),
        ([("Category", "a"), ("Category", "b")], "at most once"),
        ([("Keyword", "tax")], "unexpected element Keyword"),
    ],
)
def test_news_bad_parameters_are_client_faults(
    gateway: Gateway, schema: etree.XMLSchema, parameters: Parameters, message: str
) -> None:
    response = gateway.call("GetNews", parameters)
    assert message in fault(response, "Client", "INVALID_REQUEST", schema)


def test_vacancies_around_today(gateway: Gateway, schema: etree.XMLSchema) -> None:
    payload = answer(gateway.call("GetVacancies"), "GetVacancies", schema)
    vacancies = records(payload, "Vacancies", "Vacancy")
    assert len(vacancies) >= 15
    closing = [day(v, "ClosingDate") for v in vacancies]
    assert closing == sorted(closing)
    open_now = [v for v in vacancies if day(v, "OpeningDate") <= TODAY <= day(v, "ClosingDate")]
    assert len(open_now) > len(vacancies) - len(open_now) > 0
    for vacancy in vacancies:
        assert day(vacancy, "OpeningDate") < day(vacancy, "ClosingDate")
        assert 0 < kes(vacancy, "SalaryMin") <= kes(vacancy, "SalaryMax")
        assert re.fullmatch(r"RA \d+", text(vacancy, "Grade"))
        assert int(text(vacancy, "Positions")) >= 1

    audit = gateway.call("GetVacancies", [("Department", "INTERNAL AUDIT")])
    found = records(answer(audit, "GetVacancies", schema), "Vacancies", "Vacancy")
    assert found
    assert {text(v, "Department") for v in found} == {"Internal Audit"}


def test_tenders(gateway: Gateway, schema: etree.XMLSchema) -> None:
    tenders = records(answer(gateway.call("GetTenders"), "GetTenders", schema), "Tenders", "Tender")
    assert len(tenders) >= 25
    published = [local_time(t, "PublicationDate") for t in tenders]
    assert published == sorted(published, reverse=True)
    numbers = [text(t, "TenderNumber") for t in tenders]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"RA/[A-Z]{3}/\d{3}/\d{4}-\d{4}", number) for number in numbers)
    assert {text(t, "Status") for t in tenders} == {"OPEN", "CLOSED", "AWARDED", "CANCELLED"}
    assert {text(t, "Category") for t in tenders} == {"GOODS", "WORKS", "SERVICES", "CONSULTANCY"}
    values = [kes(t, "EstimatedValue") for t in tenders]
    assert max(values) >= 100_000_000
    for tender in tenders:
        closes = local_time(tender, "ClosingDate")
        assert local_time(tender, "PublicationDate") < closes
        if text(tender, "Status") == "OPEN":
            assert closes.date() > TODAY
        elif text(tender, "Status") in ("CLOSED", "AWARDED"):
            assert closes.date() < TODAY


def test_tender_filters(gateway: Gateway, schema: etree.XMLSchema) -> None:
    works = gateway.call("GetTenders", [("Status", "OPEN"), ("Category", "WORKS")])
    found = records(answer(works, "GetTenders", schema), "Tenders", "Tender")
    assert found
    assert {(text(t, "Status"), text(t, "Category")) for t in found} == {("OPEN", "WORKS")}
    response = gateway.call("GetTenders", [("Status", "open")])
    assert "OPEN, CLOSED, AWARDED, CANCELLED" in fault(
        response, "Client", "INVALID_REQUEST", schema
    )


# ------------------------------------------------------------- tax compliance


def test_certificate_of_one_pin(gateway: Gateway, schema: etree.XMLSchema) -> None:
    payload = answer(
        gateway.call("GetTaxComplianceStatus", [("Pin", KNOWN_PIN)]),
        "GetTaxComplianceStatus",
        schema,
    )
    (certificate,) = records(payload, "Certificates", "Certificate")
    assert payload.find(ra("UnknownPins")) is None
    assert text(certificate, "Pin") == KNOWN_PIN
    assert text(certificate, "TaxpayerName") == "Wanjiku Mary Kamau"
    assert text(certificate, "TaxpayerType") == "INDIVIDUAL"
    assert text(certificate, "Status") == "VALID"
    assert re.fullmatch(r"TCC/2026/\d{7}", text(certificate, "CertificateNumber"))
    issued = day(certificate, "IssuedOn")
    assert issued == TODAY - timedelta(days=34)
    assert day(certificate, "ExpiresOn") == date(2027, 2, 3)


def test_certificates_of_a_batch(gateway: Gateway, schema: etree.XMLSchema) -> None:
    company, never = "P051234567K", "A003344556D"
    pins = [KNOWN_PIN, UNKNOWN_PIN, company, never, KNOWN_PIN, "P000000000A"]
    payload = answer(
        gateway.call("GetTaxComplianceStatus", [("Pin", pin) for pin in pins]),
        "GetTaxComplianceStatus",
        schema,
    )
    certificates = {text(c, "Pin"): c for c in records(payload, "Certificates", "Certificate")}
    assert list(certificates) == [KNOWN_PIN, company, never]
    assert text(certificates[company], "TaxpayerType") == "COMPANY"
    assert text(certificates[never], "Status") == "NONE"
    assert certificates[never].find(ra("CertificateNumber")) is None
    assert certificates[never].find(ra("ExpiresOn")) is None
    unknown = records(payload, "UnknownPins", "Pin")
    assert [pin.text for pin in unknown] == [UNKNOWN_PIN, "P000000000A"]


def test_unknown_lone_pin_is_a_fault(gateway: Gateway, schema: etree.XMLSchema) -> None:
    response = gateway.call("GetTaxComplianceStatus", [("Pin", UNKNOWN_PIN)])
    assert UNKNOWN_PIN in fault(response, "Client", "PIN_NOT_FOUND", schema)


@pytest.mark.parametrize(
    ("pins", "error_code", "message"),
    [
        ([], "INVALID_REQUEST", "missing required element Pin"),
        (["a012345678z"], "INVALID_PIN", "'a012345678z' is not a valid PIN"),
        ([KNOWN_PIN, "A01234567Z"], "INVALID_PIN", "'A01234567Z'"),
        ([f"A{n:09d}Z" for n in range(51)], "BATCH_TOO_LARGE", "51 PINs asked, at most 50"),
    ],
)
def test_bad_pin_requests_are_client_faults(
    gateway: Gateway,
    schema: etree.XMLSchema,
    pins: list[str],
    error_code: str,
    message: str,
) -> None:
    response = gateway.call("GetTaxComplianceStatus", [("Pin", pin) for pin in pins])
    assert message in fault(response, "Client", error_code, schema)


def test_fifty_pins_are_accepted(gateway: Gateway, schema: etree.XMLSchema) -> None:
    pins = [*list(SEED.taxpayers)[:40], *(f"A{n:09d}Z" for n in range(10))]
    payload = answer(
        gateway.call("GetTaxComplianceStatus", [("Pin", pin) for pin in pins]),
        "GetTaxComplianceStatus",
        schema,
    )
    assert len(records(payload, "Certificates", "Certificate")) == 40
    assert len(records(payload, "UnknownPins", "Pin")) == 10


# ------------------------------------------------------------------ WS-Security


def password_typed(kind: str) -> etree._Element:
    security = token()
    password = security.find(f"{wsse('UsernameToken')}/{wsse('Password')}")
    assert password is not None
    password.set("Type", kind)
    return security


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ([], "no wsse:Security header"),
        ([token(password="wrong-password")], "wrong password"),
        ([token(password=PASSWORD.upper())], "wrong password"),
        ([token(password="")], "wrong password"),
        ([token(username="someone-else")], "unknown username"),
        ([token(password=None)], "needs both wsse:Username and wsse:Password"),
        ([etree.Element(wsse("Security"))], "holds no wsse:UsernameToken"),
        ([password_typed(PASSWORD_TEXT.replace("Text", "Digest"))], "not supported"),
    ],
)
def test_bad_credentials_are_client_faults(
    gateway: Gateway, schema: etree.XMLSchema, header: list[etree._Element], reason: str
) -> None:
    response = gateway.post(envelope("Ping", header=header))
    message = fault(response, "Client", "AUTHENTICATION_FAILED", schema)
    assert message.startswith("authentication failed")
    assert reason in message
    assert PASSWORD not in response.text


def test_credentials_are_checked_before_the_operation(
    gateway: Gateway, schema: etree.XMLSchema
) -> None:
    unauthenticated = envelope("GetTaxComplianceStatus", [("Pin", KNOWN_PIN)], header=[])
    fault(gateway.post(unauthenticated), "Client", "AUTHENTICATION_FAILED", schema)
    unknown = envelope("GetWeather", header=[token(password="wrong")])
    fault(gateway.post(unknown), "Client", "AUTHENTICATION_FAILED", schema)


def test_unknown_must_understand_header_is_refused(
    gateway: Gateway, schema: etree.XMLSchema
) -> None:
    routing = etree.Element("{urn:example:routing}To")
    routing.set(soap("mustUnderstand"), "1")
    response = gateway.post(envelope("Ping", header=[token(), routing]))
    assert "mustUnderstand" in fault(response, "MustUnderstand", "MUST_UNDERSTAND", schema)
    routing.set(soap("mustUnderstand"), "0")
    answer(gateway.post(envelope("Ping", header=[token(), routing])), "Ping", schema)


# ------------------------------------------------------------- malformed requests


def soap12() -> bytes:
    root = etree.Element(f"{{{SOAP12_ENV_NS}}}Envelope")
    etree.SubElement(etree.SubElement(root, f"{{{SOAP12_ENV_NS}}}Body"), ra("Ping"))
    return etree.tostring(root)


def without_body() -> bytes:
    root = etree.Element(soap("Envelope"))
    etree.SubElement(root, soap("Header")).append(token())
    return etree.tostring(root)


def two_operations() -> bytes:
    root = etree.fromstring(envelope("Ping"))
    body = root.find(soap("Body"))
    assert body is not None
    etree.SubElement(body, ra("GetNews"))
    return etree.tostring(root)


def with_external_entity() -> bytes:
    """An envelope declaring an entity that reads a local file (XXE)."""
    declaration = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    request = etree.tostring(etree.fromstring(envelope("Ping")))
    return declaration + request.replace(b"<ra:Ping/>", b"<ra:Ping>&e;</ra:Ping>")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "the request body is empty"),
        (b"this is not XML", "not well-formed XML"),
        (b"<Envelope><Body/></Envelope>", "not a SOAP envelope"),
        (b'{"operation": "Ping"}', "not well-formed XML"),
        (without_body(), "has no Body"),
        (envelope("Ping").replace(b"<ra:Ping/>", b""), "the SOAP Body is empty"),
        (two_operations(), "exactly one operation element"),
        (with_external_entity(), "document type declaration"),
    ],
)
def test_malformed_requests_are_client_faults(
    gateway: Gateway, schema: etree.XMLSchema, body: bytes, message: str
) -> None:
    response = gateway.post(body)
    assert message in fault(response, "Client", "INVALID_REQUEST", schema)
    assert "root:" not in response.text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (envelope("GetWeather"), "unknown operation"),
        (envelope("Ping", namespace="urn:other"), f"put it in the namespace {SERVICE_NS}"),
    ],
)
def test_unknown_operations_are_client_faults(
    gateway: Gateway, schema: etree.XMLSchema, body: bytes, message: str
) -> None:
    assert message in fault(gateway.post(body), "Client", "UNKNOWN_OPERATION", schema)


def test_soap_action_must_name_the_body_operation(
    gateway: Gateway, schema: etree.XMLSchema
) -> None:
    unknown = gateway.post(envelope("Ping"), action=f"{SERVICE_NS}/GetWeather")
    assert "unknown SOAPAction" in fault(unknown, "Client", "UNKNOWN_OPERATION", schema)
    mismatch = gateway.post(envelope("Ping"), action=f"{SERVICE_NS}/GetNews")
    assert "make them agree" in fault(mismatch, "Client", "INVALID_REQUEST", schema)


def test_soap_12_is_a_version_mismatch(gateway: Gateway, schema: etree.XMLSchema) -> None:
    response = gateway.post(soap12())
    assert "SOAP 1.1" in fault(response, "VersionMismatch", "VERSION_MISMATCH", schema)


def test_wrong_content_type_and_oversized_requests(
    gateway: Gateway, schema: etree.XMLSchema
) -> None:
    json_body = gateway.post(b"{}", content_type="application/json")
    assert "text/xml" in fault(json_body, "Client", "INVALID_REQUEST", schema, status=415)
    huge = envelope("GetServiceCatalogue", [("Keyword", "x" * (1024 * 1024))])
    assert "more than" in fault(gateway.post(huge), "Client", "INVALID_REQUEST", schema, 413)


# ----------------------------------------------------------------------- faults


def test_down_is_a_load_balancer_503_page(faulty: RunningStandIn, gateway: Gateway) -> None:
    faulty.set_faults(down=True)
    for response in (gateway.call("Ping"), gateway.http.get("/soap?wsdl")):
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("text/html")
        assert "<title>503 Service Temporarily Unavailable</title>" in response.text
    assert gateway.http.get("/_faults").json()["down"] is True
    faulty.set_faults(down=False)
    assert gateway.call("Ping").status_code == 200


def test_error_rate_answers_server_faults(
    faulty: RunningStandIn, gateway: Gateway, schema: etree.XMLSchema
) -> None:
    faulty.set_faults(error_rate=1.0)
    for operation in ("Ping", "GetNews"):
        message = fault(gateway.call(operation), "Server", "INTERNAL_ERROR", schema)
        assert message == "internal error"
    detail = body_of(gateway.call("Ping")).findtext(f"detail/{ra('ServiceError')}/{ra('Message')}")
    assert detail is not None
    assert re.search(r"incident [0-9A-F]{8}", detail)
    faulty.set_faults(error_rate=0.0)
    answer(gateway.call("Ping"), "Ping", schema)


def test_bad_fault_knobs_are_refused(faulty: RunningStandIn, gateway: Gateway) -> None:
    for knobs in ({"error_rate": 2}, {"latency": -1}, {"down": "yes"}, {"slow": True}):
        assert gateway.http.put("/_faults", json=knobs).status_code == 400
    assert gateway.http.get("/_faults").json() == {
        "latency": 0.0,
        "error_rate": 0.0,
        "down": False,
        "fail_next": 0,
    }


def test_faults_set_at_start() -> None:
    options = StandInOptions(today=TODAY, faults=Faults(down=True))
    with running_standin("revenue", options) as down:
        response = httpx.post(f"{down.url}/soap", content=envelope("Ping"), timeout=5)
        assert response.status_code == 503


# -------------------------------------------------------------------- seed data


def test_seed_is_anchored_on_today() -> None:
    later = TODAY + timedelta(days=45)
    shifted = build_seed(later)
    assert build_seed(TODAY) == SEED
    assert [n.published + timedelta(days=45) for n in SEED.news] == [
        n.published for n in shifted.news
    ]
    assert [v.closing_date + timedelta(days=45) for v in SEED.vacancies] == [
        v.closing_date for v in shifted.vacancies
    ]
    assert [t.closing + timedelta(days=45) for t in SEED.tenders] == [
        t.closing for t in shifted.tenders
    ]


def test_standin_serves_the_day_it_is_given(schema: etree.XMLSchema) -> None:
    other = date(2025, 8, 1)
    with running_standin("revenue", StandInOptions(today=other)) as standin:
        response = httpx.post(
            f"{standin.url}/soap",
            content=envelope("GetNews", header=[token("hub", "demo-revenue-password")]),
            timeout=5,
        )
        news = records(answer(response, "GetNews", schema), "NewsItems", "NewsItem")
    assert local_time(news[0], "Published").date() == other - timedelta(days=1)


def test_seed_is_realistic() -> None:
    assert len(SEED.services) >= 25
    assert len(SEED.news) >= 25
    assert len(SEED.vacancies) >= 15
    assert len(SEED.tenders) >= 25
    assert len(SEED.taxpayers) >= 30
    assert all(re.fullmatch(r"[AP]\d{9}[A-Z]", pin) for pin in SEED.taxpayers)
    kinds = {(t.taxpayer_type, t.status) for t in SEED.taxpayers.values()}
    assert len({status for _, status in kinds}) == 4
    assert len({kind for kind, _ in kinds}) == 2
    for taxpayer in SEED.taxpayers.values():
        assert (taxpayer.certificate_number is None) == (taxpayer.issued_on is None)
        assert (taxpayer.expires_on is None) == (taxpayer.status.value == "NONE")
    # the nightly status refresh lags: one certificate reads VALID after its expiry
    stale = [
        t
        for t in SEED.taxpayers.values()
        if t.status.value == "VALID" and t.expires_on is not None and t.expires_on < TODAY
    ]
    assert [t.pin for t in stale] == ["A009988776L"]
