"""What the watchers' tests share: the immigration and police agencies over stand-ins of
the tests' own, the hub's parts a watcher runs on, and the stand-ins' staff at work.
No tests of its own."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx
import yaml
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.agencies import AgencyRegistry, load_configuration
from hub.db import create_engine
from hub.events import Event, MemoryBus, Subscription
from hub.gateway import Gateway, Guard
from hub.watch import MarkStore, Watcher, Watchers, WatchTarget
from legacy.immigration import ADVERTS_PATH
from legacy.running import DEMO_FILE, RunningStandIn, agencies_file
from tests.support.waiting import eventually

T = TypeVar("T")

WATCHED_AGENCIES = ("immigration", "police")
NAIROBI = ZoneInfo("Africa/Nairobi")
QUICK = 0.05
"""Seconds between looks in tests that run the watchers' loops."""

ONLY_IMMIGRATION_VACANCIES: dict[str, dict[str, Any]] = {
    "revenue": {"watch": {}},
    "police": {"watch": {}},
    "immigration": {"watch": {"vacancies": 1}},
}
"""Agencies-file overrides: watch immigration's vacancies every second, nothing else."""


FAST_BREAKER = {"breaker": {"failure_threshold": 1, "open_seconds": 0.2}}
"""An agency override: the breaker opens at the first failure and probes soon after."""


@dataclass
class WatchParts:
    """One hub's worth of what watchers run on: the agencies, the guard over them, the
    gateway (to compare with what the hub lists), the marks and a bus of its own."""

    registry: AgencyRegistry
    guard: Guard
    gateway: Gateway
    engine: AsyncEngine
    marks: MarkStore
    bus: MemoryBus

    def watcher(
        self,
        agency: str,
        capability: str,
        interval: float = QUICK,
        rng: random.Random | None = None,
    ) -> Watcher:
        """A watcher of ``agency``'s ``capability`` over these parts."""
        return Watcher(
            WatchTarget(agency, capability, interval),
            self.registry,
            self.guard,
            self.marks,
            self.bus,
            rng=rng,
        )

    def watchers(self, *targets: WatchTarget, backoff_max: float = 0.4) -> Watchers:
        """Watchers of ``targets`` (none given: the agencies file's) over these parts,
        backing off to ``backoff_max`` s."""
        return Watchers(
            self.registry,
            self.guard,
            self.marks,
            self.bus,
            targets or None,
            backoff_max=backoff_max,
        )


def watched_agencies_file(
    directory: Path,
    standins: Mapping[str, RunningStandIn],
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Path:
    """An agencies file of the demo's immigration and police agencies (no tickets),
    pointed at ``standins``."""
    directory.mkdir(parents=True, exist_ok=True)
    demo = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    kept = [a for a in demo["agencies"] if a["id"] in WATCHED_AGENCIES]
    for agency in kept:
        agency.pop("tickets", None)
    template = directory / "watched-template.yaml"
    template.write_text(yaml.safe_dump({"agencies": kept}), encoding="utf-8")
    return agencies_file(directory / "agencies.yaml", standins, overrides, template=template)


@asynccontextmanager
async def watch_parts(
    directory: Path,
    standins: Mapping[str, RunningStandIn],
    url: str,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> AsyncIterator[WatchParts]:
    """The parts of a hub over ``standins``, its marks in the migrated database ``url``."""
    path = watched_agencies_file(directory, standins, overrides)
    configuration = load_configuration(path, env_file=directory / "no.env")
    registry = AgencyRegistry(configuration.definitions)
    guard = Guard(registry)
    engine = create_engine(url)
    await registry.open()
    try:
        yield WatchParts(
            registry, guard, Gateway(registry, guard), engine, MarkStore(engine), MemoryBus()
        )
    finally:
        await registry.close()
        await engine.dispose()


def local_today() -> date:
    """Today in Nairobi, as the stand-ins' staff write dates."""
    return datetime.now(NAIROBI).date()


def advert(title: str, **changes: Any) -> dict[str, Any]:
    """The body of an advert the immigration HR office posts, open from today."""
    today = local_today()
    return {
        "job_title": title,
        "job_category": "Immigration Services",
        "job_description": "Clear travellers at the border post and detect forged documents.",
        "duty_station": "Malaba",
        "no_of_posts": 8,
        "grade": "CSG 9",
        "monthly_basic_salary_kes": 48060,
        "opening_date": today.strftime("%d/%m/%Y"),
        "closing_date": (today + timedelta(days=21)).strftime("%d/%m/%Y"),
        **changes,
    }


async def post_advert(standin: RunningStandIn, body: Mapping[str, Any]) -> httpx.Response:
    """POST ``body`` to the immigration HR office's desk."""
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.post(f"{standin.url}{ADVERTS_PATH}", json=dict(body))


async def posted_advert(standin: RunningStandIn, title: str, **changes: Any) -> str:
    """Post an advert titled ``title`` (201 or 200 expected); its advert number."""
    response = await post_advert(standin, advert(title, **changes))
    assert response.status_code in (200, 201), response.text
    number: str = response.json()["advert_no"]
    return number


async def next_event(events: Subscription, within: float = 30) -> Event:
    """The next event of ``events``; fails after ``within`` seconds (a guard against
    hanging, not a claim about speed)."""
    try:
        return await asyncio.wait_for(anext(events), within)
    except TimeoutError:
        raise AssertionError(f"no event on {sorted(events.topics)} within {within} s") from None


async def event_about(events: Subscription, record_id: str, within: float = 30) -> Event:
    """The first event of ``events`` about the record ``record_id``, skipping others."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        event = await next_event(events, max(deadline - loop.time(), 0.01))
        if event.data.get("record", {}).get("id") == record_id:
            return event


async def nothing_more(bus: MemoryBus, events: Subscription) -> None:
    """Check that no event waits in ``events``: one published now on its topic comes next."""
    topic = next(iter(events.topics))
    await bus.publish(topic, {"sentinel": True})
    assert (await next_event(events)).data == {"sentinel": True}


async def baseline_taken(database_url: str) -> None:
    """Wait until the hub at ``database_url`` has looked at immigration's vacancies once."""
    engine = create_engine(database_url)
    marks = MarkStore(engine)

    async def marked() -> bool | None:
        try:
            return True if await marks.fingerprints("immigration", "vacancies") else None
        except Exception:  # the hub may not have created its tables yet
            return None

    try:
        await eventually(marked, "the hub's first look at immigration's vacancies")
    finally:
        await engine.dispose()
