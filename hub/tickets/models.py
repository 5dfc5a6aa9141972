"""The ticket tables, as the migration ``0002_tickets`` creates them.

- ``tickets``: one row per ticket, its routing, SLA clock, outcome and delivery;
- ``ticket_events``: its timeline, oldest first by (``at``, ``id``);
- ``ticket_attachments``: metadata of the files a citizen attached (the bytes live
  elsewhere, at ``stored_path``);
- ``outbox``: deliveries to agencies still to make, written in the same transaction
  as the change that needs them, worked off by the delivery worker;
- ``ticket_sequences``: the last tracking number handed out per year.

Enumerations (kind, status, priority, event kind) are stored as their value's text, so
that a new value needs no migration; :mod:`hub.tickets.views` turns rows back into
typed, frozen views.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base

_ID = BigInteger().with_variant(Integer(), "sqlite")
"""An autoincrementing integer key (SQLite only autoincrements its INTEGER keys)."""


class Ticket(Base):
    """A citizen's ticket."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("idempotency_scope", "idempotency_key"),
        Index("ix_tickets_owner_subject_submitted_at_id", "owner_subject", "submitted_at", "id"),
        Index("ix_tickets_agency_status", "agency", "status"),
        Index("ix_tickets_agency_reference", "agency", "agency_reference"),
        Index("ix_tickets_sla_breached_status", "sla_breached", "status"),
        Index("ix_tickets_submitted_at", "submitted_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text())
    category: Mapped[str | None] = mapped_column(String(40))
    agency: Mapped[str] = mapped_column(String(64))
    priority: Mapped[str] = mapped_column(String(10))
    routing_reason: Mapped[str] = mapped_column(Text())
    matched_keywords: Mapped[list[str]] = mapped_column(JSON())
    area: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(500))
    latitude: Mapped[float | None] = mapped_column(Float())
    longitude: Mapped[float | None] = mapped_column(Float())
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    owner_subject: Mapped[str | None] = mapped_column(String(255))
    """The citizen's token subject; ``None`` for an anonymous submission."""
    idempotency_scope: Mapped[str] = mapped_column(String(260))
    """Whose idempotency key it is: ``subject:<owner>``, or ``anonymous``."""
    idempotency_key: Mapped[str] = mapped_column(String(100))
    request_digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the submission, so a key reused for another ticket is told apart."""
    submitted_at: Mapped[datetime]
    first_response_due_at: Mapped[datetime]
    resolution_due_at: Mapped[datetime]
    first_responded_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    """When it was resolved or rejected; cleared when it is reopened."""
    resolution: Mapped[str | None] = mapped_column(Text())
    """The resolution, or the reason for a rejection."""
    rating: Mapped[int | None] = mapped_column(Integer())
    rating_comment: Mapped[str | None] = mapped_column(Text())
    reopened_count: Mapped[int] = mapped_column(Integer())
    sla_breached: Mapped[bool] = mapped_column(Boolean())
    agency_reference: Mapped[str | None] = mapped_column(String(100))
    """The agency's own case number, from its receipt."""
    delivered_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class TicketEvent(Base):
    """One entry of a ticket's timeline.

    ``public`` entries are shown to the citizen; the others to staff only.
    ``dedupe_key`` identifies an entry that comes from outside (an agency's update),
    so the same update applied twice is stored once.
    """

    __tablename__ = "ticket_events"
    __table_args__ = (
        UniqueConstraint("ticket_id", "dedupe_key"),
        Index("ix_ticket_events_ticket_id_at_id", "ticket_id", "at", "id"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(String(36), ForeignKey("tickets.id"))
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(20))
    actor_subject: Mapped[str | None] = mapped_column(String(255))
    actor_role: Mapped[str] = mapped_column(String(20))
    public: Mapped[bool] = mapped_column(Boolean())
    message: Mapped[str | None] = mapped_column(Text())
    data: Mapped[dict[str, Any]] = mapped_column(JSON())
    dedupe_key: Mapped[str | None] = mapped_column(String(64))


class TicketAttachment(Base):
    """What the hub knows of a file attached to a ticket."""

    __tablename__ = "ticket_attachments"
    __table_args__ = (Index("ix_ticket_attachments_ticket_id", "ticket_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(String(36), ForeignKey("tickets.id"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger())
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime]


class OutboxEntry(Base):
    """A delivery still to make: ticket ``ticket_id`` to ``agency``'s system.

    Due when ``delivered_at`` is empty, ``next_attempt_at`` has come and no worker's
    claim (``claimed_until``) is still running.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_delivered_at_next_attempt_at", "delivered_at", "next_attempt_at"),
        Index("ix_outbox_ticket_id", "ticket_id"),
        # Ids are never reused, not even on SQLite after the newest row is dropped: a
        # worker may still report on a delivery dropped while it held it.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(String(36), ForeignKey("tickets.id"))
    agency: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer())
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text())
    delivered_at: Mapped[datetime | None]


class TicketSequence(Base):
    """The last tracking number handed out in ``year``."""

    __tablename__ = "ticket_sequences"

    year: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer())


__all__ = ["OutboxEntry", "Ticket", "TicketAttachment", "TicketEvent", "TicketSequence"]
