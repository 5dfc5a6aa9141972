"""The watchers where they run: in ``hub serve`` (with ``HUB_WORKERS_IN_SERVE``) and in
``hub worker``, publishing through Redis to subscribers of any process."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import pytest

from hub.events import RedisBus, Subscription, topics
from legacy.running import RunningStandIn, agencies_file
from tests.hub.watch.watching import (
    ONLY_IMMIGRATION_VACANCIES,
    baseline_taken,
    event_about,
    posted_advert,
)
from tests.support.hub import running_hub
from tests.support.processes import start_hub_command
from tests.support.services import require_redis

pytestmark = pytest.mark.redis


@pytest.fixture
async def redis_events() -> AsyncIterator[Subscription]:
    """A subscription to vacancies through the Redis the hub publishes to."""
    bus = RedisBus(require_redis())
    await bus.start()
    try:
        async with bus.subscribe([topics.VACANCIES]) as events:
            yield events
    finally:
        await bus.close()


async def test_the_served_hub_watches_and_publishes_through_redis(
    tmp_path: Path,
    hub_agencies: Mapping[str, RunningStandIn],
    redis_events: Subscription,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    with running_hub(
        tmp_path,
        hub_agencies,
        ONLY_IMMIGRATION_VACANCIES,
        database_url=url,
        workers_in_serve=True,
        events_url=require_redis(),
    ):
        await baseline_taken(url)
        title = f"Principal Immigration Officer {uuid.uuid4().hex[:6]}"
        number = await posted_advert(hub_agencies["immigration"], title)
        event = await event_about(redis_events, number)

    assert (event.data["agency"], event.data["change"]) == ("immigration", "NEW")
    assert event.data["record"]["title"] == title


async def test_hub_worker_watches_when_events_go_through_redis(
    tmp_path: Path,
    hub_agencies: Mapping[str, RunningStandIn],
    redis_events: Subscription,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    path = agencies_file(tmp_path / "agencies.yaml", hub_agencies, ONLY_IMMIGRATION_VACANCIES)
    env = {
        "HUB_AGENCIES_FILE": str(path),
        "HUB_ENV_FILE": str(tmp_path / "no.env"),
        "HUB_DATABASE_URL": url,
        "HUB_EVENTS_URL": require_redis(),
    }
    worker = start_hub_command("worker", env=env, cwd=tmp_path)
    try:
        await baseline_taken(url)
        number = await posted_advert(
            hub_agencies["immigration"], f"Driver III {uuid.uuid4().hex[:6]}"
        )
        event = await event_about(redis_events, number)
        os.killpg(worker.pid, signal.SIGTERM)
        output, _ = await asyncio.to_thread(worker.communicate, timeout=30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            await asyncio.to_thread(worker.communicate, timeout=10)

    assert worker.returncode == 0, output
    assert "hub worker: watching agencies for new and changed records" in output
    assert "hub worker: stopped" in output
    assert (event.data["agency"], event.data["change"]) == ("immigration", "NEW")


def test_hub_worker_does_not_watch_when_events_would_stay_in_it(
    tmp_path: Path, hub_agencies: Mapping[str, RunningStandIn]
) -> None:
    path = agencies_file(tmp_path / "agencies.yaml", hub_agencies, ONLY_IMMIGRATION_VACANCIES)
    env = {
        "HUB_AGENCIES_FILE": str(path),
        "HUB_ENV_FILE": str(tmp_path / "no.env"),
        "HUB_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}",
        "HUB_EVENTS_URL": "memory://",
    }
    worker = start_hub_command("worker", env=env, cwd=tmp_path)
    try:
        assert worker.stdout is not None
        lines: list[str] = []
        while not any("hub worker: delivering tickets" in line for line in lines):
            line = worker.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        os.killpg(worker.pid, signal.SIGTERM)
        lines.append(worker.stdout.read())  # what readline read ahead is in its buffer
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.communicate(timeout=10)

    output = "".join(lines)
    assert worker.returncode == 0, output
    assert "hub worker: not watching agencies: with HUB_EVENTS_URL memory://" in output
    assert "watching agencies for new" not in output
    assert "hub worker: stopped" in output
