"""The legal moves of a ticket's status, and the bookkeeping every move does.

Staff of the ticket's agency (and admins, and the agency's own system through its
updates) move a ticket along these edges only::

    RECEIVED      -> ACKNOWLEDGED, IN_PROGRESS, RESOLVED, REJECTED
    ACKNOWLEDGED  -> IN_PROGRESS, RESOLVED, REJECTED
    IN_PROGRESS   -> RESOLVED, REJECTED
    REOPENED      -> ACKNOWLEDGED, IN_PROGRESS, RESOLVED, REJECTED
    RESOLVED, REJECTED, CLOSED: final for staff

The citizen who submitted a ticket may move it ``RESOLVED -> REOPENED`` within the
reopen window after its resolution. A reassignment moves an open ticket back to
``RECEIVED`` at its new agency. A status never moves to itself.

A ticket's first response is its first public word from the agency: an
acknowledgement, a public comment, a status change or an update from the agency's
system. Resolving or rejecting it stops the resolution clock (``resolved_at``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.tickets.core import HUB, Actor, add_event
from hub.tickets.kinds import TicketStatus
from hub.tickets.models import Ticket
from hub.tickets.views import TicketEventKind

_S = TicketStatus
STAFF_MOVES: dict[TicketStatus, frozenset[TicketStatus]] = {
    _S.RECEIVED: frozenset({_S.ACKNOWLEDGED, _S.IN_PROGRESS, _S.RESOLVED, _S.REJECTED}),
    _S.ACKNOWLEDGED: frozenset({_S.IN_PROGRESS, _S.RESOLVED, _S.REJECTED}),
    _S.IN_PROGRESS: frozenset({_S.RESOLVED, _S.REJECTED}),
    _S.REOPENED: frozenset({_S.ACKNOWLEDGED, _S.IN_PROGRESS, _S.RESOLVED, _S.REJECTED}),
    _S.RESOLVED: frozenset(),
    _S.REJECTED: frozenset(),
    _S.CLOSED: frozenset(),
}
"""Where staff may move a ticket from each status."""

CLOSING = frozenset({_S.RESOLVED, _S.REJECTED})
"""The moves that stop the resolution clock."""

_ORDER = tuple(TicketStatus)


def move_problem(tracking_number: str, current: TicketStatus, target: TicketStatus) -> str | None:
    """Why staff may not move the ticket from ``current`` to ``target``; ``None`` if they may."""
    allowed = STAFF_MOVES[current]
    if target in allowed:
        return None
    if not allowed:
        return f"ticket {tracking_number} is {current.value}, which is final; nothing can move it"
    choices = " or ".join(s.value for s in _ORDER if s in allowed)
    return (
        f"ticket {tracking_number} is {current.value}, so it cannot move to {target.value}; "
        f"from {current.value} it can move to {choices}"
    )


def move(
    session: AsyncSession,
    ticket: Ticket,
    target: TicketStatus,
    actor: Actor,
    at: datetime,
    *,
    message: str | None,
    kind: TicketEventKind | None = None,
    data: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> None:
    """Move ``ticket`` to ``target`` (checked legal by the caller) and write the public
    timeline entry (``kind``: ACKNOWLEDGED or STATUS_CHANGED unless given) that says so,
    with ``data`` beside the move's ``from`` and ``to``."""
    previous = ticket.status
    ticket.status = target.value
    ticket.updated_at = at
    if target in CLOSING:
        ticket.resolved_at = at
        ticket.resolution = message
    if kind is None:
        kind = (
            TicketEventKind.ACKNOWLEDGED
            if target is TicketStatus.ACKNOWLEDGED
            else TicketEventKind.STATUS_CHANGED
        )
    add_event(
        session,
        ticket,
        kind,
        actor,
        at,
        public=True,
        message=message,
        data=(data or {}) | {"from": previous, "to": target.value},
        dedupe_key=dedupe_key,
    )
    responded(session, ticket, at)


def responded(session: AsyncSession, ticket: Ticket, at: datetime) -> None:
    """Record the agency's first response at ``at``, if it is the first; and a breach,
    if it or a resolution came after its deadline."""
    if ticket.first_responded_at is None:
        ticket.first_responded_at = at
        ticket.updated_at = at
        if at > ticket.first_response_due_at:
            _late(session, ticket, at, "first_response", ticket.first_response_due_at)
    if ticket.resolved_at is not None and ticket.resolved_at > ticket.resolution_due_at:
        _late(session, ticket, at, "resolution", ticket.resolution_due_at)


def _late(
    session: AsyncSession, ticket: Ticket, at: datetime, deadline: str, due_at: datetime
) -> None:
    if ticket.sla_breached:
        return
    ticket.sla_breached = True
    add_event(
        session,
        ticket,
        TicketEventKind.SLA_BREACHED,
        HUB,
        at,
        public=False,
        message=f"The {deadline.replace('_', ' ')} deadline ({due_at.isoformat()}) was missed.",
        data={"deadline": deadline, "due_at": due_at.isoformat()},
    )


__all__ = ["CLOSING", "STAFF_MOVES", "move", "move_problem", "responded"]
