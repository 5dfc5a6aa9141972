"""What staff of a ticket's agency (and admins) may do with it: acknowledge it, comment
on it, move its status, hand it to another agency.

Status moves follow :mod:`hub.tickets.lifecycle`. A reassignment is a new start at
the new agency: its category is chosen by routing within that agency (or named), its
deadlines are the new agency's targets counted from the reassignment, it is RECEIVED
and undelivered again with a new delivery in the outbox (deliveries still pending for
the old agency are dropped), and an SLA breach at the old agency no longer counts
against the new one (it stays on the timeline). Its priority never drops.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from hub.errors import InvalidInput
from hub.identity import Caller, require_agency_staff
from hub.tickets import validation
from hub.tickets.core import Actor, StoreCore, add_event, moment
from hub.tickets.kinds import Priority, TicketKind, TicketStatus
from hub.tickets.lifecycle import move, move_problem, responded
from hub.tickets.models import OutboxEntry, Ticket
from hub.tickets.routing import RoutingError, TicketSubmission
from hub.tickets.sla import deadlines
from hub.tickets.submission import new_delivery
from hub.tickets.views import FINISHED, TicketEventKind, TicketView

MAX_MESSAGE = 5000
SETTABLE = (TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED, TicketStatus.REJECTED)
"""The statuses :meth:`StaffActions.set_status` sets."""


class StaffActions(StoreCore):
    """The store's :meth:`acknowledge`, :meth:`comment`, :meth:`set_status`, :meth:`reassign`."""

    async def acknowledge(
        self,
        tracking_number: str,
        caller: Caller,
        message: str | None = None,
        *,
        now: datetime | None = None,
    ) -> TicketView:
        """Staff acknowledge a RECEIVED or REOPENED ticket, optionally with a message to
        the citizen; it becomes ACKNOWLEDGED (its first response, if it is the first)."""
        at = moment(now)
        message = validation.optional_text("message", message, most=MAX_MESSAGE)
        return await self._staff_move(
            "acknowledgeTicket", tracking_number, caller, TicketStatus.ACKNOWLEDGED, message, at
        )

    async def set_status(
        self,
        tracking_number: str,
        caller: Caller,
        status: TicketStatus,
        *,
        resolution: str | None = None,
        reason: str | None = None,
        now: datetime | None = None,
    ) -> TicketView:
        """Staff move a ticket to IN_PROGRESS, to RESOLVED (``resolution`` required: what
        was done) or to REJECTED (``reason`` required: why not), along the legal moves of
        :mod:`hub.tickets.lifecycle`."""
        at = moment(now)
        if status not in SETTABLE:
            raise InvalidInput(
                "status",
                f"must be IN_PROGRESS, RESOLVED or REJECTED, got {status.value}; acknowledge "
                "a ticket to make it ACKNOWLEDGED, and only its citizen may reopen it",
            )
        message = _explanation(status, resolution=resolution, reason=reason)
        return await self._staff_move(
            "setTicketStatus", tracking_number, caller, status, message, at
        )

    async def comment(
        self,
        tracking_number: str,
        caller: Caller,
        message: str,
        *,
        public: bool,
        now: datetime | None = None,
    ) -> TicketView:
        """Staff add a comment: ``public`` ones the citizen sees (and count as the first
        response), the others only staff see."""
        at = moment(now)
        message = validation.text("message", message, most=MAX_MESSAGE, multiline=True)
        actor = Actor.of(caller)
        async with (
            self._refusals_recorded("commentOnTicket", actor, tracking_number) as seen,
            self._writing() as session,
        ):
            ticket = await self._ticket(session, tracking_number)
            seen.agency = ticket.agency
            require_agency_staff(caller, ticket.agency)
            add_event(
                session, ticket, TicketEventKind.COMMENT, actor, at, public=public, message=message
            )
            ticket.updated_at = at
            if public:
                responded(session, ticket, at)
            await self._audit(
                session,
                "commentOnTicket",
                actor,
                ticket.tracking_number,
                agency=ticket.agency,
                at=at,
            )
            await session.flush()
            return TicketView.of(ticket)

    async def reassign(
        self,
        tracking_number: str,
        caller: Caller,
        to_agency: str,
        reason: str,
        *,
        category: str | None = None,
        now: datetime | None = None,
    ) -> TicketView:
        """Staff of the ticket's agency hand an open ticket to ``to_agency`` (into its
        ``category``, or the one routing picks there), saying why."""
        at = moment(now)
        to_agency = validation.text("agency", to_agency, most=64)
        reason = validation.text("reason", reason, most=MAX_MESSAGE, multiline=True)
        category = validation.optional_text("category", category, most=100)
        actor = Actor.of(caller)
        async with (
            self._refusals_recorded("reassignTicket", actor, tracking_number) as seen,
            self._writing() as session,
        ):
            ticket = await self._ticket(session, tracking_number)
            seen.agency = ticket.agency
            require_agency_staff(caller, ticket.agency)
            if TicketStatus(ticket.status) in FINISHED:
                raise InvalidInput(
                    "trackingNumber",
                    f"ticket {ticket.tracking_number} is {ticket.status}; only open tickets "
                    "can be reassigned",
                )
            previous = (ticket.agency, ticket.category)
            self._reroute(ticket, to_agency, category, reason, at)
            await session.execute(
                delete(OutboxEntry).where(
                    OutboxEntry.ticket_id == ticket.id, OutboxEntry.delivered_at.is_(None)
                )
            )
            session.add(new_delivery(ticket, at))
            add_event(
                session,
                ticket,
                TicketEventKind.REASSIGNED,
                actor,
                at,
                public=True,
                message=reason,
                data={
                    "from_agency": previous[0],
                    "from_category": previous[1],
                    "to_agency": ticket.agency,
                    "to_category": ticket.category,
                    "priority": ticket.priority,
                },
            )
            await self._audit(
                session,
                "reassignTicket",
                actor,
                ticket.tracking_number,
                agency=ticket.agency,
                at=at,
            )
            await session.flush()
            return TicketView.of(ticket)

    def _reroute(
        self, ticket: Ticket, to_agency: str, category: str | None, reason: str, at: datetime
    ) -> None:
        submission = TicketSubmission(
            kind=TicketKind(ticket.kind),
            title=ticket.title,
            description=ticket.description,
            category=category,
            agency=to_agency,
        )
        try:
            routing = self.rules.route(submission)
        except RoutingError as exc:
            raise InvalidInput(exc.field, str(exc)) from None
        if (routing.agency, routing.category) == (ticket.agency, ticket.category):
            raise InvalidInput(
                "agency",
                f"ticket {ticket.tracking_number} is already at {routing.agency}"
                + (f" in {routing.category}" if routing.category else "")
                + "; name another agency or category",
            )
        due = deadlines(at, self.rules.sla_targets(routing.agency, routing.category))
        from_agency = ticket.agency
        ticket.agency = routing.agency
        ticket.category = routing.category
        ticket.priority = max(routing.priority, Priority(ticket.priority)).value
        ticket.routing_reason = f"Reassigned from {from_agency} by its staff: {reason}"
        ticket.matched_keywords = list(routing.matched_keywords)
        ticket.status = TicketStatus.RECEIVED.value
        ticket.first_response_due_at = due.first_response_due
        ticket.resolution_due_at = due.resolution_due
        ticket.first_responded_at = None
        ticket.sla_breached = False
        ticket.agency_reference = None
        ticket.delivered_at = None
        ticket.updated_at = at

    async def _staff_move(
        self,
        field: str,
        tracking_number: str,
        caller: Caller,
        target: TicketStatus,
        message: str | None,
        at: datetime,
    ) -> TicketView:
        actor = Actor.of(caller)
        async with (
            self._refusals_recorded(field, actor, tracking_number) as seen,
            self._writing() as session,
        ):
            ticket = await self._ticket(session, tracking_number)
            seen.agency = ticket.agency
            require_agency_staff(caller, ticket.agency)
            problem = move_problem(ticket.tracking_number, TicketStatus(ticket.status), target)
            if problem is not None:
                argument = "status" if field == "setTicketStatus" else "trackingNumber"
                raise InvalidInput(argument, problem)
            move(session, ticket, target, actor, at, message=message)
            await self._audit(
                session, field, actor, ticket.tracking_number, agency=ticket.agency, at=at
            )
            await session.flush()
            return TicketView.of(ticket)


def _explanation(status: TicketStatus, *, resolution: str | None, reason: str | None) -> str | None:
    """The checked resolution of a RESOLVED move or reason of a REJECTED one."""
    wanted = {TicketStatus.RESOLVED: "resolution", TicketStatus.REJECTED: "reason"}
    for name, value, owner in (
        ("resolution", resolution, TicketStatus.RESOLVED),
        ("reason", reason, TicketStatus.REJECTED),
    ):
        if value is not None and status is not owner:
            raise InvalidInput(name, f"goes only with the status {owner.value}")
    needed = wanted.get(status)
    if needed is None:
        return None
    given = resolution if status is TicketStatus.RESOLVED else reason
    if given is None:
        raise InvalidInput(needed, f"is required to make a ticket {status.value}")
    return validation.text(needed, given, most=MAX_MESSAGE, multiline=True)


__all__ = ["MAX_MESSAGE", "SETTABLE", "StaffActions"]
