"""Updates from an agency's own system, read back by the sync worker, applied to tickets.

An update names its ticket by the agency's case number (the reference of the
receipt). Applying it adds one AGENCY_UPDATE entry to the timeline, public: it is what
the agency says to the citizen. Its status (the hub's vocabulary) moves the ticket when
the move is legal (:mod:`hub.tickets.lifecycle`); a status that is not, or that the hub
does not know, is recorded on the entry (``applied: false``) and moves nothing. Any
update is a response from the agency, for the SLA clock, as of the moment the agency
says it made it (never before the submission, never in the future).

The same update applied twice (by two workers, or again after a crash) is stored
once: its entry carries a fingerprint the database keeps unique per ticket.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from hub.connector import TicketUpdate
from hub.db import as_utc
from hub.tickets.core import AGENCY, SYSTEM, Actor, StoreCore, add_event, moment
from hub.tickets.kinds import TicketStatus
from hub.tickets.lifecycle import move, move_problem, responded
from hub.tickets.models import Ticket, TicketEvent
from hub.tickets.views import TicketEventKind, TicketView


class AgencyUpdates(StoreCore):
    """The store's :meth:`apply_agency_update`."""

    async def apply_agency_update(
        self, agency: str, update: TicketUpdate, *, now: datetime | None = None
    ) -> TicketView | None:
        """Apply ``agency``'s ``update`` to the ticket it filed under ``update.reference``.

        Returns the ticket as it is afterwards, or ``None`` when no ticket of the hub
        has that reference at ``agency`` (a case the agency opened itself, say).
        """
        at = moment(now)
        key = _fingerprint(update)
        try:
            return await self._apply(agency, update, key, at)
        except IntegrityError:
            # Another worker applied the same update first.
            async with self._reading() as session:
                ticket = await session.scalar(_by_reference(agency, update.reference))
                return None if ticket is None else TicketView.of(ticket)

    async def _apply(
        self, agency: str, update: TicketUpdate, key: str, at: datetime
    ) -> TicketView | None:
        speaker = Actor(agency, AGENCY, agency)
        async with self._writing() as session:
            ticket = await session.scalar(_by_reference(agency, update.reference).with_for_update())
            if ticket is None:
                return None
            seen = await session.scalar(
                select(TicketEvent.id).where(
                    TicketEvent.ticket_id == ticket.id, TicketEvent.dedupe_key == key
                )
            )
            if seen is not None:
                return TicketView.of(ticket)
            when = min(max(as_utc(update.updated_at), ticket.submitted_at), at)
            message = update.note or update.status_text
            data: dict[str, Any] = {
                "reference": update.reference,
                "updated_at": as_utc(update.updated_at).isoformat(),
                "status": update.status,
                "status_text": update.status_text,
            }
            target = _status(update.status)
            current = TicketStatus(ticket.status)
            if target is not None and move_problem(ticket.tracking_number, current, target) is None:
                move(
                    session,
                    ticket,
                    target,
                    speaker,
                    when,
                    message=message,
                    kind=TicketEventKind.AGENCY_UPDATE,
                    data=data | {"applied": True},
                    dedupe_key=key,
                )
            else:
                add_event(
                    session,
                    ticket,
                    TicketEventKind.AGENCY_UPDATE,
                    speaker,
                    when,
                    public=True,
                    message=message,
                    data=data | {"applied": False},
                    dedupe_key=key,
                )
                responded(session, ticket, when)
            ticket.updated_at = at
            await self._audit(
                session,
                "applyAgencyUpdate",
                Actor(f"agency:{agency}", SYSTEM),
                ticket.tracking_number,
                agency=agency,
                at=at,
            )
            await session.flush()
            return TicketView.of(ticket)


def _by_reference(agency: str, reference: str) -> Select[Ticket]:
    return select(Ticket).where(Ticket.agency == agency, Ticket.agency_reference == reference)


def _status(value: str | None) -> TicketStatus | None:
    try:
        return None if value is None else TicketStatus(value)
    except ValueError:
        return None


def _fingerprint(update: TicketUpdate) -> str:
    fields = [
        update.reference,
        as_utc(update.updated_at).isoformat(),
        update.status,
        update.note,
        update.status_text,
    ]
    return hashlib.sha256(json.dumps(fields, separators=(",", ":")).encode()).hexdigest()


__all__ = ["AgencyUpdates"]
