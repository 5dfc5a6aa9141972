"""The marks in the real hub database, fingerprints, and what a watcher refuses to watch."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from hub.agencies import WatchConfig
from hub.connector import (
    CAPABILITY_METHODS,
    WATCHABLE_CAPABILITIES,
    AlertLevel,
    Money,
    SecurityAlert,
    Service,
    Vacancy,
)
from hub.db import create_engine
from hub.events import topics
from hub.events.records import RECORD_TYPES
from hub.watch import WATCHED, Marked, MarkStore, WatchTarget, fingerprint
from legacy.running import RunningStandIn
from tests.hub.watch.watching import WatchParts, watch_parts

NOW = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
VACANCY = Vacancy(
    id="DIS-HR-2026-021",
    title="Immigration Officer II",
    description="Clear travellers at the border post.",
    category="Immigration Services",
    location="Malaba",
    positions=8,
    opens_at=NOW,
    closes_at=NOW + timedelta(days=21),
    grade="CSG 9",
    salary=Money(amount=Decimal(48060), currency="KES"),
)


@pytest.fixture
async def marks(url: str) -> AsyncIterator[MarkStore]:
    engine = create_engine(url)
    try:
        yield MarkStore(engine)
    finally:
        await engine.dispose()


def test_every_watchable_capability_has_a_listing_a_topic_a_setting_and_a_record_type() -> None:
    assert set(WATCHED) == set(WATCHABLE_CAPABILITIES) == set(WatchConfig.model_fields)
    for capability, listing in WATCHED.items():
        assert list(CAPABILITY_METHODS[capability]) == [listing.method]
        assert listing.topic in RECORD_TYPES
    assert WATCHED["alerts"].topic == topics.SECURITY_ALERTS
    assert RECORD_TYPES[topics.SECURITY_ALERTS] is SecurityAlert


def test_a_fingerprint_sees_any_change_of_any_field() -> None:
    base = fingerprint(topics.VACANCIES, VACANCY)
    assert base == fingerprint(topics.VACANCIES, dataclasses.replace(VACANCY))
    assert len(base) == 64
    changed = [
        dataclasses.replace(VACANCY, positions=9),
        dataclasses.replace(VACANCY, closes_at=VACANCY.closes_at + timedelta(seconds=1)),
        dataclasses.replace(VACANCY, salary=Money(amount=Decimal(48061), currency="KES")),
        dataclasses.replace(VACANCY, grade=None),
        dataclasses.replace(VACANCY, description=VACANCY.description + " "),
    ]
    assert len({base, *(fingerprint(topics.VACANCIES, v) for v in changed)}) == 6


def test_a_fingerprint_is_the_update_time_of_a_record_that_has_one() -> None:
    service = Service(
        id="PP-ORD34",
        title="Ordinary passport",
        description="34 pages",
        category="Passports",
        updated_at=datetime(2026, 7, 1, 12, 30, tzinfo=timezone(timedelta(hours=3))),
    )
    assert fingerprint("services", service) == "2026-07-01T09:30:00+00:00"
    assert fingerprint("services", dataclasses.replace(service, title="Passport")) == (
        "2026-07-01T09:30:00+00:00"
    )


def test_a_security_alert_fingerprint_tells_its_expiry_apart() -> None:
    alert = SecurityAlert(
        id="7",
        area="Countrywide",
        level=AlertLevel.ADVISORY,
        title="Fake recruitment agents",
        message="Recruitment is free.",
        issued_at=NOW,
    )
    extended = dataclasses.replace(alert, expires_at=NOW + timedelta(days=1))
    assert fingerprint(topics.SECURITY_ALERTS, alert) != fingerprint(
        topics.SECURITY_ALERTS, extended
    )


async def test_the_first_look_is_a_baseline_even_when_it_finds_nothing(marks: MarkStore) -> None:
    assert await marks.record("police", "alerts", {}) == Marked(baseline=True)
    assert await marks.record("police", "alerts", {}) == Marked()
    assert await marks.record("police", "alerts", {"7": "a"}) == Marked(new=("7",))
    assert await marks.record("police", "alerts", {"7": "a", "8": "b"}) == Marked(new=("8",))
    assert await marks.record("police", "alerts", {"7": "c", "8": "b"}) == Marked(changed=("7",))
    # gone from the listing, then back as it was: not news
    assert await marks.record("police", "alerts", {"8": "b"}) == Marked()
    assert await marks.record("police", "alerts", {"7": "c", "8": "b"}) == Marked()
    assert await marks.fingerprints("police", "alerts") == {"7": "c", "8": "b"}


async def test_a_listing_older_than_the_mark_neither_changes_it_nor_is_published(
    marks: MarkStore,
) -> None:
    start = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert (await marks.record("police", "vacancies", {"r1": "v0"}, listed_at=start)).baseline
    newer = await marks.record(
        "police", "vacancies", {"r1": "v2"}, listed_at=start + timedelta(seconds=2)
    )
    slower = await marks.record(
        "police", "vacancies", {"r1": "v1"}, listed_at=start + timedelta(seconds=1)
    )
    again = await marks.record(
        "police", "vacancies", {"r1": "v2"}, listed_at=start + timedelta(seconds=3)
    )
    assert newer == Marked(changed=("r1",))
    assert slower == Marked(), "a slower process's older listing is not news"
    assert again == Marked(), "the newer version was published once"
    assert await marks.fingerprints("police", "vacancies") == {"r1": "v2"}


async def test_marks_are_kept_per_agency_and_capability(marks: MarkStore) -> None:
    first = {"A-1": "x", "A-2": "y"}
    assert (await marks.record("immigration", "news", first)).baseline
    assert (await marks.record("immigration", "vacancies", first)).baseline
    assert (await marks.record("revenue", "news", first)).baseline
    assert await marks.record("immigration", "news", {**first, "A-3": "z"}) == Marked(new=("A-3",))
    assert await marks.fingerprints("immigration", "vacancies") == first
    assert await marks.fingerprints("revenue", "news") == first


async def test_a_listing_larger_than_one_statement_is_marked_whole(marks: MarkStore) -> None:
    many = {f"N-{n:05d}": f"v{n}" for n in range(1234)}
    assert (await marks.record("revenue", "news", many)).baseline
    grown = {**many, "N-99999": "new"}
    changed = {**grown, "N-00001": "w1", "N-01200": "w1200"}
    assert await marks.record("revenue", "news", grown) == Marked(new=("N-99999",))
    assert await marks.record("revenue", "news", changed) == Marked(changed=("N-00001", "N-01200"))
    assert len(await marks.fingerprints("revenue", "news")) == 1235


@pytest.mark.parametrize(
    ("listing", "message"),
    [({"": "x"}, "ids must not be empty"), ({"A": ""}, "fingerprints must have 1 to 64")],
)
async def test_an_empty_id_or_fingerprint_is_refused(
    marks: MarkStore, listing: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        await marks.record("revenue", "news", listing)
    assert await marks.fingerprints("revenue", "news") == {}


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (("immigration", "services", 5), "'services' cannot be watched; watchable: vacancies"),
        (("immigration", "vacancies", 0), "interval must be positive, got 0"),
    ],
)
def test_a_target_that_cannot_be_watched_is_refused(
    target: tuple[str, str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WatchTarget(*target)


@pytest.fixture
async def parts(
    tmp_path: Path, watched_standins: dict[str, RunningStandIn], url: str
) -> AsyncIterator[WatchParts]:
    async with watch_parts(tmp_path, watched_standins, url) as opened:
        yield opened


async def test_a_watcher_refuses_an_agency_or_capability_it_cannot_reach(
    parts: WatchParts,
) -> None:
    with pytest.raises(ValueError, match="does not serve 'bids'"):
        parts.watcher("immigration", "bids")
    with pytest.raises(ValueError, match="no agency 'weather'; known: immigration, police"):
        parts.watcher("weather", "news")
    with pytest.raises(ValueError, match="watched once; repeated: \\['police/news'\\]"):
        parts.watchers(WatchTarget("police", "news", 1), WatchTarget("police", "news", 2))


async def test_the_configured_targets_are_the_agencies_files_watch_blocks(
    parts: WatchParts,
) -> None:
    watchers = parts.watchers()
    configured = {
        (w.target.agency, w.target.capability, w.target.interval) for w in watchers.watchers
    }
    assert configured == {
        ("immigration", "news", 120),
        ("immigration", "vacancies", 300),
        ("police", "alerts", 30),
        ("police", "news", 120),
        ("police", "vacancies", 300),
        ("police", "bids", 300),
    }
    assert not watchers.running
