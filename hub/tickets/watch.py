"""The SLA watch: every ``interval`` seconds, open tickets past a deadline are marked
breached and escalated (:meth:`~hub.tickets.TicketStore.mark_breaches`).

Several hub processes may watch at once: the store takes each ticket once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from hub.tickets.core import Origin
from hub.tickets.store import TicketStore
from hub.tickets.sweep import MAX_SWEEP
from hub.tickets.views import TicketView

log = logging.getLogger(__name__)


class SlaWatch:
    """Sweeps for missed deadlines: :meth:`sweep` once, or :meth:`run` until cancelled."""

    def __init__(self, store: TicketStore, *, interval: float = 60.0) -> None:
        if interval <= 0:
            raise ValueError(f"interval must be positive seconds, got {interval}")
        self._store = store.with_origin(Origin(operation="SLA sweep"))
        self._interval = interval

    async def sweep(self, now: datetime | None = None) -> list[TicketView]:
        """Mark every open ticket that missed a deadline by ``now``; return them."""
        marked: list[TicketView] = []
        while True:
            batch = await self._store.mark_breaches(now, limit=MAX_SWEEP)
            marked += batch
            if len(batch) < MAX_SWEEP:
                break
        for ticket in marked:
            log.info(
                "ticket %s at %s missed its SLA; priority now %s",
                ticket.tracking_number,
                ticket.agency,
                ticket.priority.value,
            )
        return marked

    async def run(self) -> None:
        """Sweep now and every ``interval`` seconds until cancelled; a failed sweep is
        logged and tried again at the next one."""
        while True:
            try:
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("SLA sweep failed; trying again in %.0f s", self._interval)
            await asyncio.sleep(self._interval)


__all__ = ["SlaWatch"]
