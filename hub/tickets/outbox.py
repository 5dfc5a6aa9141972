"""The delivery outbox, as the delivery worker works it off.

A worker claims due deliveries for a lease (:meth:`Outbox.claim_due`), delivers each
to its agency's connector with the ticket's id as the idempotency key, and reports
the receipt (:meth:`Outbox.mark_delivered`) or the failure
(:meth:`Outbox.release_failed`, with the moment to try again). A worker that dies
holding a claim loses it when the lease runs out and another worker claims the
delivery again, so every delivery is attempted until an agency confirms it.

Claiming is one ``UPDATE ... WHERE id IN (SELECT ...) RETURNING``: on PostgreSQL the
inner select takes the rows ``FOR UPDATE SKIP LOCKED``, so concurrent workers claim
different rows without waiting on each other; on SQLite the statement runs under the
database's write lock, which serialises claims.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from hub.connector import AgencyReceipt
from hub.errors import NotFound
from hub.tickets.core import HUB, StoreCore, add_event, moment
from hub.tickets.models import OutboxEntry, Ticket
from hub.tickets.views import OutboxItem, TicketEventKind, TicketView

MAX_CLAIM = 1000
MAX_ERROR = 2000
MAX_REFERENCE = 100


class Outbox(StoreCore):
    """The store's :meth:`claim_due`, :meth:`release_failed` and :meth:`mark_delivered`."""

    async def claim_due(
        self, limit: int, lease: timedelta, *, now: datetime | None = None
    ) -> list[OutboxItem]:
        """Claim up to ``limit`` due deliveries for ``lease``, oldest due first.

        A delivery is due when it is undelivered, its next attempt's time has come and
        no other claim on it is running. Each claim counts one attempt.
        """
        at = moment(now)
        if not 1 <= limit <= MAX_CLAIM:
            raise ValueError(f"limit must be between 1 and {MAX_CLAIM}, got {limit}")
        if lease <= timedelta(0):
            raise ValueError(f"lease must be positive, got {lease}")
        due = (
            select(OutboxEntry.id)
            .where(
                OutboxEntry.delivered_at.is_(None),
                OutboxEntry.next_attempt_at <= at,
                or_(OutboxEntry.claimed_until.is_(None), OutboxEntry.claimed_until <= at),
            )
            .order_by(OutboxEntry.next_attempt_at, OutboxEntry.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claim = (
            update(OutboxEntry)
            .where(OutboxEntry.id.in_(due))
            .values(claimed_until=at + lease, attempts=OutboxEntry.attempts + 1)
            .returning(OutboxEntry)
            .execution_options(synchronize_session=False)
        )
        async with self._writing() as session:
            claimed = list((await session.scalars(claim)).all())
            ids = {row.ticket_id for row in claimed}
            tickets = {
                ticket.id: ticket
                for ticket in await session.scalars(select(Ticket).where(Ticket.id.in_(ids)))
            }
        claimed.sort(key=lambda row: (row.next_attempt_at, row.id))
        return [OutboxItem.of(row, tickets[row.ticket_id]) for row in claimed]

    async def release_failed(self, outbox_id: int, error: str, next_attempt_at: datetime) -> bool:
        """Give up a claim after a failed delivery: record ``error`` and try again at
        ``next_attempt_at``. ``False`` if the delivery is no longer pending (delivered,
        or dropped when its ticket was reassigned)."""
        retry = moment(next_attempt_at)
        statement = (
            update(OutboxEntry)
            .where(OutboxEntry.id == outbox_id, OutboxEntry.delivered_at.is_(None))
            .values(claimed_until=None, last_error=error[:MAX_ERROR], next_attempt_at=retry)
            .execution_options(synchronize_session=False)
        )
        async with self._writing() as session:
            result = await session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def mark_delivered(
        self,
        ticket_id: str,
        receipt: AgencyReceipt,
        *,
        agency: str | None = None,
        now: datetime | None = None,
    ) -> TicketView:
        """Record that ``agency`` (by default the ticket's) filed the ticket under
        ``receipt.reference``: its pending deliveries there are done, and the ticket
        keeps the reference (to match the agency's updates) with a DELIVERED entry.

        Reporting the same receipt again changes nothing. A receipt from an agency the
        ticket has since been reassigned away from closes that delivery and is noted on
        the staff timeline only. :class:`NotFound` for an unknown ticket.
        """
        at = moment(now)
        reference = receipt.reference.strip()
        if not 1 <= len(reference) <= MAX_REFERENCE:
            raise ValueError(
                f"an agency reference must be 1 to {MAX_REFERENCE} characters, got "
                f"{receipt.reference!r}; fix the connector's receipt"
            )
        async with self._writing() as session:
            ticket = await session.scalar(
                select(Ticket).where(Ticket.id == ticket_id).with_for_update()
            )
            if ticket is None:
                raise NotFound(f"no ticket has the id {ticket_id!r}")
            filer = agency or ticket.agency
            pending = await session.scalars(
                select(OutboxEntry)
                .where(
                    OutboxEntry.ticket_id == ticket.id,
                    OutboxEntry.agency == filer,
                    OutboxEntry.delivered_at.is_(None),
                )
                .with_for_update()
            )
            for row in pending:
                row.delivered_at = at
                row.claimed_until = None
            data = {
                "agency": filer,
                "reference": reference,
                "filed_at": moment(receipt.filed_at).isoformat(),
            }
            if filer != ticket.agency:
                add_event(
                    session, ticket, TicketEventKind.DELIVERED, HUB, at, public=False, data=data
                )
            elif ticket.agency_reference != reference or ticket.delivered_at is None:
                ticket.agency_reference = reference
                ticket.delivered_at = at
                ticket.updated_at = at
                add_event(
                    session,
                    ticket,
                    TicketEventKind.DELIVERED,
                    HUB,
                    at,
                    public=True,
                    message=f"Filed by {filer} under its reference {reference}.",
                    data=data,
                )
            else:
                return TicketView.of(ticket)
            await self._audit(
                session, "deliverTicket", HUB, ticket.tracking_number, agency=filer, at=at
            )
            await session.flush()
            return TicketView.of(ticket)


__all__ = ["MAX_CLAIM", "Outbox"]
