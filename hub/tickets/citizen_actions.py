"""What the citizen who submitted a ticket may do with it: rate it, reopen it.

Only the owner may: the caller whose token subject submitted the ticket. A ticket
submitted anonymously has no owner, so no one can rate or reopen it.

- Rating: once per ticket, a score of 1 to 5 with an optional comment, when the
  ticket is RESOLVED, REJECTED or CLOSED. A rejection is rated too: how the agency
  said no is part of its service.
- Reopening: a RESOLVED ticket (not a rejected one: the citizen may submit a new
  ticket, or a complaint, instead), within the reopen window after its resolution. It
  clears the resolution and gives the agency a new resolution deadline, counted from
  the reopening with the ticket's resolution target; a breach already recorded stays.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hub.errors import Forbidden, InvalidInput
from hub.identity import Caller, require_authenticated
from hub.tickets import validation
from hub.tickets.core import Actor, StoreCore, add_event, moment
from hub.tickets.kinds import TicketStatus
from hub.tickets.models import Ticket
from hub.tickets.views import TicketEventKind, TicketView

RATEABLE = frozenset({TicketStatus.RESOLVED, TicketStatus.REJECTED, TicketStatus.CLOSED})
MAX_REASON = 2000


class CitizenActions(StoreCore):
    """The store's :meth:`rate` and :meth:`reopen`."""

    async def rate(
        self,
        tracking_number: str,
        caller: Caller,
        score: int,
        comment: str | None = None,
        *,
        now: datetime | None = None,
    ) -> TicketView:
        """The owner rates a finished ticket, once: ``score`` from 1 to 5."""
        at = moment(now)
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            raise InvalidInput("score", f"must be a whole number from 1 to 5, got {score!r}")
        comment = validation.optional_text("comment", comment, most=MAX_REASON)
        actor = Actor.of(caller)
        async with (
            self._refusals_recorded("rateTicket", actor, tracking_number) as seen,
            self._writing() as session,
        ):
            ticket = await self._ticket(session, tracking_number)
            seen.agency = ticket.agency
            _require_owner(caller, ticket, "rate")
            if TicketStatus(ticket.status) not in RATEABLE:
                raise InvalidInput(
                    "trackingNumber",
                    f"ticket {ticket.tracking_number} is {ticket.status}; a ticket can be "
                    "rated once it is RESOLVED, REJECTED or CLOSED",
                )
            if ticket.rating is not None:
                raise InvalidInput(
                    "trackingNumber",
                    f"ticket {ticket.tracking_number} was already rated {ticket.rating}/5; "
                    "a ticket is rated once",
                )
            ticket.rating = score
            ticket.rating_comment = comment
            ticket.updated_at = at
            add_event(
                session,
                ticket,
                TicketEventKind.RATED,
                actor,
                at,
                public=True,
                message=comment,
                data={"score": score},
            )
            await self._audit(
                session, "rateTicket", actor, ticket.tracking_number, agency=ticket.agency, at=at
            )
            await session.flush()
            return TicketView.of(ticket)

    async def reopen(
        self,
        tracking_number: str,
        caller: Caller,
        reason: str,
        *,
        now: datetime | None = None,
    ) -> TicketView:
        """The owner reopens a RESOLVED ticket within the reopen window, saying why."""
        at = moment(now)
        reason = validation.text("reason", reason, most=MAX_REASON, multiline=True)
        actor = Actor.of(caller)
        async with (
            self._refusals_recorded("reopenTicket", actor, tracking_number) as seen,
            self._writing() as session,
        ):
            ticket = await self._ticket(session, tracking_number)
            seen.agency = ticket.agency
            _require_owner(caller, ticket, "reopen")
            self._check_reopenable(ticket, at)
            previous = ticket.resolution
            targets = self.rules.sla_targets(ticket.agency, ticket.category)
            ticket.status = TicketStatus.REOPENED.value
            ticket.resolved_at = None
            ticket.resolution = None
            ticket.reopened_count += 1
            ticket.resolution_due_at = at + timedelta(hours=targets.resolution_hours)
            ticket.updated_at = at
            add_event(
                session,
                ticket,
                TicketEventKind.REOPENED,
                actor,
                at,
                public=True,
                message=reason,
                data={
                    "previous_resolution": previous,
                    "resolution_due_at": ticket.resolution_due_at.isoformat(),
                },
            )
            await self._audit(
                session, "reopenTicket", actor, ticket.tracking_number, agency=ticket.agency, at=at
            )
            await session.flush()
            return TicketView.of(ticket)

    def _check_reopenable(self, ticket: Ticket, at: datetime) -> None:
        if ticket.status != TicketStatus.RESOLVED.value or ticket.resolved_at is None:
            raise InvalidInput(
                "trackingNumber",
                f"ticket {ticket.tracking_number} is {ticket.status}; only a RESOLVED ticket "
                "can be reopened (submit a new ticket instead)",
            )
        window = self.rules.reopen_window
        if at > ticket.resolved_at + window:
            raise InvalidInput(
                "trackingNumber",
                f"ticket {ticket.tracking_number} was resolved on "
                f"{ticket.resolved_at:%Y-%m-%d %H:%M} UTC and could be reopened for "
                f"{window.days} days after; submit a new ticket instead",
            )


def _require_owner(caller: Caller, ticket: Ticket, action: str) -> None:
    require_authenticated(caller)
    if ticket.owner_subject is None:
        raise Forbidden(
            f"ticket {ticket.tracking_number} was submitted anonymously, so no one can {action} it"
        )
    if caller.subject != ticket.owner_subject:
        raise Forbidden(
            f"only the citizen who submitted ticket {ticket.tracking_number} may {action} it"
        )


__all__ = ["MAX_REASON", "RATEABLE", "CitizenActions"]
