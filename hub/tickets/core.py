"""What every part of the ticket store shares: its engine and rules, the write
transaction, timeline entries and audit rows.

Each operation is one transaction. On SQLite it starts with ``BEGIN IMMEDIATE`` so
that it holds the write lock from its first read: two operations never read the same
state and then both write, and a writer waits (the busy timeout) instead of failing
when another one committed since it began. On PostgreSQL the rows an operation
changes are read ``FOR UPDATE``.

The audit row of a change is written in the change's own transaction, so a change is
never stored without its audit row. A refused attempt (``FORBIDDEN``,
``UNAUTHENTICATED``, ``NOT_FOUND``) is recorded too, in a transaction of its own once
the operation's has been rolled back; bad input is not.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any, Self

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hub.audit.entry import AuditEntry
from hub.audit.table import audit_log
from hub.db import as_utc
from hub.db.sessions import reading, writing
from hub.errors import HubError, InvalidInput, NotFound
from hub.events import EventBus
from hub.identity import Caller
from hub.tickets.announcing import announce, note, take_noted
from hub.tickets.models import Ticket, TicketEvent
from hub.tickets.routing import RoutingRules
from hub.tickets.tracking import parse_tracking_number
from hub.tickets.views import TicketEventKind

OK = "OK"
SYSTEM = "system"
"""The actor role of the hub's own work: deliveries, the SLA sweep."""
AGENCY = "agency"
"""The actor role of an update read back from an agency's system."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """Where the operations of a store come from, for the audit rows they write."""

    operation: str = "ticket store"
    """The GraphQL operation (``mutation SubmitTicket``) or the worker's job."""
    request_id: str | None = None
    client: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change: recorded on the timeline and in the audit log."""

    subject: str | None
    role: str
    agency: str | None = None

    @classmethod
    def of(cls, caller: Caller) -> Actor:
        """The actor behind a verified caller."""
        return cls(caller.subject, caller.primary_role, caller.agency)


HUB = Actor("hub", SYSTEM)
"""The hub itself, doing its own work."""


def moment(now: datetime | None) -> datetime:
    """``now`` in UTC, or the current time; :class:`ValueError` for a naive ``now``."""
    return datetime.now(UTC) if now is None else as_utc(now)


@dataclass(slots=True)
class Seen:
    """What an operation learnt before it was refused: the ticket's agency."""

    agency: str | None = None


class StoreCore:
    """The engine, rules and origin the store's operations share, and their helpers."""

    def __init__(
        self,
        engine: AsyncEngine,
        rules: RoutingRules,
        *,
        origin: Origin = Origin(),
        events: EventBus | None = None,
    ):
        self.engine = engine
        self.rules = rules
        self.origin = origin
        self.events = events

    def with_origin(self, origin: Origin) -> Self:
        """This store, recording ``origin`` in the audit rows it writes (one per request)."""
        bound = copy.copy(self)
        bound.origin = origin
        return bound

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncSession]:
        """A session in a write transaction, committed when the block ends; the timeline
        entries it added are then announced on the event bus."""
        async with writing(self.engine) as session:
            yield session
            noted = take_noted(session)
        if self.events is not None and noted:
            await announce(self.events, noted)

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only."""
        async with reading(self.engine) as session:
            yield session

    @asynccontextmanager
    async def _refusals_recorded(
        self, field: str, actor: Actor, object_id: str | None
    ) -> AsyncIterator[Seen]:
        """Record a refusal of the block's operation in the audit log, then re-raise it.

        The block sets the :class:`Seen` agency once it knows the ticket's.
        """
        seen = Seen()
        try:
            yield seen
        except InvalidInput:
            raise
        except HubError as exc:
            async with self._writing() as session:
                agency = seen.agency or exc.agency
                await self._audit(session, field, actor, object_id, agency=agency, outcome=exc.code)
            raise

    async def _ticket(self, session: AsyncSession, tracking_number: str) -> Ticket:
        """The ticket, locked for this transaction; :class:`NotFound` if there is none."""
        canonical = parse_tracking_number(tracking_number)
        statement = select(Ticket).where(Ticket.tracking_number == canonical).with_for_update()
        ticket = (await session.execute(statement)).scalar_one_or_none()
        if ticket is None:
            raise NotFound(
                f"no ticket has the tracking number {canonical}; check it against the "
                "confirmation the citizen received"
            )
        return ticket

    async def _audit(
        self,
        session: AsyncSession,
        field: str,
        actor: Actor,
        object_id: str | None,
        *,
        agency: str | None,
        outcome: str = OK,
        at: datetime | None = None,
    ) -> None:
        entry = AuditEntry(
            at=moment(at),
            subject=actor.subject,
            role=actor.role,
            caller_agency=actor.agency,
            operation=self.origin.operation,
            field=field,
            object_id=object_id,
            agency=agency,
            outcome=outcome,
            request_id=self.origin.request_id,
            client=self.origin.client,
        )
        values = {f.name: getattr(entry, f.name) for f in fields(AuditEntry)}
        await session.execute(insert(audit_log).values(values))


def add_event(
    session: AsyncSession,
    ticket: Ticket,
    kind: TicketEventKind,
    actor: Actor,
    at: datetime,
    *,
    public: bool,
    message: str | None = None,
    data: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> TicketEvent:
    """Add an entry to ``ticket``'s timeline in ``session``'s transaction."""
    event = TicketEvent(
        ticket_id=ticket.id,
        at=at,
        kind=kind.value,
        actor_subject=actor.subject,
        actor_role=actor.role,
        public=public,
        message=message,
        data=data or {},
        dedupe_key=dedupe_key,
    )
    session.add(event)
    note(session, ticket, event)
    return event


__all__ = ["AGENCY", "HUB", "OK", "SYSTEM", "Actor", "Origin", "StoreCore", "add_event", "moment"]
