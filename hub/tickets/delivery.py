"""The delivery worker: files the outbox's tickets in their agencies' systems.

It claims due deliveries for a lease (:meth:`~hub.tickets.TicketStore.claim_due`), hands
each ticket to its agency's connector through the gateway's guard as a write (never
retried by the guard; the ticket id is the connector's idempotency key), and reports the
receipt (:meth:`~hub.tickets.TicketStore.mark_delivered`, which adds DELIVERED to the
timeline) or the failure (:meth:`~hub.tickets.TicketStore.release_failed`), to be tried
again after a backoff that doubles with each attempt, with jitter, up to a ceiling. It
never gives up: a ticket stays in the outbox until its agency files it or staff reassign
it.

A delivery to an agency whose connector cannot take tickets (no ``tickets``
capability), or to an agency no longer in the agencies file, is left in the outbox for
staff to reassign: it is released with the reason as its error and looked at again
after the longest backoff, so it is delivered once the configuration gives the agency a
connector that files tickets.

A failure is logged at WARNING once per ticket each time its cause changes (the
previous cause is read back from the outbox row, so this holds across processes and
restarts), then at DEBUG; a delivery that succeeds after failures is logged at INFO.
A worker killed while delivering loses its claim when the lease runs out; the
delivery is then made again, and the agency's idempotency files it once.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hub.agencies import AgencyRegistry
from hub.connector import AgencyReceipt, TicketDelivery
from hub.errors import HubError
from hub.gateway import Guard
from hub.tickets.core import Origin
from hub.tickets.outbox import MAX_CLAIM
from hub.tickets.store import TicketStore
from hub.tickets.views import OutboxItem

log = logging.getLogger(__name__)

NO_CONNECTOR = "NO_TICKET_CONNECTOR"
"""The cause recorded for a delivery to an agency that cannot take tickets."""


def backoff_delay(failures: int, base: float, ceiling: float, rng: random.Random) -> float:
    """Seconds to wait after ``failures`` failures in a row: ``base`` doubled with each
    failure after the first, at most ``ceiling``, then jittered to between half of that
    and all of it (so that workers retrying together drift apart)."""
    if failures < 1:
        raise ValueError(f"failures must be at least 1, got {failures}")
    exponent = min(failures - 1, 64)
    top = min(ceiling, base * 2.0**exponent)
    return rng.uniform(top / 2, top)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one delivery attempt ended: ``code`` is ``OK`` or the failure's code."""

    item: OutboxItem
    code: str
    receipt: AgencyReceipt | None = None

    @property
    def delivered(self) -> bool:
        """Whether the agency filed the ticket."""
        return self.receipt is not None


class DeliveryWorker:
    """Works off the outbox: :meth:`deliver_due` once, or :meth:`run` until cancelled.

    ``batch`` is both the most deliveries claimed at once and the most in flight;
    ``lease`` how long a claim holds (keep it above every agency's timeout);
    ``interval`` how long to wait, in seconds, when nothing is due; ``retry_base`` and
    ``retry_max`` the first and the longest wait after a failure.
    """

    def __init__(
        self,
        store: TicketStore,
        registry: AgencyRegistry,
        guard: Guard,
        *,
        batch: int = 20,
        lease: timedelta = timedelta(seconds=60),
        interval: float = 1.0,
        retry_base: float = 5.0,
        retry_max: float = 600.0,
        rng: random.Random | None = None,
    ) -> None:
        if not 1 <= batch <= MAX_CLAIM:
            raise ValueError(f"batch must be between 1 and {MAX_CLAIM}, got {batch}")
        if lease <= timedelta(0) or interval <= 0 or retry_base <= 0 or retry_max < retry_base:
            raise ValueError(
                "lease, interval and retry_base must be positive and retry_max at least "
                f"retry_base; got lease={lease}, interval={interval}, "
                f"retry_base={retry_base}, retry_max={retry_max}"
            )
        self._store = store.with_origin(Origin(operation="deliver tickets"))
        self._registry = registry
        self._guard = guard
        self._batch = batch
        self._lease = lease
        self._interval = interval
        self._retry_base = retry_base
        self._retry_max = retry_max
        self._rng = rng or random.Random()
        self._wakeup = asyncio.Event()
        self._claims_failing = False

    def wake(self) -> None:
        """Look at the outbox now rather than after the interval (a ticket was just
        submitted, say)."""
        self._wakeup.set()

    async def deliver_due(self, now: datetime | None = None) -> list[Outcome]:
        """Claim up to ``batch`` due deliveries and make them, concurrently; return how
        each ended."""
        items = await self._store.claim_due(self._batch, self._lease, now=now)
        return list(await asyncio.gather(*(self.deliver(item, now) for item in items)))

    async def run(self) -> None:
        """Deliver due tickets until cancelled, up to ``batch`` at once; a slow agency
        holds only its own deliveries. Cancelling waits for the deliveries in flight to
        be cancelled; their claims lapse with the lease."""
        in_flight: set[asyncio.Task[Outcome]] = set()

        def finished(task: asyncio.Task[Outcome]) -> None:
            in_flight.discard(task)
            self._wakeup.set()

        try:
            while True:
                self._wakeup.clear()
                free = self._batch - len(in_flight)
                claimed = await self._claim(free) if free > 0 else []
                for item in claimed:
                    task = asyncio.create_task(self.deliver(item), name=f"deliver {item.id}")
                    in_flight.add(task)
                    task.add_done_callback(finished)
                if claimed and len(claimed) == free:
                    continue
                try:
                    async with asyncio.timeout(self._interval):
                        await self._wakeup.wait()
                except TimeoutError:
                    pass
        finally:
            for task in in_flight:
                task.cancel()
            if in_flight:
                await asyncio.wait(in_flight)

    async def deliver(self, item: OutboxItem, now: datetime | None = None) -> Outcome:
        """Make the claimed delivery ``item`` and report how it went to the store.

        Never raises but for cancellation: a failure of the store itself is logged and
        the claim left to lapse.
        """
        try:
            return await self._deliver(item, now)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception(
                "delivery of ticket %s to %s: the hub could not record the outcome; it is "
                "tried again when its claim lapses",
                item.ticket.tracking_number,
                item.agency,
            )
            return Outcome(item, "INTERNAL_ERROR")

    async def _claim(self, limit: int) -> list[OutboxItem]:
        try:
            claimed = await self._store.claim_due(limit, self._lease)
        except asyncio.CancelledError:
            raise
        except Exception:
            if not self._claims_failing:
                log.exception("delivery worker: cannot claim deliveries from the outbox")
            self._claims_failing = True
            return []
        if self._claims_failing:
            log.info("delivery worker: claiming deliveries from the outbox again")
        self._claims_failing = False
        return claimed

    async def _deliver(self, item: OutboxItem, now: datetime | None) -> Outcome:
        runtime = self._registry.get(item.agency) if item.agency in self._registry else None
        if runtime is None or not runtime.serves("tickets"):
            why = (
                "is not in the agencies file"
                if runtime is None
                else f"has a connector ({runtime.config.connector}) that does not take tickets"
            )
            message = (
                f"agency {item.agency!r} {why}; staff should reassign the ticket to an "
                "agency that takes tickets, or the agency's connector be given the "
                "tickets capability"
            )
            return await self._failed(item, NO_CONNECTOR, message, now, longest=True)
        submit: Callable[[TicketDelivery], Awaitable[AgencyReceipt]]
        submit = getattr(runtime.connector, "submit_ticket")  # noqa: B009 (not in the base class)
        try:
            receipt = await self._guard.call(
                item.agency, submit, item.ticket.delivery(), safe=False
            )
        except HubError as error:
            return await self._failed(item, error.code, error.message, now)
        try:
            await self._store.mark_delivered(item.ticket_id, receipt, agency=item.agency, now=now)
        except ValueError as error:
            return await self._failed(item, "AGENCY_BAD_RESPONSE", str(error), now)
        if item.last_error is not None:
            log.info(
                "ticket %s delivered to %s under %s after %d attempts",
                item.ticket.tracking_number,
                item.agency,
                receipt.reference,
                item.attempts,
            )
        return Outcome(item, "OK", receipt)

    async def _failed(
        self,
        item: OutboxItem,
        code: str,
        message: str,
        now: datetime | None,
        *,
        longest: bool = False,
    ) -> Outcome:
        delay = (
            self._retry_max
            if longest
            else backoff_delay(item.attempts, self._retry_base, self._retry_max, self._rng)
        )
        retry_at = (now or datetime.now(UTC)) + timedelta(seconds=delay)
        pending = await self._store.release_failed(item.id, f"{code}: {message}", retry_at)
        if not pending:
            log.debug("delivery %s of ticket %s: no longer pending", item.id, item.ticket_id)
        elif _cause(item.last_error) != code:
            log.warning(
                "ticket %s not delivered to %s (attempt %d): %s: %s; trying again in %.0f s "
                "and until it is delivered",
                item.ticket.tracking_number,
                item.agency,
                item.attempts,
                code,
                message,
                delay,
            )
        else:
            log.debug(
                "ticket %s still not delivered to %s (attempt %d): %s",
                item.ticket.tracking_number,
                item.agency,
                item.attempts,
                code,
            )
        return Outcome(item, code)


def _cause(error: str | None) -> str | None:
    """The code of an outbox row's recorded error (``CODE: message``)."""
    return None if error is None else error.partition(":")[0]


__all__ = ["NO_CONNECTOR", "DeliveryWorker", "Outcome", "backoff_delay"]
