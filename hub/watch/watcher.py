"""One watcher: an agency's capability, looked at every ``interval`` seconds.

Each look (:meth:`Watcher.poll`) lists every record through the gateway's guard (its
breaker, timeout and retries, not the answer cache), records their fingerprints in
the marks (:class:`~hub.watch.marks.MarkStore`) and publishes what this look found new
or changed, once the marks are stored. :meth:`Watcher.run` looks until told to stop
(or cancelled); after a failure the wait doubles, jittered, up to ``backoff_max``, and goes back to
``interval`` after the next success. It logs one warning when a failure begins (or its
cause changes), one more every :data:`WARN_EVERY` seconds while it lasts, and one line
when the agency answers again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hub.agencies import AgencyRegistry
from hub.errors import HubError
from hub.events import EventBus
from hub.gateway import Guard
from hub.watch.changes import Change, ChangeKind, fingerprint
from hub.watch.listings import WATCHED
from hub.watch.marks import MarkStore

log = logging.getLogger(__name__)

DEFAULT_BACKOFF_MAX = 600.0
"""Seconds: the longest wait after failures, unless the interval is longer."""

WARN_EVERY = 300.0
"""Seconds between two warnings that the same failure goes on."""


@dataclass(frozen=True, slots=True)
class WatchTarget:
    """Watch ``agency``'s ``capability`` (one of :data:`~hub.watch.listings.WATCHED`)
    every ``interval`` seconds."""

    agency: str
    capability: str
    interval: float

    def __post_init__(self) -> None:
        if self.capability not in WATCHED:
            raise ValueError(
                f"{self.agency}: {self.capability!r} cannot be watched; "
                f"watchable: {', '.join(WATCHED)}"
            )
        if not self.interval > 0:
            raise ValueError(
                f"{self.agency}: the {self.capability} watch interval must be positive, "
                f"got {self.interval}"
            )

    @property
    def name(self) -> str:
        """``agency/capability``, as logs and task names show it."""
        return f"{self.agency}/{self.capability}"


class Watcher:
    """Watches one :class:`WatchTarget`, publishing changes on ``bus``."""

    def __init__(
        self,
        target: WatchTarget,
        registry: AgencyRegistry,
        guard: Guard,
        marks: MarkStore,
        bus: EventBus,
        *,
        backoff_max: float = DEFAULT_BACKOFF_MAX,
        rng: random.Random | None = None,
    ) -> None:
        if target.agency not in registry:
            raise ValueError(
                f"cannot watch {target.name}: no agency {target.agency!r}; "
                f"known: {', '.join(registry.ids)}"
            )
        listing = WATCHED[target.capability]
        connector = registry.get(target.agency).connector
        if target.capability not in connector.capabilities:
            raise ValueError(
                f"cannot watch {target.name}: the agency's connector does not serve "
                f"{target.capability!r}; remove it from the agency's watch: block"
            )
        if not backoff_max > 0:
            raise ValueError(f"backoff_max must be positive, got {backoff_max}")
        self.target = target
        self.topic = listing.topic
        self._list: Callable[..., Awaitable[list[Any]]] = getattr(connector, listing.method)
        self._args = listing.args
        self._guard = guard
        self._marks = marks
        self._bus = bus
        self._ceiling = max(backoff_max, target.interval)
        self._rng = rng or random.Random()
        self.failures = 0
        """Looks that failed in a row; 0 after a success."""
        self.looks = 0
        """Looks that succeeded since the watcher was made."""
        self.next_wait: float | None = None
        """Seconds :meth:`run` waits before its next look; ``None`` before the first."""

    async def poll(self) -> list[Change]:
        """Look once: list, mark, publish; return the changes published.

        Raises the guard's errors when the agency fails (nothing is marked then), and
        the database's when the marks cannot be stored (nothing is published then).
        """
        agency = self.target.agency
        listed_at = datetime.now(UTC)
        records = await self._guard.call(agency, self._list, *self._args, safe=True)
        by_id = {str(record.id): record for record in records}
        marked = await self._marks.record(
            agency,
            self.target.capability,
            {rid: fingerprint(self.topic, record) for rid, record in by_id.items()},
            listed_at=listed_at,
        )
        if marked.baseline:
            log.info(
                "agency %s: watching its %s from now on; %d records already there",
                agency,
                self.target.capability,
                len(by_id),
            )
        changes = [
            *(Change(agency, self.topic, ChangeKind.NEW, by_id[rid]) for rid in marked.new),
            *(Change(agency, self.topic, ChangeKind.CHANGED, by_id[rid]) for rid in marked.changed),
        ]
        for change in changes:
            await self._bus.publish(self.topic, change.event_data())
        return changes

    def backoff(self, failures: int) -> float:
        """Seconds to wait after ``failures`` failed looks in a row: the interval doubled
        with each, at most the ceiling, jittered to between half of that and all of it."""
        if failures < 1:
            raise ValueError(f"failures must be at least 1, got {failures}")
        top = min(self._ceiling, self.target.interval * 2.0 ** min(failures, 64))
        return self._rng.uniform(top / 2, top)

    async def run(self, stopping: asyncio.Event | None = None) -> None:
        """Look every interval, backing off while looks fail, until ``stopping`` is set
        (then return once the look in progress has ended) or the task is cancelled."""
        stopping = stopping or asyncio.Event()
        cause: str | None = None
        warned_at = 0.0
        while not stopping.is_set():
            try:
                await self.poll()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.failures += 1
                self.next_wait = self.backoff(self.failures)
                code = error.code if isinstance(error, HubError) else type(error).__name__
                now = time.monotonic()
                if code != cause or now - warned_at >= WARN_EVERY:
                    log.warning(
                        "agency %s: cannot watch its %s (%d failed looks in a row): %s: %s; "
                        "looking again in %.1f s",
                        self.target.agency,
                        self.target.capability,
                        self.failures,
                        code,
                        error,
                        self.next_wait,
                        exc_info=not isinstance(error, HubError),
                    )
                    warned_at = now
                cause = code
            else:
                if cause is not None:
                    log.info(
                        "agency %s: watching its %s again after %d failed looks",
                        self.target.agency,
                        self.target.capability,
                        self.failures,
                    )
                self.looks += 1
                self.failures, cause, self.next_wait = 0, None, self.target.interval
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.next_wait):
                    await stopping.wait()


__all__ = ["DEFAULT_BACKOFF_MAX", "WARN_EVERY", "WatchTarget", "Watcher"]
