"""Ticket changes announced on the event bus once their transaction has committed.

:func:`~hub.tickets.core.add_event` notes each new timeline entry in its session;
the store publishes them on :func:`~hub.events.topics.ticket_topic` after the commit,
so a subscriber never hears of a change that was rolled back. The event carries no
personal data: subscribers read the ticket through the store with their own rights.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hub.events import EventBus
from hub.events.topics import TICKETS_SUBMITTED, ticket_topic
from hub.tickets.models import Ticket, TicketEvent
from hub.tickets.views import TicketEventKind

_PENDING = "hub.tickets.announcements"


def note(session: AsyncSession, ticket: Ticket, event: TicketEvent) -> None:
    """Remember ``event`` of ``ticket`` for announcement when ``session`` commits."""
    session.info.setdefault(_PENDING, []).append((ticket, event))


def take_noted(session: AsyncSession) -> list[tuple[Ticket, TicketEvent]]:
    """The entries noted in ``session``, forgotten by it."""
    noted: list[tuple[Ticket, TicketEvent]] = session.info.pop(_PENDING, [])
    return noted


async def announce(bus: EventBus, noted: list[tuple[Ticket, TicketEvent]]) -> None:
    """Publish each noted entry, with its ticket's state after the commit, and each
    submission on :data:`~hub.events.topics.TICKETS_SUBMITTED` for the delivery workers."""
    for ticket, event in noted:
        if event.kind == TicketEventKind.SUBMITTED.value:
            await bus.publish(
                TICKETS_SUBMITTED,
                {"trackingNumber": ticket.tracking_number, "agency": ticket.agency},
            )
        await bus.publish(
            ticket_topic(ticket.tracking_number),
            {
                "trackingNumber": ticket.tracking_number,
                "status": ticket.status,
                "agency": ticket.agency,
                "event": event.kind,
                "at": event.at.isoformat(),
                "public": event.public,
                "message": event.message if event.public else None,
            },
        )


__all__ = ["announce", "note", "take_noted"]
