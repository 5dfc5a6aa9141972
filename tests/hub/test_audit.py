"""The append-only audit log in the hub's database, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from hub.audit import AuditEntry, AuditFilter, AuditLog, AuditPage, StoredAuditEntry
from hub.db import create_engine, upgrade
from tests.support.connectors import is_utc
from tests.support.databases import database

BASE = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of this test's own on each backend."""
    with database(request.param, tmp_path) as fresh:
        yield fresh


@pytest.fixture
async def log(url: str) -> AsyncIterator[AuditLog]:
    """The audit log of a freshly migrated database."""
    await upgrade(url)
    engine = create_engine(url)
    try:
        yield AuditLog(engine)
    finally:
        await engine.dispose()


def entry(at: datetime, **fields: str | None) -> AuditEntry:
    values: dict[str, str | None] = {
        "subject": "alice",
        "role": "citizen",
        "caller_agency": None,
        "operation": "query MyTaxStatus",
        "field": "revenue.taxCompliance",
        "object_id": "P051234567A",
        "agency": "revenue",
        "outcome": "OK",
        "request_id": "req-1",
        "client": "127.0.0.1",
    }
    return AuditEntry(at=at, **(values | fields))  # type: ignore[arg-type]


def varied(count: int) -> list[AuditEntry]:
    """``count`` entries a minute apart, oldest first, whose filtered fields vary with
    different periods so that every filter picks a different part of them."""
    return [
        entry(
            BASE + timedelta(minutes=i),
            subject=["alice", "bob", None][i % 3],
            role=["citizen", "resolver", "admin", "citizen"][i % 4],
            caller_agency=[None, "revenue", "police", "revenue", None][i % 5],
            field=["revenue.taxCompliance", "setTicketStatus"][i % 2],
            object_id=["P1", "P2", None][(i + 1) % 3],
            agency=["revenue", "police", None, "police"][(i + 2) % 4],
            outcome=["OK", "OK", "FORBIDDEN"][(i + 1) % 3],
        )
        for i in range(count)
    ]


def newest_first(entries: list[AuditEntry]) -> list[AuditEntry]:
    return list(reversed(entries))


async def record_all(log: AuditLog, entries: list[AuditEntry]) -> None:
    for each in entries:
        await log.record(each)


async def everything(log: AuditLog, filter: AuditFilter, size: int = 7) -> list[AuditEntry]:
    """Every entry a search finds, page by page."""
    found: list[AuditEntry] = []
    after = None
    while True:
        page = await log.search(filter, size, after)
        found += [stored.entry for stored in page.entries]
        if not page.has_next_page:
            return found
        after = page.end_cursor


async def test_recorded_entries_read_back_whole_and_in_utc(log: AuditLog, url: str) -> None:
    east = timezone(timedelta(hours=3))
    recorded = entry(datetime(2025, 3, 1, 12, 0, 5, 123456, tzinfo=east), caller_agency="revenue")
    anonymous = entry(
        datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        subject=None,
        role="anonymous",
        object_id=None,
        agency=None,
        request_id=None,
        client=None,
    )

    await log.record(recorded)
    await log.record(anonymous)
    page = await log.search(AuditFilter(), 10)

    assert [stored.entry for stored in page.entries] == [anonymous, recorded]
    assert all(is_utc(stored.at) for stored in page.entries)
    assert page.entries[1].at == datetime(2025, 3, 1, 9, 0, 5, 123456, tzinfo=UTC)
    assert page.entries[0].id > page.entries[1].id
    assert isinstance(page.entries[0], StoredAuditEntry)


async def test_a_recorded_entry_is_committed_when_record_returns(log: AuditLog, url: str) -> None:
    await log.record(entry(BASE))

    other = create_engine(url)
    try:
        async with other.connect() as connection:
            count = (await connection.execute(text("SELECT count(*) FROM audit_log"))).scalar()
    finally:
        await other.dispose()
    assert count == 1


async def test_an_entry_with_a_naive_time_is_refused(log: AuditLog) -> None:
    with pytest.raises(ValueError, match=r"AuditEntry.at: .* has no time zone"):
        await log.record(entry(datetime(2025, 3, 1, 12, 0)))
    assert (await log.search(AuditFilter(), 10)).total_count == 0


async def test_recording_into_a_database_never_migrated_fails(url: str) -> None:
    engine = create_engine(url)
    try:
        with pytest.raises((OperationalError, ProgrammingError), match="audit_log"):
            await AuditLog(engine).record(entry(BASE))
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("subject", "bob"),
        ("role", "admin"),
        ("agency", "police"),
        ("caller_agency", "revenue"),
        ("field", "setTicketStatus"),
        ("object_id", "P2"),
        ("outcome", "FORBIDDEN"),
    ],
)
async def test_each_filter_on_its_own(log: AuditLog, name: str, value: str) -> None:
    entries = varied(20)
    await record_all(log, entries)
    expected = newest_first([e for e in entries if getattr(e, name) == value])
    assert 0 < len(expected) < len(entries)

    page = await log.search(AuditFilter(**{name: value}), len(expected))

    assert [stored.entry for stored in page.entries] == expected
    assert page.total_count == len(expected)
    assert not page.has_next_page


async def test_since_is_inclusive_and_until_exclusive(log: AuditLog) -> None:
    entries = varied(12)
    await record_all(log, entries)
    since, until = entries[3].at, entries[8].at

    assert await everything(log, AuditFilter(since=since)) == newest_first(entries[3:])
    assert await everything(log, AuditFilter(until=until)) == newest_first(entries[:8])
    assert await everything(log, AuditFilter(since=since, until=until)) == newest_first(
        entries[3:8]
    )


async def test_time_bounds_in_other_zones_mean_the_same_moments(log: AuditLog) -> None:
    entries = varied(6)
    await record_all(log, entries)
    west = timezone(timedelta(hours=-5))

    found = await everything(log, AuditFilter(since=entries[2].at.astimezone(west)))

    assert found == newest_first(entries[2:])


async def test_filters_combine(log: AuditLog) -> None:
    entries = varied(40)
    await record_all(log, entries)
    filter = AuditFilter(
        subject="alice", outcome="OK", agency="police", since=entries[5].at, until=entries[35].at
    )
    expected = newest_first(
        [
            e
            for e in entries[5:35]
            if e.subject == "alice" and e.outcome == "OK" and e.agency == "police"
        ]
    )
    assert 1 < len(expected) < len([e for e in entries if e.subject == "alice"])

    page = await log.search(filter, 40)

    assert [stored.entry for stored in page.entries] == expected
    assert page.total_count == len(expected)


async def test_a_filter_nothing_matches_gives_an_empty_page(log: AuditLog) -> None:
    await record_all(log, varied(5))

    page = await log.search(AuditFilter(subject="nobody"), 10)

    assert page == AuditPage(entries=[], has_next_page=False, end_cursor=None, total_count=0)


def test_a_filter_with_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match=r"AuditFilter.until: .* has no time zone"):
        AuditFilter(until=datetime(2025, 3, 1))


async def test_pages_of_ten_through_25_entries(log: AuditLog) -> None:
    # Three entries share each moment, so pages also break ties by id.
    entries = [entry(BASE + timedelta(seconds=i // 3), object_id=f"P{i}") for i in range(25)]
    await record_all(log, entries)

    pages = []
    after = None
    for _ in range(3):
        page = await log.search(AuditFilter(), 10, after)
        pages.append(page)
        after = page.end_cursor

    assert [len(page.entries) for page in pages] == [10, 10, 5]
    assert [page.has_next_page for page in pages] == [True, True, False]
    assert [page.total_count for page in pages] == [25, 25, 25]
    seen = [stored.entry for page in pages for stored in page.entries]
    assert seen == newest_first(entries)
    ids = [stored.id for page in pages for stored in page.entries]
    assert len(set(ids)) == 25


async def test_pages_hold_still_while_entries_are_added(log: AuditLog) -> None:
    entries = [entry(BASE + timedelta(seconds=i // 3), object_id=f"P{i}") for i in range(25)]
    await record_all(log, entries)

    first = await log.search(AuditFilter(), 10)
    newer = [entry(BASE + timedelta(hours=1, seconds=i), object_id=f"N{i}") for i in range(5)]
    await record_all(log, newer)
    second = await log.search(AuditFilter(), 10, first.end_cursor)
    await log.record(entry(BASE + timedelta(hours=2), object_id="N5"))
    third = await log.search(AuditFilter(), 10, second.end_cursor)

    seen = [stored.entry for page in (first, second, third) for stored in page.entries]
    assert seen == newest_first(entries)
    assert not third.has_next_page
    assert (second.total_count, third.total_count) == (30, 31)


async def test_pages_of_a_filtered_search(log: AuditLog) -> None:
    entries = varied(30)
    await record_all(log, entries)
    filter = AuditFilter(field="setTicketStatus")

    assert await everything(log, filter, size=4) == newest_first(
        [e for e in entries if e.field == "setTicketStatus"]
    )


async def test_a_page_of_none(log: AuditLog) -> None:
    await record_all(log, varied(3))

    page = await log.search(AuditFilter(), 0)

    assert page == AuditPage(entries=[], has_next_page=True, end_cursor=None, total_count=3)


@pytest.mark.parametrize("first", [-1, 501])
async def test_a_page_size_out_of_range_is_refused(log: AuditLog, first: int) -> None:
    with pytest.raises(ValueError, match=f"first must be between 0 and 500, got {first}"):
        await log.search(AuditFilter(), first)


def _encoded(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor",
        "%%%%",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        _encoded({"at": "2025-03-01T09:00:00+00:00", "id": 1}),
        _encoded([1, "services", "2025-03-01T09:00:00+00:00", 1]),
        _encoded([2, "audit", "2025-03-01T09:00:00+00:00", 1]),
        _encoded([1, "audit", "2025-03-01T09:00:00", 1]),
        _encoded([1, "audit", "yesterday", 1]),
        _encoded([1, "audit", "2025-03-01T09:00:00+00:00", "1"]),
        _encoded([1, "audit", "2025-03-01T09:00:00+00:00", True]),
        _encoded([1, "audit", "2025-03-01T09:00:00+00:00"]),
    ],
)
async def test_a_cursor_the_log_did_not_issue_is_refused(log: AuditLog, cursor: str) -> None:
    await record_all(log, varied(3))

    with pytest.raises(ValueError, match="is not a cursor of the audit log; pass the end_cursor"):
        await log.search(AuditFilter(), 10, cursor)


async def test_a_cursor_from_another_search_still_reads(log: AuditLog) -> None:
    entries = varied(10)
    await record_all(log, entries)
    cursor = (await log.search(AuditFilter(), 4)).end_cursor

    page = await log.search(AuditFilter(role="citizen"), 10, cursor)

    assert [stored.entry for stored in page.entries] == newest_first(
        [e for e in entries[:6] if e.role == "citizen"]
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET outcome = 'OK'",
        "UPDATE audit_log SET subject = NULL WHERE id = 1",
        "DELETE FROM audit_log WHERE id = 1",
        "DELETE FROM audit_log",
        pytest.param("TRUNCATE audit_log", id="TRUNCATE (PostgreSQL)"),
    ],
)
async def test_the_database_refuses_to_change_or_remove_entries(
    log: AuditLog, url: str, statement: str
) -> None:
    if statement.startswith("TRUNCATE") and url.startswith("sqlite"):
        pytest.skip("SQLite has no TRUNCATE")
    entries = [entry(BASE, outcome="FORBIDDEN"), entry(BASE + timedelta(seconds=1))]
    await record_all(log, entries)

    with pytest.raises(DBAPIError, match="audit_log is append-only"):
        async with log.engine.begin() as connection:
            await connection.execute(text(statement))

    assert await everything(log, AuditFilter()) == newest_first(entries)


async def test_filters_compare_whole_values(log: AuditLog) -> None:
    await log.record(entry(BASE, subject="alice"))
    await log.record(entry(BASE, subject="alice2"))

    assert (await log.search(AuditFilter(subject="alic"), 10)).total_count == 0
    assert (await log.search(AuditFilter(subject="alice"), 10)).total_count == 1
