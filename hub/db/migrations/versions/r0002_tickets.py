"""Tickets: the tickets themselves, their timeline, attachments, the delivery outbox and
the per-year counters of tracking numbers."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_tickets"
down_revision: str | None = "0001_audit_log"
branch_labels: str | None = None
depends_on: str | None = None


def _id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _moment(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("tracking_number", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(40), nullable=True),
        sa.Column("agency", sa.String(64), nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("routing_reason", sa.Text(), nullable=False),
        sa.Column("matched_keywords", sa.JSON(), nullable=False),
        sa.Column("area", sa.String(100), nullable=True),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("contact_name", sa.String(200), nullable=True),
        sa.Column("contact_phone", sa.String(32), nullable=True),
        sa.Column("contact_email", sa.String(254), nullable=True),
        sa.Column("owner_subject", sa.String(255), nullable=True),
        sa.Column("idempotency_scope", sa.String(260), nullable=False),
        sa.Column("idempotency_key", sa.String(100), nullable=False),
        sa.Column("request_digest", sa.String(64), nullable=False),
        _moment("submitted_at"),
        _moment("first_response_due_at"),
        _moment("resolution_due_at"),
        _moment("first_responded_at", nullable=True),
        _moment("resolved_at", nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rating_comment", sa.Text(), nullable=True),
        sa.Column("reopened_count", sa.Integer(), nullable=False),
        sa.Column("sla_breached", sa.Boolean(), nullable=False),
        sa.Column("agency_reference", sa.String(100), nullable=True),
        _moment("delivered_at", nullable=True),
        _moment("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_tickets"),
        sa.UniqueConstraint("tracking_number", name="uq_tickets_tracking_number"),
        sa.UniqueConstraint(
            "idempotency_scope",
            "idempotency_key",
            name="uq_tickets_idempotency_scope_idempotency_key",
        ),
    )
    op.create_index(
        "ix_tickets_owner_subject_submitted_at_id",
        "tickets",
        ["owner_subject", "submitted_at", "id"],
    )
    op.create_index("ix_tickets_agency_status", "tickets", ["agency", "status"])
    op.create_index("ix_tickets_agency_reference", "tickets", ["agency", "agency_reference"])
    op.create_index("ix_tickets_sla_breached_status", "tickets", ["sla_breached", "status"])
    op.create_index("ix_tickets_submitted_at", "tickets", ["submitted_at"])

    op.create_table(
        "ticket_events",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.String(36), nullable=False),
        _moment("at"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("actor_subject", sa.String(255), nullable=True),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("dedupe_key", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_events"),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name="fk_ticket_events_ticket_id_tickets"
        ),
        sa.UniqueConstraint(
            "ticket_id", "dedupe_key", name="uq_ticket_events_ticket_id_dedupe_key"
        ),
    )
    op.create_index("ix_ticket_events_ticket_id_at_id", "ticket_events", ["ticket_id", "at", "id"])

    op.create_table(
        "ticket_attachments",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("ticket_id", sa.String(36), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("stored_path", sa.String(1000), nullable=False),
        _moment("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_attachments"),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name="fk_ticket_attachments_ticket_id_tickets"
        ),
    )
    op.create_index("ix_ticket_attachments_ticket_id", "ticket_attachments", ["ticket_id"])

    op.create_table(
        "outbox",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.String(36), nullable=False),
        sa.Column("agency", sa.String(64), nullable=False),
        sa.Column("topic", sa.String(20), nullable=False),
        _moment("created_at"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _moment("next_attempt_at"),
        _moment("claimed_until", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _moment("delivered_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name="fk_outbox_ticket_id_tickets"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_outbox_delivered_at_next_attempt_at", "outbox", ["delivered_at", "next_attempt_at"]
    )
    op.create_index("ix_outbox_ticket_id", "outbox", ["ticket_id"])

    op.create_table(
        "ticket_sequences",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_ticket_sequences"),
    )


def downgrade() -> None:
    op.drop_table("ticket_sequences")
    op.drop_table("outbox")
    op.drop_table("ticket_attachments")
    op.drop_table("ticket_events")
    op.drop_table("tickets")
