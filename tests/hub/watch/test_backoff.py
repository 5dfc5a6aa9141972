"""A failing agency slows its own watcher down and never stops another's."""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hub.events import topics
from hub.watch import DEFAULT_BACKOFF_MAX, WatchTarget
from legacy.police import issue_alert
from legacy.running import RunningStandIn
from tests.hub.watch.watching import (
    FAST_BREAKER,
    QUICK,
    WatchParts,
    event_about,
    posted_advert,
    watch_parts,
)
from tests.support.waiting import eventually

LOGGER = "hub.watch.watcher"


@pytest.fixture
async def parts(
    tmp_path: Path, watched_standins: dict[str, RunningStandIn], url: str
) -> AsyncIterator[WatchParts]:
    overrides = dict.fromkeys(watched_standins, FAST_BREAKER)
    async with watch_parts(tmp_path, watched_standins, url, overrides) as opened:
        yield opened


async def test_a_down_agency_backs_off_while_another_keeps_publishing(
    parts: WatchParts,
    watched_standins: dict[str, RunningStandIn],
    caplog: pytest.LogCaptureFixture,
) -> None:
    immigration, police = watched_standins["immigration"], watched_standins["police"]
    watchers = parts.watchers(
        WatchTarget("immigration", "vacancies", QUICK),
        WatchTarget("police", "alerts", QUICK),
        backoff_max=0.4,
    )
    vacancies = watchers.watcher("immigration", "vacancies")
    alerts = watchers.watcher("police", "alerts")

    with caplog.at_level(logging.INFO, logger=LOGGER):
        async with (
            parts.bus.subscribe([topics.VACANCIES, topics.SECURITY_ALERTS]) as events,
            watchers,
        ):
            await eventually(
                lambda: _true(vacancies.looks >= 1 and alerts.looks >= 1), "the first looks"
            )
            immigration.set_faults(down=True)
            await eventually(lambda: _true(vacancies.failures >= 3), "three failed looks")

            number = await issue_alert(
                police.options.database_url,
                area="Kisumu",
                county="Kisumu",
                level="ADVISORY",
                title=f"Road closure for the marathon {uuid.uuid4().hex[:6]}",
                message="Oginga Odinga Street is closed until noon.",
            )
            alert = await event_about(events, str(number))
            assert vacancies.failures >= 3
            assert vacancies.next_wait is not None
            assert vacancies.next_wait > QUICK
            assert watchers.running
            assert not any(task.done() for task in watchers.tasks)

            immigration.set_faults(down=False)
            advert = await posted_advert(
                immigration, f"Network Administrator {uuid.uuid4().hex[:6]}"
            )
            vacancy = await event_about(events, advert)

    assert alert.topic == topics.SECURITY_ALERTS
    assert (vacancy.topic, vacancy.data["change"]) == (topics.VACANCIES, "NEW")
    ours = [r for r in caplog.records if r.name == LOGGER]
    warnings = [r.getMessage() for r in ours if r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(
        "agency immigration: cannot watch its vacancies (1 failed looks in a row): "
        "AGENCY_UNAVAILABLE: "
    )
    recovered = [r.getMessage() for r in ours if "watching its vacancies again" in r.getMessage()]
    assert len(recovered) == 1, recovered


@pytest.mark.parametrize("interval", [0.05, 1.0, 30.0])
async def test_the_wait_doubles_with_each_failure_up_to_the_ceiling_and_jitters(
    parts: WatchParts, interval: float
) -> None:
    watcher = parts.watcher("immigration", "vacancies", interval, rng=random.Random(7))
    ceiling = max(DEFAULT_BACKOFF_MAX, interval)
    for failures in range(1, 20):
        top = min(ceiling, interval * 2**failures)
        waits = [watcher.backoff(failures) for _ in range(50)]
        assert all(top / 2 <= wait <= top for wait in waits)
        assert len(set(waits)) > 1
    with pytest.raises(ValueError, match="at least 1"):
        watcher.backoff(0)


async def _true(condition: bool) -> bool | None:
    return True if condition else None
