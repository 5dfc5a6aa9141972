"""Watchers against the real stand-ins and the real hub database: what the agencies'
staff publish reaches the bus once, as NEW or CHANGED, and nothing else does."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hub.connector import AlertLevel, SecurityAlert, VacancyQuery
from hub.events import topics
from hub.events.records import decode_record
from hub.watch import ChangeKind, WatchTarget
from legacy.police import issue_alert
from legacy.running import RunningStandIn
from tests.hub.watch.watching import (
    QUICK,
    WatchParts,
    event_about,
    next_event,
    nothing_more,
    posted_advert,
    watch_parts,
)
from tests.support.waiting import eventually


@pytest.fixture
async def parts(
    tmp_path: Path, watched_standins: dict[str, RunningStandIn], url: str
) -> AsyncIterator[WatchParts]:
    async with watch_parts(tmp_path, watched_standins, url) as opened:
        yield opened


def unique(what: str) -> str:
    return f"{what} {uuid.uuid4().hex[:8]}"


async def test_a_new_vacancy_reaches_a_subscriber_through_the_running_watchers(
    parts: WatchParts, watched_standins: dict[str, RunningStandIn]
) -> None:
    watchers = parts.watchers(WatchTarget("immigration", "vacancies", QUICK))
    vacancies = watchers.watcher("immigration", "vacancies")
    async with parts.bus.subscribe([topics.VACANCIES]) as events, watchers:
        await eventually(lambda: _true(vacancies.looks >= 1), "the first look")
        number = await posted_advert(watched_standins["immigration"], unique("Border Officer"))

        event = await event_about(events, number)

    assert event.topic == topics.VACANCIES
    assert event.data["agency"] == "immigration"
    assert event.data["change"] == "NEW"
    assert not watchers.running


async def test_a_posted_vacancy_is_published_once_as_new_as_the_hub_lists_it(
    parts: WatchParts, watched_standins: dict[str, RunningStandIn]
) -> None:
    watcher = parts.watcher("immigration", "vacancies")
    async with parts.bus.subscribe([topics.VACANCIES]) as events:
        assert await watcher.poll() == []  # the baseline: the seeded adverts are not news
        await nothing_more(parts.bus, events)

        title = unique("Immigration Officer II")
        number = await posted_advert(watched_standins["immigration"], title)
        [change] = await watcher.poll()
        event = await next_event(events)
        assert await watcher.poll() == []
        await nothing_more(parts.bus, events)

    assert (change.kind, change.record.id) == (ChangeKind.NEW, number)
    assert event.topic == topics.VACANCIES
    assert set(event.data) == {"agency", "change", "record"}
    assert (event.data["agency"], event.data["change"]) == ("immigration", "NEW")
    listed = await parts.gateway.collect("vacancies", VacancyQuery(ids=(number,)), ["immigration"])
    [hub_record] = [sourced.item for sourced in listed.items]
    assert decode_record(topics.VACANCIES, event.data["record"]) == hub_record
    assert hub_record.title == title


async def test_an_amended_vacancy_is_published_as_changed(
    parts: WatchParts, watched_standins: dict[str, RunningStandIn]
) -> None:
    immigration = watched_standins["immigration"]
    watcher = parts.watcher("immigration", "vacancies")
    await watcher.poll()
    number = await posted_advert(immigration, unique("Data Analyst"))
    [new] = await watcher.poll()

    async with parts.bus.subscribe([topics.VACANCIES]) as events:
        await posted_advert(immigration, new.record.title, advert_no=number, no_of_posts=9)
        [changed] = await watcher.poll()
        event = await next_event(events)
        assert await watcher.poll() == []
        await nothing_more(parts.bus, events)

    assert (changed.kind, changed.record.id, changed.record.positions) == (
        ChangeKind.CHANGED,
        number,
        9,
    )
    assert event.data["change"] == "CHANGED"
    assert decode_record(topics.VACANCIES, event.data["record"]) == changed.record
    assert await parts.marks.fingerprints("immigration", "vacancies") != {}


async def test_a_restarted_watcher_publishes_nothing_old_and_what_came_meanwhile_once(
    tmp_path: Path, watched_standins: dict[str, RunningStandIn], url: str
) -> None:
    immigration = watched_standins["immigration"]
    async with watch_parts(tmp_path / "first", watched_standins, url) as first:
        watcher = first.watcher("immigration", "vacancies")
        await watcher.poll()
        seen = await posted_advert(immigration, unique("Accountant II"))
        assert [c.record.id for c in await watcher.poll()] == [seen]

    # the hub is down while HR posts another advert
    meanwhile = await posted_advert(immigration, unique("Legal Officer"))

    async with watch_parts(tmp_path / "second", watched_standins, url) as second:
        restarted = second.watcher("immigration", "vacancies")
        async with second.bus.subscribe([topics.VACANCIES]) as events:
            changes = await restarted.poll()
            event = await next_event(events)
            assert await restarted.poll() == []
            await nothing_more(second.bus, events)

    assert [(c.kind, c.record.id) for c in changes] == [(ChangeKind.NEW, meanwhile)]
    assert event.data["record"]["id"] == meanwhile


async def test_two_watchers_over_one_database_publish_each_change_once(
    tmp_path: Path, watched_standins: dict[str, RunningStandIn], url: str
) -> None:
    immigration = watched_standins["immigration"]
    async with (
        watch_parts(tmp_path / "one", watched_standins, url) as one,
        watch_parts(tmp_path / "two", watched_standins, url) as two,
    ):
        watchers = (
            one.watcher("immigration", "vacancies"),
            two.watcher("immigration", "vacancies"),
        )
        await asyncio.gather(*(w.poll() for w in watchers))
        for _ in range(3):
            posted = {await posted_advert(immigration, unique("Driver III")) for _ in range(3)}
            found = await asyncio.gather(*(w.poll() for w in watchers))
            news = [c for changes in found for c in changes]
            assert sorted(c.record.id for c in news) == sorted(posted)
            assert {c.kind for c in news} == {ChangeKind.NEW}

            amended = sorted(posted)[0]
            await posted_advert(immigration, unique("Driver II"), advert_no=amended)
            found = await asyncio.gather(*(w.poll() for w in watchers))
            assert [(c.kind, c.record.id) for changes in found for c in changes] == [
                (ChangeKind.CHANGED, amended)
            ]


async def test_a_police_alert_issued_reaches_the_security_alerts_topic(
    parts: WatchParts, watched_standins: dict[str, RunningStandIn]
) -> None:
    police = watched_standins["police"]
    watcher = parts.watcher("police", "alerts")
    await watcher.poll()
    title = unique("Flooding on Mombasa Road")

    async with parts.bus.subscribe([topics.SECURITY_ALERTS]) as events:
        number = await issue_alert(
            police.options.database_url,
            area="Mombasa Road",
            county="Nairobi",
            level="WARNING",
            title=title,
            message="Avoid the Mlolongo stretch; use Southern Bypass.",
        )
        [change] = await watcher.poll()
        event = await next_event(events)
        await nothing_more(parts.bus, events)

    alert = decode_record(topics.SECURITY_ALERTS, event.data["record"])
    assert isinstance(alert, SecurityAlert)
    assert (event.data["agency"], event.data["change"]) == ("police", "NEW")
    assert (alert.id, alert.title, alert.level, alert.area, alert.county) == (
        str(number),
        title,
        AlertLevel.WARNING,
        "Mombasa Road",
        "Nairobi",
    )
    assert alert == change.record
    in_force = await parts.registry.get("police").connector.alerts_in_force()  # type: ignore[attr-defined]
    assert alert in in_force


async def _true(condition: bool) -> bool | None:
    return True if condition else None
