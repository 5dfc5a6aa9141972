"""What the ticket store hands out: frozen views of its rows, never the ORM objects."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub.connector import TicketDelivery
from hub.tickets.kinds import Priority, TicketKind, TicketStatus
from hub.tickets.models import OutboxEntry, Ticket, TicketEvent


class TicketEventKind(enum.Enum):
    """What an entry of a ticket's timeline records."""

    SUBMITTED = "SUBMITTED"
    ROUTED = "ROUTED"
    DELIVERED = "DELIVERED"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    COMMENT = "COMMENT"
    STATUS_CHANGED = "STATUS_CHANGED"
    REASSIGNED = "REASSIGNED"
    RATED = "RATED"
    REOPENED = "REOPENED"
    SLA_BREACHED = "SLA_BREACHED"
    ESCALATED = "ESCALATED"
    AGENCY_UPDATE = "AGENCY_UPDATE"


class AgencySort(enum.Enum):
    """The orders of an agency's ticket queue.

    - ``DUE_DATE``: the next deadline first, the first response's until it is given, the
      resolution's after;
    - ``PRIORITY``: ``URGENT`` first, then by the next deadline.
    """

    DUE_DATE = "DUE_DATE"
    PRIORITY = "PRIORITY"


FINISHED = frozenset({TicketStatus.RESOLVED, TicketStatus.REJECTED, TicketStatus.CLOSED})
"""Statuses in which the agency has nothing left to do."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketView:
    """A ticket as stored, at the moment it was read."""

    id: str
    tracking_number: str
    kind: TicketKind
    status: TicketStatus
    title: str
    description: str
    category: str | None
    """The category's id within ``agency``; ``None`` while the triage office routes it."""
    agency: str
    priority: Priority
    routing_reason: str
    matched_keywords: tuple[str, ...]
    area: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    owner_subject: str | None
    """The citizen's token subject; ``None`` for an anonymous submission."""
    submitted_at: datetime
    first_response_due_at: datetime
    resolution_due_at: datetime
    first_responded_at: datetime | None
    resolved_at: datetime | None
    """When it was resolved or rejected; ``None`` while open or once reopened."""
    resolution: str | None
    """The resolution, or the reason it was rejected."""
    rating: int | None
    rating_comment: str | None
    reopened_count: int
    sla_breached: bool
    agency_reference: str | None
    """The agency's own case number, once its system filed the ticket."""
    delivered_at: datetime | None
    updated_at: datetime

    @property
    def category_id(self) -> str | None:
        """The hub-wide id of the category, ``agency/category``."""
        return None if self.category is None else f"{self.agency}/{self.category}"

    @property
    def is_open(self) -> bool:
        """Whether the agency still has work to do on it."""
        return self.status not in FINISHED

    @property
    def next_due_at(self) -> datetime:
        """The deadline the ``DUE_DATE`` order sorts by: the first response's until it
        is given, the resolution's after."""
        if self.first_responded_at is None:
            return self.first_response_due_at
        return self.resolution_due_at

    def delivery(self) -> TicketDelivery:
        """The ticket as the agency's connector receives it (``category`` is empty for
        a ticket the triage office has not routed)."""
        return TicketDelivery(
            ticket_id=self.id,
            tracking_number=self.tracking_number,
            kind=self.kind.value,
            category=self.category or "",
            priority=self.priority.value,
            title=self.title,
            description=self.description,
            submitted_at=self.submitted_at,
            area=self.area,
            address=self.address,
            latitude=self.latitude,
            longitude=self.longitude,
            contact_name=self.contact_name,
            contact_phone=self.contact_phone,
            contact_email=self.contact_email,
        )

    @classmethod
    def of(cls, row: Ticket) -> TicketView:
        """The view of an ORM row."""
        return cls(
            id=row.id,
            tracking_number=row.tracking_number,
            kind=TicketKind(row.kind),
            status=TicketStatus(row.status),
            title=row.title,
            description=row.description,
            category=row.category,
            agency=row.agency,
            priority=Priority(row.priority),
            routing_reason=row.routing_reason,
            matched_keywords=tuple(row.matched_keywords),
            area=row.area,
            address=row.address,
            latitude=row.latitude,
            longitude=row.longitude,
            contact_name=row.contact_name,
            contact_phone=row.contact_phone,
            contact_email=row.contact_email,
            owner_subject=row.owner_subject,
            submitted_at=row.submitted_at,
            first_response_due_at=row.first_response_due_at,
            resolution_due_at=row.resolution_due_at,
            first_responded_at=row.first_responded_at,
            resolved_at=row.resolved_at,
            resolution=row.resolution,
            rating=row.rating,
            rating_comment=row.rating_comment,
            reopened_count=row.reopened_count,
            sla_breached=row.sla_breached,
            agency_reference=row.agency_reference,
            delivered_at=row.delivered_at,
            updated_at=row.updated_at,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketEventView:
    """One entry of a ticket's timeline.

    ``actor_role`` is the actor's strongest role (citizen, resolver, admin, anonymous),
    ``agency`` for an update read from the agency's system, ``system`` for the hub's
    own work (delivery, the SLA sweep). ``public`` entries are shown to the citizen.
    """

    id: int
    at: datetime
    kind: TicketEventKind
    actor_subject: str | None
    actor_role: str
    public: bool
    message: str | None
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, row: TicketEvent) -> TicketEventView:
        """The view of an ORM row."""
        return cls(
            id=row.id,
            at=row.at,
            kind=TicketEventKind(row.kind),
            actor_subject=row.actor_subject,
            actor_role=row.actor_role,
            public=row.public,
            message=row.message,
            data=dict(row.data),
        )


@dataclass(frozen=True, slots=True)
class TicketEdge:
    """A ticket in a page, with the cursor that points at it."""

    cursor: str
    ticket: TicketView


@dataclass(frozen=True, slots=True)
class TicketPage:
    """One page of a ticket list; pass ``end_cursor`` as ``after`` for the next."""

    edges: list[TicketEdge]
    has_next_page: bool
    total_count: int
    """How many tickets match the list's filters, on every page."""

    @property
    def tickets(self) -> list[TicketView]:
        """The page's tickets, in order."""
        return [edge.ticket for edge in self.edges]

    @property
    def end_cursor(self) -> str | None:
        """The cursor of the page's last ticket."""
        return self.edges[-1].cursor if self.edges else None


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxItem:
    """A delivery a worker has claimed: deliver ``ticket`` to ``agency`` before
    ``claimed_until``, then report :meth:`~hub.tickets.TicketStore.mark_delivered` or
    :meth:`~hub.tickets.TicketStore.release_failed`."""

    id: int
    ticket_id: str
    agency: str
    topic: str
    attempts: int
    """Attempts so far, this one included."""
    claimed_until: datetime
    last_error: str | None
    ticket: TicketView

    @classmethod
    def of(cls, row: OutboxEntry, ticket: Ticket) -> OutboxItem:
        """The view of a claimed ORM row and its ticket."""
        assert row.claimed_until is not None
        return cls(
            id=row.id,
            ticket_id=row.ticket_id,
            agency=row.agency,
            topic=row.topic,
            attempts=row.attempts,
            claimed_until=row.claimed_until,
            last_error=row.last_error,
            ticket=TicketView.of(ticket),
        )


__all__ = [
    "FINISHED",
    "AgencySort",
    "OutboxItem",
    "TicketEdge",
    "TicketEventKind",
    "TicketEventView",
    "TicketPage",
    "TicketView",
]
