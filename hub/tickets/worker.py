"""The ticket workers: delivery, status sync and the SLA watch, run together.

:class:`TicketWorkers` runs the three as asyncio tasks, started and stopped with the
hub (``hub serve``'s lifespan) or alone (``hub worker``)::

    workers = TicketWorkers(store, registry, guard, WorkerOptions.from_settings(settings))
    await workers.start()
    ...
    await workers.stop()

Any number of hub processes may run them over one PostgreSQL database: deliveries are
claimed ``FOR UPDATE SKIP LOCKED``, an update applied twice is stored once, and a ticket
is marked breached once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, fields
from datetime import timedelta
from types import TracebackType
from typing import Any, Self

from hub.agencies import AgencyRegistry
from hub.events import EventBus, SubscriberTooSlow
from hub.events.topics import TICKETS_SUBMITTED
from hub.gateway import Guard
from hub.tickets.delivery import DeliveryWorker
from hub.tickets.outbox import MAX_CLAIM
from hub.tickets.store import TicketStore
from hub.tickets.sync import StatusSync
from hub.tickets.watch import SlaWatch

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerOptions:
    """How the workers pace themselves; each is the setting ``HUB_WORKER_<NAME>``."""

    delivery_interval: float = 1.0
    """Seconds between looks at the outbox when nothing is due."""
    delivery_batch: int = 20
    """Most deliveries claimed at once, and in flight at once, per process."""
    delivery_lease: float = 60.0
    """Seconds a claim on a delivery holds; above every agency's timeout."""
    retry_base: float = 5.0
    """Seconds before the first retry of a failed delivery or agency read."""
    retry_max: float = 600.0
    """Longest wait between retries; the wait doubles up to it."""
    sync_interval: float = 30.0
    """Seconds between reads of each agency's ticket updates."""
    sweep_interval: float = 60.0
    """Seconds between SLA sweeps."""

    def __post_init__(self) -> None:
        problems = [
            f"HUB_WORKER_{field.name.upper()} must be positive, got {getattr(self, field.name)}"
            for field in fields(self)
            if getattr(self, field.name) <= 0
        ]
        if not 1 <= self.delivery_batch <= MAX_CLAIM:
            problems.append(
                f"HUB_WORKER_DELIVERY_BATCH must be between 1 and {MAX_CLAIM}, "
                f"got {self.delivery_batch}"
            )
        if self.retry_max < self.retry_base:
            problems.append(
                f"HUB_WORKER_RETRY_MAX ({self.retry_max}) must be at least "
                f"HUB_WORKER_RETRY_BASE ({self.retry_base})"
            )
        if problems:
            raise ValueError("; ".join(dict.fromkeys(problems)))

    def check(self, registry: AgencyRegistry) -> None:
        """Raise ``ValueError`` if the lease is not longer than the timeout of every
        agency that takes tickets (a claim would lapse while its delivery runs)."""
        slow = [
            f"{runtime.id} ({runtime.config.timeout:g} s)"
            for runtime in registry.serving("tickets")
            if runtime.config.timeout >= self.delivery_lease
        ]
        if slow:
            raise ValueError(
                f"HUB_WORKER_DELIVERY_LEASE ({self.delivery_lease:g} s) must be longer than "
                f"the timeout of every agency that takes tickets, and is not for "
                f"{', '.join(slow)}; raise it, or lower those timeouts in the agencies file"
            )

    @classmethod
    def from_settings(cls, settings: Any) -> WorkerOptions:
        """The options the hub's settings give (``settings.worker_<name>``), the
        defaults for those it lacks."""
        given = {
            field.name: getattr(settings, f"worker_{field.name}")
            for field in fields(cls)
            if hasattr(settings, f"worker_{field.name}")
        }
        return cls(**given)


class TicketWorkers:
    """The delivery worker, the status sync and the SLA watch over ``store``, calling
    agencies through ``guard`` (share the gateway's, so that they share its breakers)."""

    def __init__(
        self,
        store: TicketStore,
        registry: AgencyRegistry,
        guard: Guard,
        options: WorkerOptions | None = None,
        *,
        events: EventBus | None = None,
    ) -> None:
        options = options or WorkerOptions()
        self.events = events
        options.check(registry)
        self.options = options
        self.delivery = DeliveryWorker(
            store,
            registry,
            guard,
            batch=options.delivery_batch,
            lease=timedelta(seconds=options.delivery_lease),
            interval=options.delivery_interval,
            retry_base=options.retry_base,
            retry_max=options.retry_max,
        )
        self.sync = StatusSync(
            store,
            registry,
            guard,
            interval=options.sync_interval,
            retry_base=options.retry_base,
            retry_max=options.retry_max,
        )
        self.watch = SlaWatch(store, interval=options.sweep_interval)
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def running(self) -> bool:
        """Whether the workers were started and not stopped."""
        return bool(self._tasks)

    @property
    def tasks(self) -> tuple[asyncio.Task[None], ...]:
        """The workers' tasks while they run."""
        return tuple(self._tasks)

    async def start(self) -> None:
        """Start the three workers as tasks of the running loop."""
        if self._tasks:
            raise RuntimeError("the ticket workers are running already; stop() them first")
        jobs: dict[str, Coroutine[Any, Any, None]] = {
            "ticket delivery": self.delivery.run(),
            "ticket status sync": self.sync.run(),
            "SLA watch": self.watch.run(),
        }
        if self.events is not None:
            jobs["delivery wake-up"] = self._wake_on_submissions(self.events)
        for name, job in jobs.items():
            task = asyncio.create_task(job, name=name)
            task.add_done_callback(_report_crash)
            self._tasks.append(task)
        log.info("ticket workers started: delivery, status sync, SLA watch")

    async def stop(self) -> None:
        """Cancel the workers and wait until every task of theirs has ended."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
            log.info("ticket workers stopped")

    def wake(self) -> None:
        """Have the delivery worker look at the outbox now."""
        self.delivery.wake()

    async def _wake_on_submissions(self, events: EventBus) -> None:
        """Wake the delivery worker for each ticket submitted, through any hub process,
        so that a delivery starts at once rather than after the delivery interval."""
        while True:
            try:
                async with events.subscribe([TICKETS_SUBMITTED]) as submitted:
                    async for _ in submitted:
                        self.delivery.wake()
            except SubscriberTooSlow:
                self.delivery.wake()

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


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the %s worker stopped", task.get_name(), exc_info=task.exception())


__all__ = ["TicketWorkers", "WorkerOptions"]
