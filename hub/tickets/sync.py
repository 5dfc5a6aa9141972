"""The status sync: what agencies' staff do to tickets in their own systems, read back.

Every ``interval`` seconds each agency whose connector takes tickets is asked for the
updates made after the newest one already applied (``ticket_updates(since)``, a safe
read through the gateway's guard), and each is applied to its ticket
(:meth:`~hub.tickets.TicketStore.apply_agency_update`), oldest first. Agencies are
followed apart: one that fails backs off (doubling from ``retry_base`` up to
``retry_max``) while the others carry on.

Where to resume is kept in memory while the worker runs. At start it is read back from
the hub's database: the ``updated_at`` of the newest update the agency's system gave
(its AGENCY_UPDATE entries record it); for an agency none has come from yet, a day
before its first delivered ticket; an agency no ticket was delivered to is not asked.
Applying is idempotent, so resuming a little early only reads updates again.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select

from hub.agencies import AgencyRegistry
from hub.connector import TicketUpdate
from hub.db import as_utc
from hub.errors import HubError
from hub.gateway import Guard
from hub.tickets.core import AGENCY, Origin
from hub.tickets.delivery import backoff_delay
from hub.tickets.models import Ticket, TicketEvent
from hub.tickets.store import TicketStore
from hub.tickets.views import TicketEventKind

log = logging.getLogger(__name__)

RESUME_MARGIN = timedelta(days=1)
"""How long before an agency's first delivered ticket to start reading its updates,
for clocks that disagree."""


class StatusSync:
    """Reads agencies' updates back: :meth:`sync` one agency once, or :meth:`run` all of
    them until cancelled."""

    def __init__(
        self,
        store: TicketStore,
        registry: AgencyRegistry,
        guard: Guard,
        *,
        interval: float = 30.0,
        retry_base: float = 5.0,
        retry_max: float = 600.0,
        rng: random.Random | None = None,
    ) -> None:
        if interval <= 0 or retry_base <= 0 or retry_max < retry_base:
            raise ValueError(
                "interval and retry_base must be positive and retry_max at least retry_base; "
                f"got interval={interval}, retry_base={retry_base}, retry_max={retry_max}"
            )
        self._store = store.with_origin(Origin(operation="sync agency updates"))
        self._registry = registry
        self._guard = guard
        self._interval = interval
        self._retry_base = retry_base
        self._retry_max = retry_max
        self._rng = rng or random.Random()
        self._since: dict[str, datetime] = {}

    @property
    def agencies(self) -> list[str]:
        """The agencies followed: those whose connectors take tickets."""
        return [runtime.id for runtime in self._registry.serving("tickets")]

    def since(self, agency: str) -> datetime | None:
        """Where the next read of ``agency``'s updates starts, once known."""
        return self._since.get(agency)

    async def sync(self, agency: str) -> int:
        """Read ``agency``'s new updates and apply them, oldest first; return how many
        were read. Raises the guard's errors when the agency fails; updates applied
        before a failure stay applied."""
        runtime = self._registry.get(agency)
        since = self._since.get(agency) or await resume_point(self._store, agency)
        if since is None:
            return 0
        read: Callable[[datetime], Awaitable[list[TicketUpdate]]]
        read = getattr(runtime.connector, "ticket_updates")  # noqa: B009 (not in the base class)
        updates = await self._guard.call(agency, read, since, safe=True)
        for update in sorted(updates, key=lambda u: as_utc(u.updated_at)):
            applied = await self._store.apply_agency_update(agency, update)
            if applied is None:
                log.debug("agency %s: %s is not a hub ticket", agency, update.reference)
            since = max(since, as_utc(update.updated_at))
            self._since[agency] = since
        self._since[agency] = since
        return len(updates)

    async def run(self) -> None:
        """Follow every agency that takes tickets until cancelled."""
        async with asyncio.TaskGroup() as group:
            for agency in self.agencies:
                group.create_task(self._follow(agency), name=f"sync {agency}")

    async def _follow(self, agency: str) -> None:
        failures = 0
        cause: str | None = None
        while True:
            try:
                await self.sync(agency)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                failures += 1
                code = error.code if isinstance(error, HubError) else type(error).__name__
                wait = backoff_delay(failures, self._retry_base, self._retry_max, self._rng)
                if code != cause:
                    log.warning(
                        "agency %s: cannot read its ticket updates: %s: %s; trying again in %.0f s",
                        agency,
                        code,
                        error,
                        wait,
                        exc_info=not isinstance(error, HubError),
                    )
                cause = code
            else:
                if cause is not None:
                    log.info("agency %s: reading its ticket updates again", agency)
                failures, cause, wait = 0, None, self._interval
            await asyncio.sleep(wait)


async def resume_point(store: TicketStore, agency: str) -> datetime | None:
    """Where to start reading ``agency``'s updates, from what the database holds; see
    the module's docstring."""
    newest = (
        select(TicketEvent.data)
        .where(
            TicketEvent.kind == TicketEventKind.AGENCY_UPDATE.value,
            TicketEvent.actor_role == AGENCY,
            TicketEvent.actor_subject == agency,
        )
        .order_by(TicketEvent.id.desc())
        .limit(1)
    )
    first_delivery = select(func.min(Ticket.delivered_at)).where(Ticket.agency == agency)
    async with store.engine.connect() as connection:
        data = (await connection.execute(newest)).scalar_one_or_none()
        if isinstance(data, dict) and isinstance(data.get("updated_at"), str):
            return as_utc(datetime.fromisoformat(data["updated_at"]))
        delivered = (await connection.execute(first_delivery)).scalar_one_or_none()
    return None if delivered is None else as_utc(delivered) - RESUME_MARGIN


__all__ = ["RESUME_MARGIN", "StatusSync", "resume_point"]
