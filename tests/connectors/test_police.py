"""The police connector against the running stand-in, on SQLite and on PostgreSQL.

The Occurrence Book is seeded around TODAY and the connector's clock is stopped at
NOON of that day (Nairobi time), so what is open, closed or in force never depends
on the real date.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from connectors.police import (
    AlertLevel,
    OccurrenceStatus,
    PoliceConnector,
    PoliceSettings,
    canonical_ob_number,
)
from connectors.police.clock import LocalClock
from hub.connector import (
    Agency,
    AgencyUnavailable,
    BidQuery,
    BidStatus,
    ConnectorResources,
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
from legacy import StandInOptions
from legacy.police import metadata
from legacy.running import RunningStandIn, running_standin
from tests.support.callers import citizen, resolver
from tests.support.connectors import is_utc
from tests.support.databases import database
from tests.support.lookups import lookups_schema, run_lookup

TODAY = date(2026, 3, 10)
NAIROBI = ZoneInfo("Africa/Nairobi")
NOON = datetime.combine(TODAY, time(12), tzinfo=NAIROBI)
AGENCY = Agency(
    id="police",
    name="National Police Service",
    short_name="NPS",
    description="Occurrence Book, clearance certificates, security alerts.",
    contact=Contact(phone="999", website="https://www.nationalpolice.go.ke"),
)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


# ------------------------------------------------------------------ shared helpers


@contextmanager
def police_standin(backend: str, directory: Path) -> Iterator[RunningStandIn]:
    """The police stand-in over a fresh database on ``backend``, seeded around TODAY."""
    with (
        database(backend, directory) as url,
        running_standin("police", StandInOptions(today=TODAY, database_url=url)) as running,
    ):
        yield running


@dataclass(frozen=True, slots=True)
class StoppedClock(LocalClock):
    """The connector's clock, stopped at ``moment``."""

    moment: datetime

    def now(self) -> datetime:
        return self.moment.astimezone(UTC)


def stop_clock(connector: PoliceConnector, moment: datetime) -> None:
    connector.clock = StoppedClock(connector.config.zone, moment)


@asynccontextmanager
async def opened(
    settings: dict[str, Any], moment: datetime = NOON
) -> AsyncIterator[PoliceConnector]:
    """A connector opened with ``settings``, its clock stopped at ``moment``."""
    connector = PoliceConnector(AGENCY, PoliceSettings(**settings))
    stop_clock(connector, moment)
    running = set(threading.enumerate())
    async with httpx.AsyncClient() as http:
        await connector.open(ConnectorResources(http=http))
        try:
            yield connector
        finally:
            await connector.close()
            await driver_threads_finished(running)


async def driver_threads_finished(running: set[threading.Thread]) -> None:
    """Wait until the aiosqlite threads started since ``running`` have ended.

    aiosqlite gives each connection a thread; when a connection fails to open (a
    missing file) it stops that thread without waiting, and a thread that outlives
    the test's event loop fails in the next test.
    """
    for _ in range(500):
        if not any(
            "_connection_worker_thread" in thread.name
            for thread in threading.enumerate()
            if thread not in running
        ):
            return
        await asyncio.sleep(0.01)


@pytest.fixture(scope="module", params=BACKENDS)
def standin(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningStandIn]:
    with police_standin(request.param, tmp_path_factory.mktemp("police")) as running:
        yield running


@pytest.fixture
async def connector(standin: RunningStandIn) -> AsyncIterator[PoliceConnector]:
    async with opened(standin.connector_settings) as connector:
        yield connector


def local(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A Nairobi wall-clock time, as the hub's UTC datetime."""
    return datetime.combine(day, time(hour, minute, second), tzinfo=NAIROBI).astimezone(UTC)


def days(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def mentions(word: str, *texts: str) -> bool:
    return any(word.lower() in text_.lower() for text_ in texts)


# ------------------------------------------------------------------------ contract


def test_honours_the_contract() -> None:
    verify_connector("police", PoliceConnector)
    assert PoliceConnector.capabilities == {
        "services",
        "news",
        "vacancies",
        "bids",
        "alerts",
        "tickets",
        "health",
        "schema",
    }


async def test_health(connector: PoliceConnector) -> None:
    health = await connector.health()
    assert health.status is HealthStatus.UP
    assert health.latency_ms is not None
    assert health.latency_ms > 0
    assert is_utc(health.checked_at)
    assert "database answering" in health.detail


# ------------------------------------------------------------------------ services


async def test_services(connector: PoliceConnector) -> None:
    services = await connector.services(ServiceQuery())
    assert len(services) == 16
    assert [s.title for s in services] == sorted(s.title for s in services)
    clearance = next(s for s in services if s.id == "PCC")
    assert clearance.title == "Police Clearance Certificate"
    assert clearance.category == "Certificates"
    assert clearance.fee == Money(amount=Decimal(1050), currency="KES")
    assert clearance.processing_days == 14
    assert clearance.requirements == (
        "Copy of national ID card or passport",
        "eCitizen payment receipt",
        "Fingerprints taken at a Huduma Centre or DCI Headquarters",
    )
    assert clearance.online
    assert clearance.url is not None
    assert clearance.url.endswith("/pcc")
    assert clearance.updated_at == local(days(-20), 10, 15)
    abstract = next(s for s in services if s.id == "ABS")
    assert abstract.fee is None
    assert not abstract.online
    assert abstract.url is None
    missing = next(s for s in services if s.id == "MPR")
    assert missing.processing_days is None
    for service in services:
        assert service.updated_at is not None
        assert is_utc(service.updated_at)
        assert service.requirements
        assert (service.url is not None) == service.online


async def test_service_filters(connector: PoliceConnector) -> None:
    everything = await connector.services(ServiceQuery())
    chosen = await connector.services(ServiceQuery(ids=("FLC", "PCC", "pcc", "NOPE")))
    assert {s.id for s in chosen} == {"FLC", "PCC"}
    licensing = await connector.services(ServiceQuery(category=" LICENSING "))
    assert {s.id for s in licensing} == {"FLC", "FLR"}
    assert await connector.services(ServiceQuery(category="Licences")) == []

    firearms = await connector.services(ServiceQuery(text="FIREARM"))
    expected = [s for s in everything if mentions("firearm", s.title, s.description, s.category)]
    assert firearms == expected
    assert {"FLC", "FLR"} <= {s.id for s in firearms}
    both = await connector.services(ServiceQuery(category="reporting", text="abstract"))
    assert {s.id for s in both} == {"ABS"}
    # the text is taken literally, not as an SQL pattern
    for wildcard in ("%", "_", "P_C"):
        assert await connector.services(ServiceQuery(text=wildcard)) == []

    assert await connector.services(ServiceQuery(limit=3)) == everything[:3]
    assert await connector.services(ServiceQuery(limit=0)) == []
    assert await connector.services(ServiceQuery(ids=())) == []


# ---------------------------------------------------------------------------- news


async def test_news(connector: PoliceConnector) -> None:
    news = await connector.news(NewsQuery())
    assert len(news) == 25
    assert [n.published_at for n in news] == sorted((n.published_at for n in news), reverse=True)
    newest = news[0]
    assert newest.title == "Digital Occurrence Book rolled out to 200 more stations"
    assert newest.category == "Press Release"
    # published at 12:21 Nairobi time three days before TODAY
    assert newest.published_at == datetime(2026, 3, 7, 9, 21, tzinfo=UTC)
    assert newest.summary
    assert newest.body
    assert {n.category for n in news} == {
        "Press Release",
        "Public Notice",
        "Traffic Advisory",
        "Community Policing",
    }
    assert all(is_utc(n.published_at) for n in news)


async def test_news_filters(connector: PoliceConnector) -> None:
    everything = await connector.news(NewsQuery())
    wanted = (everything[0].id, everything[5].id)
    chosen = await connector.news(NewsQuery(ids=(*wanted, "999", "not-a-number", "")))
    assert [n.id for n in chosen] == list(wanted)
    assert await connector.news(NewsQuery(ids=("PCC",))) == []
    traffic = await connector.news(NewsQuery(category="traffic advisory"))
    assert traffic == [n for n in everything if n.category == "Traffic Advisory"]
    marathon = await connector.news(NewsQuery(text="marathon"))
    assert [n.title for n in marathon] == ["Road closures for the Nairobi City Marathon"]
    assert await connector.news(NewsQuery(limit=4)) == everything[:4]


async def test_news_publication_window_is_in_nairobi_time(connector: PoliceConnector) -> None:
    # the marathon notice was published on 1 March at 11:03 in Nairobi: 08:03 UTC
    published = datetime(2026, 3, 1, 8, 3, tzinfo=UTC)
    after = await connector.news(NewsQuery(published_after=published))
    assert [n.title for n in after][-1] == "Road closures for the Nairobi City Marathon"
    assert len(after) == 3
    later = await connector.news(NewsQuery(published_after=published + timedelta(minutes=1)))
    assert len(later) == 2
    naive = await connector.news(NewsQuery(published_after=published.replace(tzinfo=None)))
    assert naive == after  # a naive time is the hub's, UTC

    before = await connector.news(NewsQuery(published_before=published))
    assert before[0].title == "Road closures for the Nairobi City Marathon"
    assert len(before) == 23
    window = await connector.news(
        NewsQuery(published_after=local(days(-30), 0), published_before=local(days(-10), 0))
    )
    assert [n.published_at.astimezone(NAIROBI).date() for n in window] == [
        days(-12),
        days(-15),
        days(-19),
        days(-24),
        days(-28),
    ]


# ----------------------------------------------------------------------- vacancies


async def test_vacancies(connector: PoliceConnector) -> None:
    vacancies = await connector.vacancies(VacancyQuery())
    assert len(vacancies) == 16
    assert [v.closes_at for v in vacancies] == sorted(v.closes_at for v in vacancies)
    open_now = [v for v in vacancies if v.opens_at <= NOON < v.closes_at]
    assert len(open_now) == 12
    constables = next(v for v in vacancies if v.title == "Police Constables (General Duty)")
    assert constables.category == "Police Constables"
    assert constables.location == "Countrywide"
    assert constables.positions == 10_000
    assert constables.grade == "Constable"
    assert constables.salary == Money(amount=Decimal(38_000), currency="KES")
    assert constables.opens_at == local(days(-6), 0)
    assert constables.closes_at == local(days(18), 23, 59, 59)
    assert constables.id.startswith("NPSC/REC/2026/")
    handlers = next(v for v in vacancies if v.title == "Dog Handlers - K9 Unit")
    assert handlers.grade is None
    assert handlers.salary is None
    for vacancy in vacancies:
        assert is_utc(vacancy.opens_at)
        assert is_utc(vacancy.closes_at)
        assert vacancy.opens_at.astimezone(NAIROBI).time() == time.min
        assert vacancy.closes_at.astimezone(NAIROBI).time() == time(23, 59, 59)


async def test_vacancy_filters(connector: PoliceConnector) -> None:
    everything = await connector.vacancies(VacancyQuery())
    specialists = await connector.vacancies(VacancyQuery(category="SPECIALIST officers"))
    assert len(specialists) == 5
    assert {v.category for v in specialists} == {"Specialist Officers"}
    nurses = await connector.vacancies(VacancyQuery(text="nursing"))
    assert [v.title for v in nurses] == ["Specialist Police Constables - Nurses"]
    in_kiambu = await connector.vacancies(VacancyQuery(text="kiambu road"))
    assert [v.location for v in in_kiambu] == ["DCI Forensic Laboratory, Kiambu Road"]
    refs = (everything[2].id, everything[9].id)
    chosen = await connector.vacancies(VacancyQuery(ids=(*refs, "NPSC/REC/2026/999")))
    assert {v.id for v in chosen} == set(refs)
    assert await connector.vacancies(VacancyQuery(limit=5)) == everything[:5]


async def test_vacancies_open_at_a_moment(connector: PoliceConnector) -> None:
    everything = await connector.vacancies(VacancyQuery())
    open_now = await connector.vacancies(VacancyQuery(open_at=NOON))
    assert open_now == [v for v in everything if v.opens_at <= NOON < v.closes_at]
    assert "Chaplains" not in {v.title for v in open_now}  # opens in two days

    # the reservists' notice closes at the end of yesterday, Nairobi time: 20:59:59 UTC
    reservists = "Kenya Police Reservists - Laikipia and Samburu"
    last_second = await connector.vacancies(VacancyQuery(open_at=local(days(-1), 23, 59, 59)))
    assert reservists in {v.title for v in last_second}
    midnight = await connector.vacancies(VacancyQuery(open_at=local(TODAY, 0)))
    assert reservists not in {v.title for v in midnight}


async def test_vacancies_by_closing_time(connector: PoliceConnector) -> None:
    everything = await connector.vacancies(VacancyQuery())
    legal = "Inspectors of Police - Graduate Entry (Legal)"
    closing = local(days(2), 23, 59, 59)  # the end of its closing day
    for moment in (closing, closing + timedelta(seconds=1), closing - timedelta(seconds=1)):
        after = await connector.vacancies(VacancyQuery(closes_after=moment))
        assert after == [v for v in everything if v.closes_at >= moment]
        before = await connector.vacancies(VacancyQuery(closes_before=moment))
        assert before == [v for v in everything if v.closes_at <= moment]
    assert legal in {v.title for v in await connector.vacancies(VacancyQuery(closes_after=closing))}
    assert legal not in {
        v.title
        for v in await connector.vacancies(
            VacancyQuery(closes_after=closing + timedelta(seconds=1))
        )
    }
    this_week = await connector.vacancies(
        VacancyQuery(closes_after=NOON, closes_before=local(days(6), 0))
    )
    assert [v.title for v in this_week] == [
        legal,
        "Accountant II",
        "Supply Chain Management Officer II",
    ]


# ---------------------------------------------------------------------------- bids


UNIFORMS = "NPS/ONT/001/2025-2026"
CCTV = "NPS/RFQ/008/2025-2026"
"""An OPEN tender that closes tomorrow at 11:00, Nairobi time."""


async def test_bids(connector: PoliceConnector) -> None:
    bids = await connector.bids(BidQuery())
    assert len(bids) == 16
    assert [b.published_at for b in bids] == sorted((b.published_at for b in bids), reverse=True)
    statuses = [b.status for b in bids]
    assert {status: statuses.count(status) for status in BidStatus} == {
        BidStatus.OPEN: 11,
        BidStatus.CLOSED: 2,
        BidStatus.AWARDED: 2,
        BidStatus.CANCELLED: 1,
    }
    uniforms = next(b for b in bids if b.id == UNIFORMS)
    assert uniforms.reference == UNIFORMS
    assert uniforms.title == "Supply and delivery of police uniforms"
    assert uniforms.category == "Goods"
    assert uniforms.status is BidStatus.OPEN
    assert uniforms.estimated_value == Money(amount=Decimal(480_000_000), currency="KES")
    assert uniforms.published_at == local(days(-10), 0)
    assert uniforms.closes_at == local(days(18), 11)
    evaluated = next(b for b in bids if b.title == "Supply of fuel and lubricants")
    assert evaluated.status is BidStatus.CLOSED  # the register says UNDER EVALUATION
    for bid in bids:
        assert is_utc(bid.published_at)
        assert is_utc(bid.closes_at)
        assert bid.estimated_value is not None
        assert bid.estimated_value.currency == "KES"
        assert (bid.status is BidStatus.OPEN) == (bid.closes_at > NOON)


@pytest.mark.parametrize("status", list(BidStatus))
async def test_bids_by_status(connector: PoliceConnector, status: BidStatus) -> None:
    everything = await connector.bids(BidQuery())
    found = await connector.bids(BidQuery(status=status))
    assert found
    assert found == [b for b in everything if b.status is status]


async def test_open_tender_past_its_closing_time_is_closed(connector: PoliceConnector) -> None:
    closing = local(days(1), 11)
    stop_clock(connector, closing - timedelta(seconds=1))
    assert CCTV in {b.id for b in await connector.bids(BidQuery(status=BidStatus.OPEN))}

    stop_clock(connector, closing)
    cctv = next(b for b in await connector.bids(BidQuery()) if b.id == CCTV)
    assert cctv.status is BidStatus.CLOSED
    assert cctv.closes_at == closing
    open_now = await connector.bids(BidQuery(status=BidStatus.OPEN))
    closed_now = await connector.bids(BidQuery(status=BidStatus.CLOSED))
    assert CCTV not in {b.id for b in open_now}
    assert CCTV in {b.id for b in closed_now}
    assert len(open_now) == 10
    assert len(closed_now) == 3


async def test_bid_filters(connector: PoliceConnector) -> None:
    everything = await connector.bids(BidQuery())
    goods = await connector.bids(BidQuery(category="goods"))
    assert goods == [b for b in everything if b.category == "Goods"]
    works = await connector.bids(BidQuery(category="WORKS", text="kilimani"))
    assert [b.title for b in works] == ["Renovation of staff houses at Kilimani Police Lines"]
    uniforms = await connector.bids(BidQuery(text="UNIFORM"))
    assert [b.id for b in uniforms] == [UNIFORMS]
    chosen = await connector.bids(BidQuery(ids=(CCTV, UNIFORMS, "NPS/ONT/999/2025-2026")))
    assert {b.id for b in chosen} == {CCTV, UNIFORMS}
    assert await connector.bids(BidQuery(limit=2)) == everything[:2]

    open_at = await connector.bids(BidQuery(open_at=NOON))
    assert open_at == [b for b in everything if b.published_at <= NOON < b.closes_at]
    assert {b.status for b in open_at} == {BidStatus.OPEN}
    # tenders open at noon a month ago: those advertised by then and closing later
    month_ago = NOON - timedelta(days=30)
    then = await connector.bids(BidQuery(open_at=month_ago))
    assert then == [b for b in everything if b.published_at <= month_ago < b.closes_at]
    assert then

    closing = local(days(1), 11)
    after = await connector.bids(BidQuery(closes_after=closing))
    assert after == [b for b in everything if b.closes_at >= closing]
    assert CCTV in {b.id for b in after}
    before = await connector.bids(BidQuery(closes_before=closing - timedelta(seconds=1)))
    assert before == [b for b in everything if b.closes_at < closing]
    assert CCTV not in {b.id for b in before}


# ---------------------------------------------------------------------- occurrences


async def ob_entries(settings: dict[str, Any]) -> list[dict[str, Any]]:
    """The Occurrence Book's entries and their stations, read straight from the database."""
    entries, stations = metadata.tables["ob_register"], metadata.tables["police_station"]
    engine = create_async_engine(settings["database_url"])
    try:
        async with engine.connect() as connection:
            result = await connection.execute(
                select(entries, stations.c.stn_name).join(stations).order_by(entries.c.ob_id)
            )
            return [dict(row._mapping) for row in result]
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("OB/23/14/11/2026", "OB/23/14/11/2026"),
        ("ob/23/14/11/2026", "OB/23/14/11/2026"),
        ("  OB / 23 / 14 / 11 / 2026 ", "OB/23/14/11/2026"),
        ("OB/0023/4/1/2026", "OB/23/04/01/2026"),
        ("Ob/7/04/01/2026", "OB/7/04/01/2026"),
        ("OB/1/29/2/2028", "OB/1/29/02/2028"),
    ],
)
def test_ob_numbers_are_written_the_systems_way(given: str, canonical: str) -> None:
    assert canonical_ob_number(given) == canonical


async def test_occurrences(standin: RunningStandIn, connector: PoliceConnector) -> None:
    entries = await ob_entries(standin.connector_settings)
    reported = next(e for e in entries if e["ob_status"] == "REPORTED")
    lost = next(e for e in entries if e["ob_status"] == "ABSTRACT ISSUED")
    day = reported["entry_date"]
    messy = f" ob / {reported['entry_no']:04d} / {day.day} / {day.month} / {day.year} "
    unknown = "OB/99999/01/01/2020"
    found = await connector.occurrences([messy, lost["ob_no"].lower(), unknown])
    assert set(found) == {messy, lost["ob_no"].lower()}

    record = found[messy]
    assert record.ob_number == reported["ob_no"]
    assert record.station_code == reported["stn_code"]
    assert record.station_name == reported["stn_name"]
    assert record.category == reported["occ_category"]
    assert record.nature == reported["occ_nature"]
    assert record.status is OccurrenceStatus.REPORTED
    assert record.status_text == "Reported; an officer will take the matter up"
    assert record.reported_at == reported["reported_at"].replace(tzinfo=NAIROBI).astimezone(UTC)
    assert is_utc(record.reported_at)
    assert record.updated_at == record.reported_at
    assert record.complainant_id_number == reported["compl_id_no"]

    abstract = found[lost["ob_no"].lower()]
    assert abstract.status is OccurrenceStatus.CLOSED
    assert abstract.status_text == "Police abstract issued"
    assert abstract.updated_at > abstract.reported_at

    assert await connector.occurrences([unknown]) == {}
    assert await connector.occurrences([]) == {}


async def test_every_entry_is_read(standin: RunningStandIn, connector: PoliceConnector) -> None:
    entries = await ob_entries(standin.connector_settings)
    found = await connector.occurrences([e["ob_no"] for e in entries])
    assert len(found) == len(entries) == 60
    statuses = {record.status for record in found.values()}
    assert statuses == set(OccurrenceStatus) - {OccurrenceStatus.OTHER}


MALFORMED = [
    "",
    "   ",
    "OB/23/14/11/26",
    "OB-23-14-11-2026",
    "23/14/11/2026",
    "OB/23/14/11/2026/1",
    "OB/123456/14/11/2026",
    "OB/0/14/11/2026",
    "OB/23/31/02/2026",
    "OB/23/14/13/2026",
    "OB/" + "1" * 40,
]


@pytest.mark.parametrize("number", MALFORMED)
async def test_malformed_ob_number_is_invalid_before_any_query(number: str) -> None:
    # never opened: any query would fail with "not open"
    connector = PoliceConnector(
        AGENCY, PoliceSettings(database_url="sqlite+aiosqlite:///never/opened.db")
    )
    with pytest.raises(InvalidInput, match=r"like OB/23/14/11/2026") as caught:
        await connector.occurrences(["OB/23/14/11/2026", number])
    assert caught.value.argument == "obNumber"
    assert caught.value.agency == "police"


# ----------------------------------------------------------------- security alerts


def titles(alerts: list[Any]) -> list[str]:
    return [alert.title for alert in alerts]


COUNTRYWIDE_NOW = ["SIM-swap and mobile money fraud", "Fake police recruitment agents"]


async def test_security_alerts_by_area_or_county(connector: PoliceConnector) -> None:
    areas = ["Nairobi", "  KERIO   valley ", "elgeyo marakwet", "Kilifi", "Atlantis"]
    found = await connector.security_alerts(areas)
    assert list(found) == areas
    assert titles(found["Nairobi"]) == [
        "Lane closures for road works",
        "SIM-swap and mobile money fraud",
        "Pickpocketing around bus termini",
        "Fake police recruitment agents",
    ]
    banditry = ["Banditry: travel in escorted convoys only", *COUNTRYWIDE_NOW]
    assert titles(found["  KERIO   valley "]) == banditry
    assert titles(found["elgeyo marakwet"]) == banditry
    # Malindi's beach alert has expired; countrywide alerts concern every area
    assert titles(found["Kilifi"]) == COUNTRYWIDE_NOW
    assert titles(found["Atlantis"]) == COUNTRYWIDE_NOW

    nairobi = found["Nairobi"]
    assert [a.level for a in nairobi] == [
        AlertLevel.WARNING,
        AlertLevel.WARNING,
        AlertLevel.ADVISORY,
        AlertLevel.ADVISORY,
    ]
    road_works = nairobi[0]
    assert (road_works.area, road_works.county) == ("Thika Road (Kasarani - Ruiru)", "Nairobi")
    assert road_works.issued_at == local(days(-1), 7, 30)
    assert road_works.expires_at == local(days(9), 18)
    assert road_works.message.startswith("Service lanes")
    assert road_works.id.isdigit()
    fraud = nairobi[1]
    assert (fraud.area, fraud.county) == ("Countrywide", None)

    assert await connector.security_alerts([]) == {}


async def test_security_alerts_in_force_at_the_moment(connector: PoliceConnector) -> None:
    demonstrations = "Planned demonstrations on Oginga Odinga Street"
    expiry = local(days(3), 18)
    stop_clock(connector, expiry - timedelta(seconds=1))
    assert demonstrations in titles((await connector.security_alerts(["Kisumu"]))["Kisumu"])
    stop_clock(connector, expiry)
    assert titles((await connector.security_alerts(["Kisumu"]))["Kisumu"]) == COUNTRYWIDE_NOW

    # not yet issued: the Garissa alert is issued at 07:30 six days before TODAY
    issued = local(days(-6), 7, 30)
    stop_clock(connector, issued - timedelta(minutes=1))
    assert titles((await connector.security_alerts(["garissa"]))["garissa"]) == [
        "Fake police recruitment agents"
    ]
    stop_clock(connector, issued)
    assert titles((await connector.security_alerts(["garissa"]))["garissa"]) == [
        "Threat of roadside explosive devices",
        "Fake police recruitment agents",
    ]


@pytest.mark.parametrize("area", ["", "   ", "x" * 81])
async def test_bad_area_is_invalid_before_any_query(area: str) -> None:
    connector = PoliceConnector(
        AGENCY, PoliceSettings(database_url="sqlite+aiosqlite:///never/opened.db")
    )
    with pytest.raises(InvalidInput, match="town, road or county") as caught:
        await connector.security_alerts(["Nairobi", area])
    assert caught.value.argument == "area"


# ------------------------------------------------------------------- SQLite file only


def files_under(directory: Path) -> list[str]:
    return sorted(str(path.relative_to(directory)) for path in directory.rglob("*"))


@pytest.mark.parametrize("folder", ["plain", "with space", "odd#name"])
async def test_a_missing_file_is_not_created(tmp_path: Path, folder: str) -> None:
    directory = tmp_path / folder
    directory.mkdir()
    missing = directory / "police.db"
    async with opened({"database_url": f"sqlite+aiosqlite:///{missing}"}) as connector:
        with pytest.raises(AgencyUnavailable, match="unable to open database file"):
            await connector.health()
        with pytest.raises(AgencyUnavailable):
            await connector.services(ServiceQuery())
    assert files_under(tmp_path) == [folder]


async def test_reads_a_file_in_an_odd_folder(tmp_path: Path) -> None:
    with police_standin("sqlite", tmp_path / "odd #1 folder") as standin:
        async with opened(standin.connector_settings) as connector:
            assert len(await connector.services(ServiceQuery())) == 16
    assert files_under(tmp_path) == ["odd #1 folder", "odd #1 folder/police.db"]


# ------------------------------------------------------------------ GraphQL own fields


OCCURRENCE = """
query ($number: String!) {
  police {
    occurrence(obNumber: $number) {
      obNumber station category nature status statusText reportedAt updatedAt
    }
  }
}
"""
ALERTS = """
query ($area: String!) {
  police { securityAlerts(area: $area) { id area county level title issuedAt expiresAt } }
}
"""


async def test_occurrence_field(standin: RunningStandIn, connector: PoliceConnector) -> None:
    entry = next(e for e in await ob_entries(standin.connector_settings) if e["ob_status"] == "PBC")
    number = entry["ob_no"].lower().replace("/", " / ")
    result, audit = await run_lookup(
        lookups_schema(AGENCY, connector),
        OCCURRENCE,
        {"number": number},
        caller=citizen(national_id=entry["compl_id_no"]),
    )
    assert result.errors is None
    assert audit.outcomes() == [("police.occurrence", number, "OK")]
    reported_at = entry["reported_at"].replace(tzinfo=NAIROBI).astimezone(UTC)
    updated_at = entry["last_action_at"].replace(tzinfo=NAIROBI).astimezone(UTC)
    assert result.data == {
        "police": {
            "occurrence": {
                "obNumber": entry["ob_no"],
                "station": entry["stn_name"],
                "category": entry["occ_category"],
                "nature": entry["occ_nature"],
                "status": "TAKEN_TO_COURT",
                "statusText": "Pending before court",
                "reportedAt": reported_at.isoformat(),
                "updatedAt": updated_at.isoformat(),
            }
        }
    }


def test_occurrence_type_keeps_the_complainant_out(connector: PoliceConnector) -> None:
    sdl = lookups_schema(AGENCY, connector).as_str()
    occurrence = sdl[sdl.index("type Occurrence {") :].split("}")[0]
    assert "obNumber" in occurrence
    assert "complainant" not in occurrence.lower()


@pytest.mark.parametrize(
    ("number", "code"),
    [("OB/99999/01/01/2020", "NOT_FOUND"), ("OB/1/31/02/2026", "BAD_USER_INPUT")],
)
async def test_occurrence_field_errors(connector: PoliceConnector, number: str, code: str) -> None:
    result, audit = await run_lookup(
        lookups_schema(AGENCY, connector), OCCURRENCE, {"number": number}, caller=resolver("police")
    )
    assert audit.outcomes() == [("police.occurrence", number, code)]
    assert result.data is None
    assert result.errors is not None
    error = result.errors[0].original_error
    assert isinstance(error, HubError)
    assert error.extensions()["code"] == code
    assert error.extensions()["agency"] == "police"


async def test_security_alerts_field(connector: PoliceConnector) -> None:
    schema = lookups_schema(AGENCY, connector)
    # public: an anonymous caller may read them, and no audit row is written
    result, audit = await run_lookup(schema, ALERTS, {"area": "likoni ferry channel"})
    assert result.errors is None
    assert audit.entries == []
    assert result.data is not None
    alerts = result.data["police"]["securityAlerts"]
    assert [(a["level"], a["title"]) for a in alerts] == [
        ("WARNING", "SIM-swap and mobile money fraud"),
        ("ADVISORY", "Heavy traffic at the Likoni crossing"),
        ("ADVISORY", "Fake police recruitment agents"),
    ]
    likoni = alerts[1]
    assert (likoni["area"], likoni["county"]) == ("Likoni Ferry Channel", "Mombasa")
    assert likoni["issuedAt"] == local(days(-4), 7, 30).isoformat()
    assert alerts[0]["county"] is None

    bad = await schema.execute(ALERTS, variable_values={"area": " "})
    assert bad.errors is not None
    error = bad.errors[0].original_error
    assert isinstance(error, InvalidInput)
    assert error.extensions() == {"code": "BAD_USER_INPUT", "agency": "police", "argument": "area"}
