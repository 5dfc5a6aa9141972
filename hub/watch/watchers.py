"""Every watcher of the hub, started and stopped together.

:class:`Watchers` runs one task per agency and watched capability (the agencies
file's ``watch:`` blocks), beside the ticket workers: in ``hub serve``'s lifespan, or
in ``hub worker``. A watcher that fails backs off alone; the others go on::

    watchers = await start_watchers(registry, guard, engine, bus)
    ...
    await watchers.stop()
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Sequence
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.agencies import AgencyRegistry
from hub.events import EventBus
from hub.gateway import Guard
from hub.watch.marks import MarkStore
from hub.watch.watcher import DEFAULT_BACKOFF_MAX, Watcher, WatchTarget

log = logging.getLogger(__name__)

STOP_MARGIN = 5.0
"""Seconds beyond the slowest watched agency's timeout that :meth:`Watchers.stop` waits
for looks in progress before it cancels them."""


def configured_targets(registry: AgencyRegistry) -> list[WatchTarget]:
    """What the agencies file asks to watch: each agency's ``watch:`` intervals."""
    return [
        WatchTarget(runtime.id, capability, seconds)
        for runtime in registry
        for capability, seconds in runtime.config.watch.intervals().items()
    ]


class Watchers:
    """The watchers of ``targets`` (default: :func:`configured_targets`), calling agencies
    through ``guard`` (share the gateway's, so that they share its breakers), keeping
    marks in ``marks`` and publishing on ``bus``."""

    def __init__(
        self,
        registry: AgencyRegistry,
        guard: Guard,
        marks: MarkStore,
        bus: EventBus,
        targets: Sequence[WatchTarget] | None = None,
        *,
        backoff_max: float = DEFAULT_BACKOFF_MAX,
        rng: random.Random | None = None,
    ) -> None:
        chosen = configured_targets(registry) if targets is None else list(targets)
        names = [target.name for target in chosen]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"each agency's capability is watched once; repeated: {repeated}")
        self.watchers = tuple(
            Watcher(target, registry, guard, marks, bus, backoff_max=backoff_max, rng=rng)
            for target in chosen
        )
        self.grace = STOP_MARGIN + max(
            (registry.get(target.agency).config.timeout for target in chosen), default=0.0
        )
        """Seconds :meth:`stop` lets the looks in progress finish."""
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def running(self) -> bool:
        """Whether the watchers were started and not stopped."""
        return bool(self._tasks)

    @property
    def tasks(self) -> tuple[asyncio.Task[None], ...]:
        """The watchers' tasks while they run."""
        return tuple(self._tasks)

    def watcher(self, agency: str, capability: str) -> Watcher:
        """The watcher of ``agency``'s ``capability``; ``KeyError`` if there is none."""
        for watcher in self.watchers:
            if (watcher.target.agency, watcher.target.capability) == (agency, capability):
                return watcher
        raise KeyError(f"{agency}/{capability} is not watched")

    async def start(self) -> None:
        """Start every watcher as a task of the running loop."""
        if self._tasks:
            raise RuntimeError("the watchers are running already; stop() them first")
        self._stopping = asyncio.Event()
        for watcher in self.watchers:
            job = watcher.run(self._stopping)
            task = asyncio.create_task(job, name=f"watch {watcher.target.name}")
            task.add_done_callback(_report_crash)
            self._tasks.append(task)
        if self.watchers:
            log.info(
                "watching %s",
                ", ".join(f"{w.target.name} every {w.target.interval:g} s" for w in self.watchers),
            )

    async def stop(self) -> None:
        """Stop the watchers and wait until every task of theirs has ended.

        A look in progress may end first (its marks are stored and its changes
        published), for :attr:`grace` seconds at most; then it is cancelled. Cancelling
        a database call halfway can leave its connection behind.
        """
        tasks, self._tasks = self._tasks, []
        if not tasks:
            return
        self._stopping.set()
        _, late = await asyncio.wait(tasks, timeout=self.grace)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)
        log.info("watchers stopped")

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


async def start_watchers(
    registry: AgencyRegistry,
    guard: Guard,
    engine: AsyncEngine,
    bus: EventBus,
    *,
    backoff_max: float = DEFAULT_BACKOFF_MAX,
) -> Watchers:
    """The watchers the agencies file asks for, started, with their marks in the hub's
    database at ``engine``; ``await watchers.stop()`` at shutdown."""
    watchers = Watchers(registry, guard, MarkStore(engine), bus, backoff_max=backoff_max)
    await watchers.start()
    return watchers


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the %s watcher stopped", task.get_name(), exc_info=task.exception())


__all__ = ["Watchers", "configured_targets", "start_watchers"]
