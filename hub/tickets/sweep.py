"""The SLA sweep: open tickets past a deadline get marked breached and escalated.

A ticket is swept once: the first deadline it misses (the first response, or the
resolution) marks it ``sla_breached``, raises its priority one step (``URGENT`` stays
``URGENT``) and adds SLA_BREACHED and ESCALATED entries to the staff timeline. On
PostgreSQL the tickets are taken ``FOR UPDATE SKIP LOCKED``, so several hub processes
may sweep at once without marking a ticket twice or waiting on each other.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select

from hub.tickets.core import HUB, StoreCore, add_event, moment
from hub.tickets.kinds import Priority
from hub.tickets.models import Ticket
from hub.tickets.views import FINISHED, TicketEventKind, TicketView

MAX_SWEEP = 1000


class Sweep(StoreCore):
    """The store's :meth:`mark_breaches`."""

    async def mark_breaches(
        self, now: datetime | None = None, *, limit: int = 500
    ) -> list[TicketView]:
        """Mark up to ``limit`` open tickets that missed a deadline by ``now`` and are
        not marked yet; returns them, marked, oldest submission first."""
        at = moment(now)
        if not 1 <= limit <= MAX_SWEEP:
            raise ValueError(f"limit must be between 1 and {MAX_SWEEP}, got {limit}")
        overdue = (
            select(Ticket)
            .where(
                Ticket.sla_breached.is_(False),
                Ticket.status.not_in([status.value for status in FINISHED]),
                or_(
                    and_(Ticket.first_responded_at.is_(None), Ticket.first_response_due_at < at),
                    Ticket.resolution_due_at < at,
                ),
            )
            .order_by(Ticket.submitted_at, Ticket.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        marked: list[TicketView] = []
        async with self._writing() as session:
            for ticket in await session.scalars(overdue):
                missed_first = (
                    ticket.first_responded_at is None and ticket.first_response_due_at < at
                )
                deadline = "first_response" if missed_first else "resolution"
                due_at = ticket.first_response_due_at if missed_first else ticket.resolution_due_at
                before = Priority(ticket.priority)
                after = before.raised()
                ticket.sla_breached = True
                ticket.priority = after.value
                ticket.updated_at = at
                add_event(
                    session,
                    ticket,
                    TicketEventKind.SLA_BREACHED,
                    HUB,
                    at,
                    public=False,
                    message=(
                        f"The {deadline.replace('_', ' ')} deadline ({due_at.isoformat()}) "
                        "passed unmet."
                    ),
                    data={"deadline": deadline, "due_at": due_at.isoformat()},
                )
                add_event(
                    session,
                    ticket,
                    TicketEventKind.ESCALATED,
                    HUB,
                    at,
                    public=False,
                    message=f"Priority raised from {before.value} to {after.value}.",
                    data={"from": before.value, "to": after.value},
                )
                await self._audit(
                    session,
                    "markSlaBreach",
                    HUB,
                    ticket.tracking_number,
                    agency=ticket.agency,
                    at=at,
                )
                marked.append(TicketView.of(ticket))
            await session.flush()
        return marked


__all__ = ["MAX_SWEEP", "Sweep"]
