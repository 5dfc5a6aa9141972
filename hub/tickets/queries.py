"""Reading tickets: one by tracking number, its timeline, and the keyset-paginated lists
of a citizen's tickets and of an agency's queue.

Lists are pages of ``first`` tickets after the opaque cursor ``after`` (the
``end_cursor`` of the page before). A cursor holds the sort key of the ticket it points
at, so the next page is found by the index, stays right when tickets are added before
it, and never repeats or skips a ticket whose key did not change.

The reads do not check the caller's rights, except the timeline's internal entries:
who may list whose tickets is the graph's to decide (:mod:`hub.identity.rights`).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import QueryableAttribute

from hub.db import UtcDateTime, as_utc
from hub.errors import InvalidInput, NotFound
from hub.identity import Caller
from hub.tickets.core import StoreCore, moment
from hub.tickets.kinds import Priority, SlaState, TicketKind, TicketStatus
from hub.tickets.models import Ticket, TicketEvent
from hub.tickets.sla import sla_state
from hub.tickets.tracking import parse_tracking_number
from hub.tickets.views import AgencySort, TicketEdge, TicketEventView, TicketPage, TicketView

MAX_PAGE = 100
_CURSOR_VERSION = 1

_NEXT_DUE = type_coerce(
    case(
        (Ticket.first_responded_at.is_(None), Ticket.first_response_due_at),
        else_=Ticket.resolution_due_at,
    ),
    UtcDateTime(),
)
"""The deadline a ticket is due by next (see :attr:`TicketView.next_due_at`)."""

_PRIORITY_RANK = case(
    {priority.value: priority.rank for priority in Priority}, value=Ticket.priority, else_=0
)


@dataclass(frozen=True, slots=True)
class _Key:
    """One part of a list's order: the column, its direction, and how a cursor holds it."""

    column: ColumnElement[Any] | QueryableAttribute[Any]
    descending: bool
    kind: type


_OWNER_ORDER = (
    _Key(Ticket.submitted_at, True, datetime),
    _Key(Ticket.id, True, str),
)
_AGENCY_ORDERS = {
    AgencySort.DUE_DATE: (_Key(_NEXT_DUE, False, datetime), _Key(Ticket.id, False, str)),
    AgencySort.PRIORITY: (
        _Key(_PRIORITY_RANK, True, int),
        _Key(_NEXT_DUE, False, datetime),
        _Key(Ticket.id, False, str),
    ),
}


class Queries(StoreCore):
    """The store's reads."""

    async def get_by_tracking_number(self, tracking_number: str) -> TicketView:
        """The ticket; :class:`NotFound` if none has that number, :class:`InvalidInput`
        if it is not shaped like one."""
        canonical = parse_tracking_number(tracking_number)
        async with self._reading() as session:
            ticket = await session.scalar(select(Ticket).where(Ticket.tracking_number == canonical))
        if ticket is None:
            raise NotFound(f"no ticket has the tracking number {canonical}")
        return TicketView.of(ticket)

    async def timeline(self, tracking_number: str, caller: Caller) -> list[TicketEventView]:
        """The ticket's timeline, oldest first: every entry for staff of its agency and
        admins, the public entries for everyone else."""
        canonical = parse_tracking_number(tracking_number)
        found = await self.timelines([canonical], caller)
        if canonical not in found:
            raise NotFound(f"no ticket has the tracking number {canonical}")
        return found[canonical]

    async def timelines(
        self, tracking_numbers: Sequence[str], caller: Caller
    ) -> dict[str, list[TicketEventView]]:
        """The timelines of these tickets, keyed by the tracking numbers as given, each
        as :meth:`timeline` shows it to ``caller``; in two statements however many.

        Numbers no ticket has are absent; a number not shaped like one is
        :class:`InvalidInput`, before any statement.
        """
        wanted = {given: parse_tracking_number(given) for given in tracking_numbers}
        if not wanted:
            return {}
        tickets = select(Ticket.id, Ticket.tracking_number, Ticket.agency).where(
            Ticket.tracking_number.in_(sorted(set(wanted.values())))
        )
        async with self._reading() as session:
            found = (await session.execute(tickets)).all()
            if not found:
                return {}
            seen_whole = [
                row.id for row in found if caller.is_admin or caller.resolves_for(row.agency)
            ]
            events = (
                select(TicketEvent)
                .where(
                    TicketEvent.ticket_id.in_([row.id for row in found]),
                    or_(TicketEvent.public.is_(True), TicketEvent.ticket_id.in_(seen_whole)),
                )
                .order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)
            )
            by_ticket: dict[str, list[TicketEventView]] = {row.id: [] for row in found}
            for event in await session.scalars(events):
                by_ticket[event.ticket_id].append(TicketEventView.of(event))
        by_number = {row.tracking_number: by_ticket[row.id] for row in found}
        return {given: by_number[number] for given, number in wanted.items() if number in by_number}

    def sla_state(self, ticket: TicketView, now: datetime | None = None) -> SlaState:
        """Where ``ticket`` stands against its SLA at ``now`` (a recorded breach stays)."""
        if ticket.sla_breached:
            return SlaState.BREACHED
        return sla_state(
            now=moment(now),
            submitted_at=ticket.submitted_at,
            first_response_due=ticket.first_response_due_at,
            resolution_due=ticket.resolution_due_at,
            first_responded_at=ticket.first_responded_at,
            resolved_at=ticket.resolved_at,
            at_risk_share=self.rules.at_risk_share(ticket.agency),
        )

    async def list_for_owner(
        self,
        subject: str,
        *,
        status: TicketStatus | Collection[TicketStatus] | None = None,
        kind: TicketKind | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> TicketPage:
        """The tickets the citizen ``subject`` submitted, newest first."""
        conditions = [Ticket.owner_subject == subject, *_status_filter(status)]
        if kind is not None:
            conditions.append(Ticket.kind == kind.value)
        return await self._page("owner", _OWNER_ORDER, conditions, first, after)

    async def list_for_agency(
        self,
        agency: str,
        *,
        sort: AgencySort = AgencySort.DUE_DATE,
        status: TicketStatus | Collection[TicketStatus] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> TicketPage:
        """``agency``'s tickets in the order ``sort``; a cursor is valid only for the
        order that issued it."""
        conditions = [Ticket.agency == agency, *_status_filter(status)]
        scope = f"agency.{sort.value}"
        return await self._page(scope, _AGENCY_ORDERS[sort], conditions, first, after)

    async def _page(
        self,
        scope: str,
        order: Sequence[_Key],
        conditions: list[ColumnElement[bool]],
        first: int,
        after: str | None,
    ) -> TicketPage:
        if not 0 <= first <= MAX_PAGE:
            raise InvalidInput("first", f"must be between 0 and {MAX_PAGE}, got {first}")
        page = list(conditions)
        if after is not None:
            page.append(_after(order, _decode(scope, order, after)))
        keys = [key.column for key in order]
        rows_query = (
            select(Ticket, *keys)
            .where(*page)
            .order_by(*(k.column.desc() if k.descending else k.column.asc() for k in order))
            .limit(first + 1)
        )
        count_query = select(func.count()).select_from(Ticket).where(*conditions)
        async with self._reading() as session:
            rows = (await session.execute(rows_query)).all()
            total = (await session.execute(count_query)).scalar_one()
        edges = [TicketEdge(_encode(scope, row[1:]), TicketView.of(row[0])) for row in rows[:first]]
        return TicketPage(edges=edges, has_next_page=len(rows) > first, total_count=total)


def _status_filter(
    status: TicketStatus | Collection[TicketStatus] | None,
) -> list[ColumnElement[bool]]:
    if status is None:
        return []
    wanted = [status] if isinstance(status, TicketStatus) else list(status)
    return [Ticket.status.in_([s.value for s in wanted])]


def _after(order: Sequence[_Key], values: Sequence[Any]) -> ColumnElement[bool]:
    """The rows strictly after ``values`` in ``order``: the lexicographic comparison."""
    alternatives: list[ColumnElement[bool]] = []
    for index, key in enumerate(order):
        equal = [order[i].column == values[i] for i in range(index)]
        beyond = key.column < values[index] if key.descending else key.column > values[index]
        alternatives.append(and_(*equal, beyond))
    return or_(*alternatives)


def _encode(scope: str, values: Sequence[Any]) -> str:
    parts = [as_utc(v).isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps([_CURSOR_VERSION, scope, *parts], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(scope: str, order: Sequence[_Key], cursor: str) -> list[Any]:
    problem = InvalidInput(
        "after",
        f"{cursor[:60]!r} is not a cursor of this list; pass the endCursor of a previous page "
        "of the same list, in the same order, unchanged",
    )
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise problem from None
    if not (
        isinstance(data, list)
        and len(data) == 2 + len(order)
        and data[:2] == [_CURSOR_VERSION, scope]
    ):
        raise problem
    values: list[Any] = []
    for key, value in zip(order, data[2:], strict=True):
        if key.kind is datetime and isinstance(value, str):
            try:
                values.append(as_utc(datetime.fromisoformat(value)))
            except ValueError:
                raise problem from None
        elif type(value) is key.kind:
            values.append(value)
        else:
            raise problem
    return values


__all__ = ["MAX_PAGE", "Queries"]
