"""The immigration connector against the running stand-in: capabilities and own lookups."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import jwt
import pytest

from connectors.immigration import (
    ImmigrationConnector,
    PassportApplicationStatus,
)
from hub.connector import (
    Agency,
    Contact,
    HealthStatus,
    HubError,
    Money,
    NewsQuery,
    ServiceQuery,
    VacancyQuery,
    verify_connector,
)
from hub.identity import ASSERTION_HEADER, request_digest
from legacy import StandInOptions
from legacy.immigration import seed_applications
from legacy.running import RunningStandIn, running_standin
from tests.support.callers import citizen, resolver
from tests.support.connectors import is_utc, open_with
from tests.support.keys import HubKeys
from tests.support.lookups import lookups_schema, run_lookup
from tests.support.recording import Recorder

TODAY = date(2026, 3, 10)
NAIROBI = ZoneInfo("Africa/Nairobi")
APPLICATIONS = seed_applications(TODAY)
AGENCY = Agency(
    id="immigration",
    name="Department of Immigration Services",
    short_name="DIS",
    description="Passports, visas, permits and citizenship.",
    contact=Contact(email="info@immigration.go.ke", website="https://immigration.go.ke"),
)


STAFF = resolver("immigration")


@pytest.fixture(scope="module")
def standin(hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    options = StandInOptions(today=TODAY, hub_public_key=hub_keys.public_pem)
    with running_standin("immigration", options) as running:
        yield running


async def open_connector(
    standin: RunningStandIn, recorder: Recorder, keys: HubKeys, **overrides: Any
) -> tuple[ImmigrationConnector, httpx.AsyncClient]:
    http = httpx.AsyncClient(timeout=5, event_hooks={"request": [recorder]})
    settings = {**standin.connector_settings, **overrides}
    connector = await open_with(ImmigrationConnector, AGENCY, settings, http, keys.signer)
    return connector, http


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def connector(
    standin: RunningStandIn, recorder: Recorder, hub_keys: HubKeys
) -> AsyncIterator[ImmigrationConnector]:
    opened, http = await open_connector(standin, recorder, hub_keys)
    yield opened
    await opened.close()
    await http.aclose()


def test_honours_the_contract() -> None:
    verify_connector("immigration", ImmigrationConnector)
    assert ImmigrationConnector.capabilities == {
        "services",
        "news",
        "vacancies",
        "tickets",
        "health",
        "schema",
    }


async def test_services(connector: ImmigrationConnector) -> None:
    services = await connector.services(ServiceQuery())
    assert len(services) >= 20
    lost = next(s for s in services if s.id == "PP-LOST")
    assert lost.title == "Replacement of a lost passport"
    assert lost.category == "Passports"
    assert lost.fee == Money(amount=Decimal(9100), currency="KES")
    assert lost.processing_days == 14
    assert "Police abstract reporting the loss" in lost.requirements
    assert lost.online
    assert lost.url
    for service in services:
        assert service.updated_at is not None
        assert is_utc(service.updated_at)
        assert service.updated_at.astimezone(NAIROBI).time() == time.min


async def test_filters_are_pushed_down(connector: ImmigrationConnector, recorder: Recorder) -> None:
    visas = await connector.services(ServiceQuery(category="Visas", text="visa"))
    assert {s.category for s in visas} == {"Visas"}
    assert recorder.requests[-1].url.params["category"] == "Visas"
    assert recorder.requests[-1].url.params["q"] == "visa"
    chosen = await connector.services(ServiceQuery(ids=("WP-D", "RS-PR", "unknown")))
    assert {s.id for s in chosen} == {"WP-D", "RS-PR"}
    assert recorder.requests[-1].url.params.get_list("ids") == ["WP-D", "RS-PR", "unknown"]


async def test_no_ids_asks_nothing(connector: ImmigrationConnector, recorder: Recorder) -> None:
    assert await connector.vacancies(VacancyQuery(ids=())) == []
    assert await connector.services(ServiceQuery(limit=0)) == []
    assert recorder.requests == []


async def test_pagination_is_followed_up_to_the_limit(
    standin: RunningStandIn, recorder: Recorder, hub_keys: HubKeys
) -> None:
    connector, http = await open_connector(standin, recorder, hub_keys, page_size=7)
    try:
        everything = await connector.services(ServiceQuery())
        pages = [int(r.url.params["page"]) for r in recorder.requests]
        assert pages == [1, 2, 3, 4]
        assert {r.url.params["per_page"] for r in recorder.requests} == {"7"}
        assert len({s.id for s in everything}) == len(everything) > 21

        recorder.requests.clear()
        first_ten = await connector.services(ServiceQuery(limit=10))
        assert first_ten == everything[:10]
        assert [r.url.params["page"] for r in recorder.requests] == ["1", "2"]

        recorder.requests.clear()
        first_three = await connector.news(NewsQuery(limit=3))
        assert len(first_three) == 3
        assert [r.url.params["per_page"] for r in recorder.requests] == ["3"]
    finally:
        await http.aclose()


async def test_news(connector: ImmigrationConnector) -> None:
    news = await connector.news(NewsQuery())
    assert len(news) >= 30
    assert [n.published_at for n in news] == sorted((n.published_at for n in news), reverse=True)
    newest = news[0]
    assert is_utc(newest.published_at)
    # the stand-in publishes its newest notice at 08:00 Nairobi time the day before TODAY
    assert newest.published_at == datetime(2026, 3, 9, 5, 0, tzinfo=UTC)
    assert newest.body.startswith(newest.summary)
    assert newest.url


async def test_news_publication_dates_are_pushed_down(
    connector: ImmigrationConnector, recorder: Recorder
) -> None:
    after = datetime(2026, 2, 1, 21, 30, tzinfo=UTC)  # 2 February, 00:30 in Nairobi
    before = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    found = await connector.news(NewsQuery(published_after=after, published_before=before))
    params = recorder.requests[-1].url.params
    assert (params["published_from"], params["published_to"]) == ("02/02/2026", "01/03/2026")
    assert found
    assert all(
        date(2026, 2, 2) <= n.published_at.astimezone(NAIROBI).date() <= date(2026, 3, 1)
        for n in found
    )


async def test_vacancies(connector: ImmigrationConnector) -> None:
    vacancies = await connector.vacancies(VacancyQuery())
    assert len(vacancies) >= 20
    noon = datetime.combine(TODAY, time(12), tzinfo=NAIROBI)
    open_now = [v for v in vacancies if v.opens_at <= noon < v.closes_at]
    assert len(open_now) > len(vacancies) - len(open_now) > 0
    for vacancy in vacancies:
        assert is_utc(vacancy.opens_at)
        assert is_utc(vacancy.closes_at)
        closes_local = vacancy.closes_at.astimezone(NAIROBI)
        assert closes_local.time() == time.max
        assert vacancy.opens_at.astimezone(NAIROBI).time() == time.min
        assert vacancy.salary is not None
        assert vacancy.salary.currency == "KES"
        assert vacancy.positions >= 1
        assert vacancy.grade
        assert vacancy.grade.startswith("CSG")


async def test_health(connector: ImmigrationConnector) -> None:
    health = await connector.health()
    assert health.status is HealthStatus.UP
    assert health.latency_ms is not None
    assert health.latency_ms > 0
    assert is_utc(health.checked_at)
    assert "Immigration" in health.detail


async def test_passport_applications_batch(
    connector: ImmigrationConnector, recorder: Recorder
) -> None:
    rejected = next(a for a in APPLICATIONS if a.status == "REJECTED")
    printing = next(a for a in APPLICATIONS if a.status == "PRINTING")
    messy = f"  {printing.application_no.lower()} "
    found = await connector.passport_applications(
        [rejected.application_no, messy, "PA2026-9999999"], STAFF
    )
    assert set(found) == {rejected.application_no, messy}
    assert len(recorder.requests) == 1

    record = found[rejected.application_no]
    assert record.number == rejected.application_no
    assert record.applicant_id_no == rejected.applicant_id_no
    assert record.status is PassportApplicationStatus.REJECTED
    assert record.status_text == "REJECTED"
    assert record.remark == rejected.remarks
    assert record.submitted_on == rejected.submitted_date
    assert record.updated_at == rejected.last_updated.replace(tzinfo=NAIROBI).astimezone(UTC)

    in_progress = found[messy]
    assert in_progress.status is PassportApplicationStatus.IN_PROGRESS
    assert in_progress.status_text == "PRINTING"
    assert in_progress.remark is None


async def test_every_status_word_maps(connector: ImmigrationConnector) -> None:
    found = await connector.passport_applications([a.application_no for a in APPLICATIONS], STAFF)
    assert len(found) == len(APPLICATIONS)
    assert set(PassportApplicationStatus) == {record.status for record in found.values()}


async def test_large_batches_are_split(connector: ImmigrationConnector, recorder: Recorder) -> None:
    unknown = [f"PA2020-{n:07d}" for n in range(150)]
    found = await connector.passport_applications([*unknown, APPLICATIONS[0].application_no], STAFF)
    assert list(found) == [APPLICATIONS[0].application_no]
    assert [len(r.url.params.get_list("application_no")) for r in recorder.requests] == [100, 51]


async def test_no_numbers_asks_nothing(connector: ImmigrationConnector, recorder: Recorder) -> None:
    assert await connector.passport_applications([], STAFF) == {}
    assert recorder.requests == []


# ------------------------------------------------------------------ GraphQL own fields


LOOKUP = """
query ($number: String!) {
  immigration {
    passportApplication(number: $number) {
      number passportType status statusText submittedOn updatedAt collectionCentre remark
    }
  }
}
"""


async def test_passport_application_field(connector: ImmigrationConnector) -> None:
    ready = next(a for a in APPLICATIONS if a.status == "READY FOR COLLECTION")
    number = ready.application_no.lower()
    result, audit = await run_lookup(
        lookups_schema(AGENCY, connector),
        LOOKUP,
        {"number": number},
        caller=citizen(national_id=ready.applicant_id_no),
    )
    assert result.errors is None
    assert audit.outcomes() == [("immigration.passportApplication", number, "OK")]
    assert result.data == {
        "immigration": {
            "passportApplication": {
                "number": ready.application_no,
                "passportType": ready.passport_type,
                "status": "READY_FOR_COLLECTION",
                "statusText": "READY FOR COLLECTION",
                "submittedOn": ready.submitted_date.isoformat(),
                "updatedAt": ready.last_updated.replace(tzinfo=NAIROBI).astimezone(UTC).isoformat(),
                "collectionCentre": ready.collection_centre,
                "remark": None,
            }
        }
    }


@pytest.mark.parametrize(
    ("number", "code"),
    [("PA2026-9999999", "NOT_FOUND"), ("2026-12345", "BAD_USER_INPUT")],
)
async def test_passport_application_field_errors(
    connector: ImmigrationConnector, number: str, code: str
) -> None:
    schema = lookups_schema(AGENCY, connector)
    result, audit = await run_lookup(schema, LOOKUP, {"number": number}, caller=STAFF)
    assert result.errors is not None
    error = result.errors[0].original_error
    assert isinstance(error, HubError)
    assert error.extensions()["code"] == code
    assert error.extensions()["agency"] == "immigration"
    assert audit.outcomes() == [("immigration.passportApplication", number, code)]


def test_passport_application_type_keeps_the_applicant_out(
    connector: ImmigrationConnector,
) -> None:
    sdl = lookups_schema(AGENCY, connector).as_str()
    application = sdl[sdl.index("type PassportApplication {") :].split("}")[0]
    assert "number" in application
    assert "applicant" not in application.lower()


# -------------------------------------------------------------- the hub's assertion


async def test_each_request_carries_the_callers_assertion(
    standin: RunningStandIn,
    connector: ImmigrationConnector,
    recorder: Recorder,
    hub_keys: HubKeys,
) -> None:
    standin.forget_assertions()
    unknown = [f"PA2020-{n:07d}" for n in range(120)]
    asking = citizen("citizen-9", national_id=APPLICATIONS[0].applicant_id_no)
    await connector.passport_applications([APPLICATIONS[0].application_no, *unknown], asking)
    sent = []
    for request in recorder.requests:
        claims = jwt.decode(
            request.headers[ASSERTION_HEADER],
            hub_keys.public_pem,
            algorithms=["ES256"],
            audience="immigration",
            issuer="citizen-hub",
        )
        target = request.url.raw_path.decode("ascii")
        assert claims["req"] == request_digest("GET", target, b"")
        assert claims["obo"] == {"application_no": request.url.params.get_list("application_no")}
        assert (claims["sub"], claims["role"]) == ("citizen-9", "citizen")
        assert claims["purpose"] == "immigration.passportApplication"
        sent.append(claims)
    assert len(sent) == 2
    assert sent[0]["jti"] != sent[1]["jti"]
    assert standin.assertions() == sent


async def test_public_listings_carry_no_assertion(
    connector: ImmigrationConnector, recorder: Recorder
) -> None:
    await connector.services(ServiceQuery(limit=1))
    await connector.health()
    assert all(ASSERTION_HEADER not in request.headers for request in recorder.requests)
