"""Tickets entered in the Occurrence Book and the station's actions read back, on SQLite
and on PostgreSQL.

The connector's clock is stopped at NOON of TODAY (Nairobi time), so entries are
entered on TODAY; the officers' actions are stamped with times the tests choose.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from connectors.police import OccurrenceStatus, PoliceConnector
from hub.connector import AgencyRejected, AgencyUnavailable, TicketUpdate
from legacy.police import STATUS_WORDS, advance
from legacy.police.schema import ob_action, ob_register
from legacy.running import RunningStandIn
from tests.connectors.test_police import BACKENDS, NAIROBI, NOON, TODAY, opened, police_standin
from tests.support.databases import administer, run_async
from tests.support.tickets import KINDS, delivery

LOCKED_WAIT = 0.05
OB_OF_TODAY = re.compile(r"OB/(\d+)/10/03/2026")
EXPECTED = {
    "REPORTED": ("ACKNOWLEDGED", "Reported; an officer will take the matter up"),
    "UNDER INVESTIGATION": ("IN_PROGRESS", "Under investigation"),
    "PUI": ("IN_PROGRESS", "Pending under investigation"),
    "REFERRED TO DCI": (
        "IN_PROGRESS",
        "Referred to the Directorate of Criminal Investigations",
    ),
    "TAKEN TO COURT": ("IN_PROGRESS", "Taken to court"),
    "PBC": ("IN_PROGRESS", "Pending before court"),
    "CLOSED": ("RESOLVED", "Closed"),
    "FILE CLOSED - NFPA": ("RESOLVED", "Closed: no further police action"),
    "ABSTRACT ISSUED": ("RESOLVED", "Police abstract issued"),
    "RESPONDED": ("RESOLVED", "The station has responded"),
    "NO OFFENCE DISCLOSED": ("REJECTED", "Closed: no offence disclosed"),
}


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
    standin.reset_faults()


def url_of(standin: RunningStandIn) -> str:
    url: str = standin.connector_settings["database_url"]
    return url


async def entries(standin: RunningStandIn, **where: Any) -> list[dict[str, Any]]:
    """The rows of ``ob_register`` whose columns have the values ``where`` gives."""
    engine = create_async_engine(url_of(standin))
    try:
        async with engine.connect() as connection:
            conditions = [ob_register.c[name] == value for name, value in where.items()]
            result = await connection.execute(select(ob_register).where(*conditions))
            return [dict(row._mapping) for row in result]
    finally:
        await engine.dispose()


async def entry_count(standin: RunningStandIn) -> int:
    engine = create_async_engine(url_of(standin))
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(select(func.count()).select_from(ob_register)) or 0)
    finally:
        await engine.dispose()


def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A Nairobi time in the future of every seeded row, for officers' actions."""
    moment = datetime.combine(TODAY + timedelta(days=day_offset), datetime.min.time())
    return moment.replace(hour=hour, minute=minute, tzinfo=NAIROBI)


def for_reference(updates: list[TicketUpdate], reference: str) -> list[TicketUpdate]:
    return [update for update in updates if update.reference == reference]


# ---------------------------------------------------------------------------- filing


async def test_every_kind_is_entered_as_the_next_entry_of_the_day(
    standin: RunningStandIn, connector: PoliceConnector
) -> None:
    numbers = []
    for kind in KINDS:
        receipt = await connector.submit_ticket(delivery(kind=kind, category="crime"))
        match = OB_OF_TODAY.fullmatch(receipt.reference)
        assert match, receipt.reference
        numbers.append(int(match.group(1)))
        assert receipt.filed_at == NOON.astimezone(UTC)
    assert numbers == list(range(numbers[0], numbers[0] + len(KINDS)))

    categories = {}
    for kind, number in zip(KINDS, numbers, strict=True):
        (row,) = await entries(standin, ob_no=f"OB/{number}/10/03/2026")
        categories[kind] = (row["occ_category"], row["occ_nature"])
        assert row["ob_status"] == "REPORTED"
        assert row["entry_date"] == TODAY
        assert row["entered_at"] == row["last_action_at"] == NOON.replace(tzinfo=None)
        assert row["reported_at"] == datetime(2026, 3, 10, 9, 30, 15, 250000)
        assert row["hub_ticket_id"].startswith("tkt-")
        assert row["officer_svc_no"] == "CITIZENHUB"
        assert (row["compl_name"], row["compl_phone"], row["compl_email"]) == (
            "Achieng Otieno",
            "0712 345 678",
            "achieng@example.com",
        )
        assert row["narrative"].startswith("The officer at counter 4 shouted at me")
        assert "tracking number CH-2026-000123" in row["narrative"]
        assert (
            "Scene: Nyayo House, Kenyatta Avenue; Nairobi; -1.286389, 36.817223."
            in (row["narrative"])
        )
    title = "Rude treatment at the counter"
    assert categories == {
        "ENQUIRY": ("PUBLIC CORRESPONDENCE", f"Enquiry: {title}"),
        "COMPLAINT": ("COMPLAINT", f"Complaint: {title}"),
        "COMMENDATION": ("PUBLIC CORRESPONDENCE", f"Commendation: {title}"),
        "REPORT": ("CRIME", f"Report: {title}"),
        "REQUEST": ("PUBLIC CORRESPONDENCE", f"Request: {title}"),
    }


@pytest.mark.parametrize(
    ("area", "station"),
    [
        ("Kisumu", "KSM01"),  # a county: its first station
        (" westlands ", "NRB03"),  # a sub-county, in any case
        ("Atlantis", "NRB01"),  # no station there: the filing station
        (None, "NRB01"),
    ],
)
async def test_the_station_is_the_one_of_the_area(
    standin: RunningStandIn, connector: PoliceConnector, area: str | None, station: str
) -> None:
    receipt = await connector.submit_ticket(delivery(kind="REPORT", area=area))
    (row,) = await entries(standin, ob_no=receipt.reference)
    assert row["stn_code"] == station


async def test_a_long_title_is_shortened_in_the_nature_and_kept_whole_in_the_narrative(
    standin: RunningStandIn, connector: PoliceConnector
) -> None:
    title = "Stolen motorcycle " * 12
    receipt = await connector.submit_ticket(
        delivery(kind="REPORT", title=title, description="", category="stock_theft--x")
    )
    (row,) = await entries(standin, ob_no=receipt.reference)
    assert len(row["occ_nature"]) == 120
    assert row["occ_nature"].endswith("...")
    assert row["narrative"].startswith(" ".join(title.split()))
    assert row["occ_category"] == "STOCK THEFT X"


async def test_a_filed_ticket_is_an_occurrence_to_look_up(connector: PoliceConnector) -> None:
    receipt = await connector.submit_ticket(delivery(kind="REPORT"))
    found = await connector.occurrences([receipt.reference])
    assert found[receipt.reference].status is OccurrenceStatus.REPORTED
    assert found[receipt.reference].nature == "Report: Rude treatment at the counter"


# ----------------------------------------------------------------------- idempotency


async def test_filing_again_gives_the_first_receipt_and_enters_nothing(
    standin: RunningStandIn, connector: PoliceConnector
) -> None:
    ticket = delivery()
    first = await connector.submit_ticket(ticket)
    before = await entry_count(standin)
    again = await connector.submit_ticket(ticket)
    changed = await connector.submit_ticket(delivery(ticket_id=ticket.ticket_id, title="Edited"))
    assert first == again == changed
    assert await entry_count(standin) == before
    assert len(await entries(standin, hub_ticket_id=ticket.ticket_id)) == 1


async def test_racing_deliveries_enter_a_ticket_once(
    standin: RunningStandIn, connector: PoliceConnector
) -> None:
    ticket = delivery()
    others = [delivery() for _ in range(3)]
    receipts = await asyncio.gather(
        *(connector.submit_ticket(ticket) for _ in range(4)),
        *(connector.submit_ticket(other) for other in others),
    )
    assert len({r.reference for r in receipts[:4]}) == 1
    assert len({r.reference for r in receipts}) == 4
    assert len(await entries(standin, hub_ticket_id=ticket.ticket_id)) == 1


# --------------------------------------------------------------------------- updates


async def test_every_status_word_is_read_in_the_hubs_words(
    standin: RunningStandIn, connector: PoliceConnector
) -> None:
    receipt = await connector.submit_ticket(delivery(kind="REPORT"))
    assert set(EXPECTED) == set(STATUS_WORDS)
    for minute, word in enumerate(STATUS_WORDS):
        await advance(url_of(standin), receipt.reference, word, f"now {word}", at=at(1, 8, minute))
    await advance(url_of(standin), receipt.reference, None, "Call us on 999", at=at(1, 9))
    updates = for_reference(await connector.ticket_updates(at(0, 23)), receipt.reference)
    assert [(u.status, u.status_text, u.note) for u in updates] == [
        *((status, words, f"now {word}") for word, (status, words) in EXPECTED.items()),
        (None, None, "Call us on 999"),
    ]
    assert updates[0].updated_at == at(1, 8, 0).astimezone(UTC)
    (row,) = await entries(standin, ob_no=receipt.reference)
    assert row["ob_status"] == "NO OFFENCE DISCLOSED"
    assert row["last_action_at"] == datetime(2026, 3, 11, 9, 0)


async def test_updates_start_after_since(
    standin: RunningStandIn, connector: PoliceConnector
) -> None:
    receipt = await connector.submit_ticket(delivery())
    times = [at(2, 10, minute) for minute in (0, 1, 2)]
    for moment, word in zip(
        times, ("UNDER INVESTIGATION", "TAKEN TO COURT", "CLOSED"), strict=True
    ):
        await advance(url_of(standin), receipt.reference, word, at=moment)
    naive_utc = times[0].astimezone(UTC).replace(tzinfo=None)
    for since in (times[0], times[0].astimezone(UTC), naive_utc):
        later = for_reference(await connector.ticket_updates(since), receipt.reference)
        assert [u.status_text for u in later] == ["Taken to court", "Closed"]
    assert for_reference(await connector.ticket_updates(times[-1]), receipt.reference) == []
    everything = await connector.ticket_updates(at(0, 0))
    assert [u.updated_at for u in everything] == sorted(u.updated_at for u in everything)


async def test_actions_on_entries_taken_at_the_counter_are_not_the_hubs(
    standin: RunningStandIn, connector: PoliceConnector
) -> None:
    counter = next(row for row in await entries(standin) if row["hub_ticket_id"] is None)
    await advance(url_of(standin), counter["ob_no"], "CLOSED", "Case closed", at=at(3, 8))
    assert for_reference(await connector.ticket_updates(at(3, 0)), counter["ob_no"]) == []


async def test_an_unknown_status_word_is_passed_on_with_its_text_only(
    standin: RunningStandIn, connector: PoliceConnector
) -> None:
    receipt = await connector.submit_ticket(delivery())
    engine = create_async_engine(url_of(standin))
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(ob_action).values(
                    ob_no=receipt.reference,
                    action_at=datetime(2026, 3, 14, 8, 0),
                    ob_status="transferred to kilimani",
                    remarks="  ",
                    officer_svc_no="231456",
                )
            )
    finally:
        await engine.dispose()
    (update,) = for_reference(await connector.ticket_updates(at(4, 0)), receipt.reference)
    assert (update.status, update.status_text, update.note) == (
        None,
        "Transferred to kilimani",
        None,
    )


# ------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "PRAISE"}, "not 'PRAISE'"),
        ({"title": "  ", "description": "\n"}, "neither a title nor a description"),
        ({"contact_name": "N" * 81}, "name of at most 80 characters, got 81"),
        ({"contact_phone": "0" * 21}, "phone of at most 20 characters, got 21"),
        ({"contact_email": "e" * 115 + "@x.com"}, "email of at most 120 characters, got 121"),
        ({"ticket_id": "t" * 65}, "ids of 1 to 64 characters, got 65"),
        ({"ticket_id": ""}, "ids of 1 to 64 characters, got 0"),
    ],
)
async def test_a_ticket_the_book_cannot_hold_is_refused_and_nothing_entered(
    standin: RunningStandIn, connector: PoliceConnector, changes: dict[str, Any], message: str
) -> None:
    before = await entry_count(standin)
    with pytest.raises(AgencyRejected, match=re.escape(message)) as caught:
        await connector.submit_ticket(delivery(**changes))
    assert caught.value.agency == "police"
    assert await entry_count(standin) == before


# --------------------------------------------------------------------------- failures


async def test_a_book_that_is_down_is_unavailable_and_filing_resumes(
    standin: RunningStandIn,
) -> None:
    ticket = delivery()
    settings = {**standin.connector_settings, "connect_timeout": LOCKED_WAIT}
    async with opened(settings) as connector:
        try:
            standin.set_faults(down=True)
            with pytest.raises(AgencyUnavailable) as caught:
                await connector.submit_ticket(ticket)
            assert caught.value.agency == "police"
            with pytest.raises(AgencyUnavailable):
                await connector.ticket_updates(at(0, 0))
        finally:
            standin.reset_faults()
        receipt = await connector.submit_ticket(ticket)
    assert OB_OF_TODAY.fullmatch(receipt.reference)
    assert len(await entries(standin, hub_ticket_id=ticket.ticket_id)) == 1


async def test_a_missing_file_is_unavailable_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "police.db"
    async with opened({"database_url": f"sqlite+aiosqlite:///{missing}"}) as connector:
        with pytest.raises(AgencyUnavailable, match="unable to open database file"):
            await connector.submit_ticket(delivery())
    assert not missing.exists()


# ----------------------------------------------------------------- a read-only role


@pytest.fixture
def reader_role(standin: RunningStandIn) -> Iterator[str]:
    """A PostgreSQL role that may only read the Occurrence Book, as lookups should."""
    if standin.options.database_url.startswith("sqlite"):
        pytest.skip("SQLite has no roles")
    server = make_url(standin.options.database_url)
    role = f"ob_reader_{uuid.uuid4().hex[:8]}"
    run_async(lambda: administer(server, f'CREATE ROLE "{role}" LOGIN'))
    run_async(
        lambda: administer(server, f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"')
    )
    try:
        yield role
    finally:
        run_async(lambda: administer(server, f'DROP OWNED BY "{role}"'))
        run_async(lambda: administer(server, f'DROP ROLE "{role}"'))


@pytest.mark.postgres
async def test_filing_goes_through_the_filing_role(
    standin: RunningStandIn, reader_role: str
) -> None:
    writer = url_of(standin)
    reader = make_url(writer).set(username=reader_role).render_as_string(hide_password=False)
    async with opened({"database_url": reader}) as connector:
        with pytest.raises(AgencyRejected, match="permission denied") as caught:
            await connector.submit_ticket(delivery())
        assert "filing_database_url" in caught.value.reason
        assert await connector.ticket_updates(at(0, 0)) is not None  # reading is allowed
    async with opened({"database_url": reader, "filing_database_url": writer}) as connector:
        receipt = await connector.submit_ticket(delivery())
        assert OB_OF_TODAY.fullmatch(receipt.reference)


@pytest.mark.postgres
async def test_a_value_postgresql_cannot_hold_is_refused(
    standin: RunningStandIn, connector: PoliceConnector
) -> None:
    if standin.options.database_url.startswith("sqlite"):
        pytest.skip("SQLite keeps any text")
    with pytest.raises(AgencyRejected, match="refused the entry") as caught:
        await connector.submit_ticket(delivery(description="a \x00 in the middle"))
    assert caught.value.agency == "police"
