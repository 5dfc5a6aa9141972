"""The revenue connector against the running SOAP stand-in: capabilities and own lookups."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import jwt
import pytest
from lxml import etree

from connectors.revenue import (
    RevenueConnector,
    RevenueSettings,
    TaxCertificate,
    TaxComplianceStatus,
    TaxpayerType,
)
from hub.connector import (
    Agency,
    AgencyUnavailable,
    BidQuery,
    BidStatus,
    Contact,
    HealthStatus,
    HubError,
    InvalidInput,
    Money,
    NewsQuery,
    ServiceQuery,
    VacancyQuery,
    verify_connector,
)
from hub.identity import ASSERTION_HEADER, request_digest
from legacy import StandInOptions
from legacy.revenue import SERVICE_NS, SOAP_ENV_NS, WSSE_NS
from legacy.revenue.seed import build_seed
from legacy.running import RunningStandIn, running_standin
from tests.support.callers import citizen, resolver
from tests.support.connectors import is_utc, open_with
from tests.support.keys import HubKeys
from tests.support.lookups import lookups_schema, run_lookup
from tests.support.recording import Recorder

TODAY = date(2026, 3, 10)
NAIROBI = ZoneInfo("Africa/Nairobi")
SEED = build_seed(TODAY)
AGENCY = Agency(
    id="revenue",
    name="Revenue Authority",
    short_name="RA",
    description="Taxes, customs and Tax Compliance Certificates.",
    contact=Contact(email="callcentre@revenue.go.ke", website="https://www.revenue.go.ke"),
)
STALE_PIN = "A009988776L"
"""Reads VALID, but its certificate expired two days before TODAY (the nightly refresh lags)."""
STAFF = resolver("revenue")


@pytest.fixture(scope="module")
def standin(hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    options = StandInOptions(
        today=TODAY,
        username="hub-tests",
        password="test-revenue-password",
        hub_public_key=hub_keys.public_pem,
    )
    with running_standin("revenue", options) as running:
        yield running


@pytest.fixture(scope="module")
def schema(standin: RunningStandIn) -> etree.XMLSchema:
    """The XML Schema in the gateway's WSDL, to check what the connector sends."""
    wsdl = etree.fromstring(httpx.get(f"{standin.url}/soap?wsdl", timeout=5).content)
    embedded = wsdl.find(
        "{http://schemas.xmlsoap.org/wsdl/}types/{http://www.w3.org/2001/XMLSchema}schema"
    )
    assert embedded is not None
    return etree.XMLSchema(copy.deepcopy(embedded))


class SoapRecorder(Recorder):
    """A :class:`Recorder` that reads the SOAP requests it kept."""

    def operations(self) -> list[etree._Element]:
        """The operation element of every SOAP request sent."""
        return [operation_of(request) for request in self.requests]

    def last(self) -> dict[str, list[str]]:
        """The parameters of the last request, by element name."""
        parameters: dict[str, list[str]] = {}
        for child in self.operations()[-1]:
            parameters.setdefault(etree.QName(child).localname, []).append(child.text or "")
        return parameters


def operation_of(request: httpx.Request) -> etree._Element:
    body = etree.fromstring(request.content).find(f"{{{SOAP_ENV_NS}}}Body")
    assert body is not None
    (operation,) = body
    return operation


class OnDay(RevenueConnector):
    """The connector with its calendar fixed on the stand-in's day."""

    def today(self) -> date:
        return TODAY


async def open_connector(
    standin: RunningStandIn, recorder: SoapRecorder, keys: HubKeys, **overrides: Any
) -> tuple[RevenueConnector, httpx.AsyncClient]:
    http = httpx.AsyncClient(timeout=5, event_hooks={"request": [recorder]})
    settings = {**standin.connector_settings, **overrides}
    return await open_with(OnDay, AGENCY, settings, http, keys.signer), http


@pytest.fixture
def recorder() -> SoapRecorder:
    return SoapRecorder()


@pytest.fixture
async def connector(
    standin: RunningStandIn, recorder: SoapRecorder, hub_keys: HubKeys
) -> AsyncIterator[RevenueConnector]:
    opened, http = await open_connector(standin, recorder, hub_keys)
    yield opened
    await opened.close()
    await http.aclose()


def nairobi(moment: datetime) -> datetime:
    """A naive local time of the gateway, as the hub should see it (in UTC)."""
    return moment.replace(tzinfo=NAIROBI).astimezone(UTC)


def test_honours_the_contract() -> None:
    verify_connector("revenue", RevenueConnector)
    assert RevenueConnector.capabilities == {
        "services",
        "news",
        "vacancies",
        "bids",
        "tickets",
        "health",
        "schema",
    }
    assert RevenueConnector.settings_model is RevenueSettings


async def test_requests_are_authenticated_and_valid(
    connector: RevenueConnector, recorder: SoapRecorder, schema: etree.XMLSchema
) -> None:
    await connector.services(ServiceQuery(category="Customs", text="bond"))
    await connector.news(NewsQuery(published_after=datetime(2026, 1, 1, tzinfo=UTC)))
    await connector.vacancies(VacancyQuery(category="Internal Audit"))
    await connector.bids(BidQuery(status=BidStatus.OPEN, category="goods"))
    await connector.tax_compliance(["A012345678Z", "P051234567K"], STAFF)
    await connector.health()
    assert [etree.QName(op).localname for op in recorder.operations()] == [
        "GetServiceCatalogue",
        "GetNews",
        "GetVacancies",
        "GetTenders",
        "GetTaxComplianceStatus",
        "Ping",
    ]
    for request, operation in zip(recorder.requests, recorder.operations(), strict=True):
        name = etree.QName(operation).localname
        assert request.headers["soapaction"] == f'"{SERVICE_NS}/{name}"'
        assert request.headers["content-type"] == "text/xml; charset=utf-8"
        schema.assertValid(copy.deepcopy(operation))
        security = etree.fromstring(request.content).find(
            f"{{{SOAP_ENV_NS}}}Header/{{{WSSE_NS}}}Security"
        )
        assert security is not None
        assert security.get(f"{{{SOAP_ENV_NS}}}mustUnderstand") == "1"
        assert security.findtext(f".//{{{WSSE_NS}}}Username") == "hub-tests"
        assert security.findtext(f".//{{{WSSE_NS}}}Password") == "test-revenue-password"


# ------------------------------------------------------------------------- listings


async def test_services(connector: RevenueConnector) -> None:
    services = await connector.services(ServiceQuery())
    assert [s.id for s in services] == [s.code for s in SEED.services]
    registration = services[0]
    original = SEED.services[0]
    assert registration.id == "RA-SVC-001"
    assert registration.title == "Individual PIN Registration"
    assert registration.category == "Registration"
    assert registration.fee == Money(amount=Decimal(0), currency="KES")
    assert registration.processing_days == 0
    assert registration.requirements == original.requirements
    assert registration.online
    assert registration.url == original.url
    assert registration.updated_at == nairobi(original.last_updated)
    for service in services:
        assert service.fee is not None
        assert service.fee.currency == "KES"
        assert service.updated_at is not None
        assert is_utc(service.updated_at)
    assert any(s.fee is not None and s.fee.amount > 0 for s in services)


async def test_service_filters_are_pushed_down(
    connector: RevenueConnector, recorder: SoapRecorder
) -> None:
    found = await connector.services(ServiceQuery(category="Registration", text="non-resident"))
    assert recorder.last() == {"Category": ["Registration"], "Keyword": ["non-resident"]}
    assert [s.id for s in found] == ["RA-SVC-003"]

    await connector.services(ServiceQuery())
    assert recorder.last() == {}


async def test_ids_and_limit_are_applied_to_the_answer(
    connector: RevenueConnector, recorder: SoapRecorder
) -> None:
    chosen = await connector.services(ServiceQuery(ids=("RA-SVC-003", "RA-SVC-001", "nope")))
    assert {s.id for s in chosen} == {"RA-SVC-001", "RA-SVC-003"}
    assert recorder.last() == {}
    first_three = await connector.news(NewsQuery(limit=3))
    assert [n.id for n in first_three] == [n.news_id for n in SEED.news[:3]]
    tender = SEED.tenders[5].number
    assert [b.id for b in await connector.bids(BidQuery(ids=(tender,)))] == [tender]


async def test_no_ids_asks_nothing(connector: RevenueConnector, recorder: SoapRecorder) -> None:
    assert await connector.services(ServiceQuery(ids=())) == []
    assert await connector.news(NewsQuery(limit=0)) == []
    assert await connector.tax_compliance([], STAFF) == {}
    assert recorder.requests == []


async def test_news(connector: RevenueConnector) -> None:
    news = await connector.news(NewsQuery())
    assert len(news) == len(SEED.news) >= 25
    assert [n.published_at for n in news] == sorted((n.published_at for n in news), reverse=True)
    newest = news[0]
    # the stand-in's newest release is at 10:30 Nairobi time the day before TODAY
    assert newest.published_at == datetime(2026, 3, 9, 7, 30, tzinfo=UTC)
    assert newest.id == SEED.news[0].news_id
    assert newest.category == "Press Release"
    assert newest.url
    assert all(is_utc(n.published_at) for n in news)


async def test_news_window_and_category_are_pushed_down(
    connector: RevenueConnector, recorder: SoapRecorder
) -> None:
    after = datetime(2026, 2, 1, 21, 30, tzinfo=UTC)  # 2 February, 00:30 in Nairobi
    before = datetime(2026, 3, 1, 12, 0)  # naive: UTC, 15:00 in Nairobi
    found = await connector.news(
        NewsQuery(category="Tax Alert", published_after=after, published_before=before)
    )
    assert recorder.last() == {
        "Category": ["Tax Alert"],
        "PublishedFrom": ["2026-02-02T00:30:00"],
        "PublishedTo": ["2026-03-01T15:00:00"],
    }
    expected = [
        n.news_id
        for n in SEED.news
        if n.category == "Tax Alert"
        and datetime(2026, 2, 2, 0, 30) <= n.published <= datetime(2026, 3, 1, 15)
    ]
    assert expected
    assert [n.id for n in found] == expected


async def test_vacancies(connector: RevenueConnector) -> None:
    vacancies = await connector.vacancies(VacancyQuery())
    assert len(vacancies) == len(SEED.vacancies) >= 15
    noon = datetime.combine(TODAY, time(12), tzinfo=NAIROBI)
    open_now = [v for v in vacancies if v.opens_at <= noon < v.closes_at]
    assert len(open_now) > len(vacancies) - len(open_now) > 0
    for vacancy, original in zip(vacancies, SEED.vacancies, strict=True):
        assert vacancy.id == original.reference
        assert vacancy.category == original.department
        assert vacancy.location == original.station
        assert is_utc(vacancy.opens_at)
        assert is_utc(vacancy.closes_at)
        assert vacancy.opens_at == nairobi(datetime.combine(original.opening_date, time.min))
        assert vacancy.closes_at == nairobi(datetime.combine(original.closing_date, time.max))
        assert vacancy.salary == Money(amount=original.salary_min, currency="KES")
        assert vacancy.grade == original.grade
        assert f"(grade {original.grade})" in vacancy.description
        assert f"KES {original.salary_max:,.0f}" in vacancy.description


async def test_vacancy_department_is_pushed_down(
    connector: RevenueConnector, recorder: SoapRecorder
) -> None:
    found = await connector.vacancies(VacancyQuery(category="Domestic Taxes"))
    assert recorder.last() == {"Department": ["Domestic Taxes"]}
    assert found
    assert {v.category for v in found} == {"Domestic Taxes"}


async def test_bids(connector: RevenueConnector) -> None:
    bids = await connector.bids(BidQuery())
    assert len(bids) == len(SEED.tenders) >= 25
    assert {b.status for b in bids} == set(BidStatus)
    assert {b.category for b in bids} == {"Goods", "Works", "Services", "Consultancy"}
    for bid, original in zip(bids, SEED.tenders, strict=True):
        assert bid.id == bid.reference == original.number
        assert bid.published_at == nairobi(original.published)
        assert bid.closes_at == nairobi(original.closing)
        assert is_utc(bid.published_at)
        assert is_utc(bid.closes_at)
        assert bid.estimated_value == Money(amount=original.estimated_value, currency="KES")
    # tenders are published at 09:00 in Nairobi, 06:00 UTC
    assert {b.published_at.time() for b in bids} == {time(6)}


async def test_bid_status_and_category_are_pushed_down(
    connector: RevenueConnector, recorder: SoapRecorder
) -> None:
    found = await connector.bids(BidQuery(status=BidStatus.OPEN, category=" works "))
    assert recorder.last() == {"Status": ["OPEN"], "Category": ["WORKS"]}
    assert found
    assert {(b.status, b.category) for b in found} == {(BidStatus.OPEN, "Works")}
    awarded = await connector.bids(BidQuery(status=BidStatus.AWARDED))
    assert recorder.last() == {"Status": ["AWARDED"]}
    assert awarded
    assert {b.status for b in awarded} == {BidStatus.AWARDED}


async def test_unknown_bid_category_asks_nothing(
    connector: RevenueConnector, recorder: SoapRecorder
) -> None:
    assert await connector.bids(BidQuery(category="Furniture")) == []
    assert recorder.requests == []


async def test_another_time_zone_setting_is_honoured(
    standin: RunningStandIn, recorder: SoapRecorder, hub_keys: HubKeys
) -> None:
    connector, http = await open_connector(standin, recorder, hub_keys, timezone="UTC")
    try:
        newest = (await connector.news(NewsQuery(limit=1)))[0]
    finally:
        await http.aclose()
    assert newest.published_at == datetime(2026, 3, 9, 10, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- health


async def test_health_up(connector: RevenueConnector) -> None:
    health = await connector.health()
    assert health.status is HealthStatus.UP
    assert health.latency_ms is not None
    assert health.latency_ms > 0
    assert is_utc(health.checked_at)
    assert "gateway version 3.4.2" in health.detail


async def test_health_of_a_down_gateway_fails(
    faulty: RunningStandIn, connector: RevenueConnector
) -> None:
    # the hub turns this error into a DOWN health (hub.gateway.Gateway.health)
    faulty.set_faults(down=True)
    with pytest.raises(AgencyUnavailable, match="503 Service Temporarily Unavailable"):
        await connector.health()
    faulty.set_faults(down=False)
    assert (await connector.health()).status is HealthStatus.UP


# ------------------------------------------------------------------ tax compliance


async def test_tax_compliance_of_one_pin(
    connector: RevenueConnector, recorder: SoapRecorder
) -> None:
    given = " a012345678z "
    found = await connector.tax_compliance([given], STAFF)
    assert recorder.last() == {"Pin": ["A012345678Z"]}
    assert found == {
        given: TaxCertificate(
            pin="A012345678Z",
            taxpayer_name="Wanjiku Mary Kamau",
            taxpayer_type=TaxpayerType.INDIVIDUAL,
            status=TaxComplianceStatus.VALID,
            certificate_number=SEED.taxpayers["A012345678Z"].certificate_number,
            issued_on=date(2026, 2, 4),
            expires_on=date(2027, 2, 3),
        )
    }


async def test_unknown_lone_pin_is_absent(connector: RevenueConnector) -> None:
    assert await connector.tax_compliance(["A999999999X"], STAFF) == {}


async def test_tax_compliance_batch(connector: RevenueConnector, recorder: SoapRecorder) -> None:
    pins = ["P051234567K", "A999999999X", "A003344556D", "p051234567k", "P000000000A"]
    found = await connector.tax_compliance(pins, STAFF)
    assert len(recorder.requests) == 1
    assert recorder.last() == {"Pin": ["P051234567K", "A999999999X", "A003344556D", "P000000000A"]}
    assert set(found) == {"P051234567K", "p051234567k", "A003344556D"}
    assert found["P051234567K"] == found["p051234567k"]
    assert found["P051234567K"].taxpayer_type is TaxpayerType.COMPANY
    never = found["A003344556D"]
    assert never.status is TaxComplianceStatus.NONE
    assert (never.certificate_number, never.issued_on, never.expires_on) == (None, None, None)


async def test_more_than_fifty_pins_are_split(
    connector: RevenueConnector, recorder: SoapRecorder
) -> None:
    known = list(SEED.taxpayers)
    unknown = [f"A{n:09d}Z" for n in range(20)]
    found = await connector.tax_compliance([*known, *unknown], STAFF)
    assert [len(op) for op in recorder.operations()] == [50, len(known) + 20 - 50]
    assert list(found) == known
    assert {record.pin for record in found.values()} == set(known)


async def test_a_lone_unknown_pin_in_the_last_call_is_absent(
    connector: RevenueConnector, recorder: SoapRecorder
) -> None:
    known = list(SEED.taxpayers)
    pins = [*known, *(f"A{n:09d}Z" for n in range(50 - len(known))), "A999999999X"]
    found = await connector.tax_compliance(pins, STAFF)
    assert [len(op) for op in recorder.operations()] == [50, 1]
    assert list(found) == known


@pytest.mark.parametrize("pin", ["", "A01234567Z", "B012345678Z", "A012345678", "A0123456789Z"])
async def test_malformed_pin_is_invalid_input_before_any_call(
    connector: RevenueConnector, recorder: SoapRecorder, pin: str
) -> None:
    with pytest.raises(InvalidInput, match="like A012345678Z") as caught:
        await connector.tax_compliance(["A012345678Z", pin], STAFF)
    assert caught.value.argument == "pin"
    assert caught.value.agency == "revenue"
    assert recorder.requests == []


async def test_compliance_is_judged_by_expiry(connector: RevenueConnector) -> None:
    pins = [STALE_PIN, "A012345678Z", "A001187364B", "A005566778E", "A003344556D"]
    found = await connector.tax_compliance(pins, STAFF)
    stale = found[STALE_PIN]
    assert stale.status is TaxComplianceStatus.VALID
    assert stale.expires_on == TODAY - timedelta(days=2)
    assert not stale.is_compliant(TODAY)
    assert stale.is_compliant(stale.expires_on)
    assert not stale.is_compliant(stale.expires_on + timedelta(days=1))
    assert found["A012345678Z"].is_compliant(TODAY)
    for pin in ("A001187364B", "A005566778E", "A003344556D"):  # expired, revoked, none
        assert not found[pin].is_compliant(TODAY)
        assert not found[pin].is_compliant(date(2000, 1, 1))


def test_today_is_in_the_gateway_time_zone() -> None:
    settings = RevenueSettings(endpoint="http://revenue.test/soap", username="u", password="p")
    connector = RevenueConnector(AGENCY, settings)
    before = datetime.now(NAIROBI).date()
    today = connector.today()
    assert today in {before, datetime.now(NAIROBI).date()}


# ------------------------------------------------------------------ GraphQL own fields


LOOKUP = """
query ($pin: String!) {
  revenue {
    taxCompliance(pin: $pin) {
      pin status certificateNumber taxpayerType issuedOn expiresOn isCompliant
    }
  }
}
"""


@pytest.mark.parametrize(
    ("pin", "status", "compliant"),
    [
        ("A012345678Z", "VALID", True),
        (STALE_PIN, "VALID", False),
        ("P052468013B", "EXPIRED", False),
    ],
)
async def test_tax_compliance_field(
    connector: RevenueConnector, pin: str, status: str, compliant: bool
) -> None:
    taxpayer = SEED.taxpayers[pin]
    assert taxpayer.issued_on is not None
    assert taxpayer.expires_on is not None
    result, audit = await run_lookup(
        lookups_schema(AGENCY, connector),
        LOOKUP,
        {"pin": f" {pin.lower()}"},
        caller=citizen(pin=pin),
    )
    assert result.errors is None
    assert audit.outcomes() == [("revenue.taxCompliance", f" {pin.lower()}", "OK")]
    assert result.data == {
        "revenue": {
            "taxCompliance": {
                "pin": pin,
                "status": status,
                "certificateNumber": taxpayer.certificate_number,
                "taxpayerType": taxpayer.taxpayer_type.value,
                "issuedOn": taxpayer.issued_on.isoformat(),
                "expiresOn": taxpayer.expires_on.isoformat(),
                "isCompliant": compliant,
            }
        }
    }


async def test_tax_compliance_field_hides_the_name(connector: RevenueConnector) -> None:
    result, _ = await run_lookup(
        lookups_schema(AGENCY, connector),
        '{ revenue { taxCompliance(pin: "A012345678Z") { taxpayerName } } }',
        caller=STAFF,
    )
    assert result.errors is not None
    assert "taxpayerName" in result.errors[0].message


@pytest.mark.parametrize(
    ("pin", "code"),
    [("A999999999X", "NOT_FOUND"), ("12345", "BAD_USER_INPUT"), ("", "BAD_USER_INPUT")],
)
async def test_tax_compliance_field_errors(
    connector: RevenueConnector, recorder: SoapRecorder, pin: str, code: str
) -> None:
    schema = lookups_schema(AGENCY, connector)
    result, audit = await run_lookup(schema, LOOKUP, {"pin": pin}, caller=STAFF)
    assert result.data is None
    assert result.errors is not None
    error = result.errors[0].original_error
    assert isinstance(error, HubError)
    assert error.extensions()["code"] == code
    assert error.extensions()["agency"] == "revenue"
    assert len(recorder.requests) == (1 if code == "NOT_FOUND" else 0)
    assert audit.outcomes() == [("revenue.taxCompliance", pin, code)]


# -------------------------------------------------------------- the hub's assertion


def assertion_of(request: httpx.Request, keys: HubKeys) -> dict[str, Any]:
    """The claims of the assertion ``request`` carries, checked with the hub's public key
    and against the request itself."""
    claims: dict[str, Any] = jwt.decode(
        request.headers[ASSERTION_HEADER],
        keys.public_pem,
        algorithms=["ES256"],
        audience="revenue",
        issuer="citizen-hub",
    )
    target = request.url.raw_path.decode("ascii")
    assert claims["req"] == request_digest(request.method, target, request.content)
    return claims


async def test_tax_compliance_carries_the_callers_assertion(
    standin: RunningStandIn,
    connector: RevenueConnector,
    recorder: SoapRecorder,
    hub_keys: HubKeys,
) -> None:
    standin.forget_assertions()
    asking = citizen("citizen-42", pin="A012345678Z")
    await connector.tax_compliance([" a012345678z"], asking)
    (request,) = recorder.requests
    sent = assertion_of(request, hub_keys)
    assert sent["sub"] == "citizen-42"
    assert sent["role"] == "citizen"
    assert "agency" not in sent
    assert sent["purpose"] == "revenue.taxCompliance"
    assert sent["obo"] == {"pin": ["A012345678Z"]}
    assert standin.assertions() == [sent]


async def test_each_request_of_a_batch_has_its_own_assertion(
    standin: RunningStandIn,
    connector: RevenueConnector,
    recorder: SoapRecorder,
    hub_keys: HubKeys,
) -> None:
    standin.forget_assertions()
    pins = [*SEED.taxpayers, *(f"A{n:09d}Z" for n in range(20))]
    await connector.tax_compliance(pins, STAFF)
    first, second = (assertion_of(request, hub_keys) for request in recorder.requests)
    assert first["obo"] == {"pin": pins[:50]}
    assert second["obo"] == {"pin": pins[50:]}
    assert first["jti"] != second["jti"]
    assert (first["sub"], first["role"], first["agency"]) == (
        "staff@revenue",
        "resolver",
        "revenue",
    )
    assert standin.assertions() == [first, second]


async def test_public_operations_carry_no_assertion(
    connector: RevenueConnector, recorder: SoapRecorder
) -> None:
    await connector.services(ServiceQuery())
    await connector.news(NewsQuery(limit=1))
    await connector.health()
    assert all(ASSERTION_HEADER not in request.headers for request in recorder.requests)
