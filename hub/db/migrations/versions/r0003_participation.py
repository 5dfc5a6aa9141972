"""Citizen participation: polls with their options and votes (one per citizen and
poll), feedback to agencies, and saved alerts."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_participation"
down_revision: str | None = "0002_tickets"
branch_labels: str | None = None
depends_on: str | None = None


def _id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _moment(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "polls",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("question", sa.String(300), nullable=False),
        sa.Column("agency", sa.String(64), nullable=True),
        sa.Column("area", sa.String(100), nullable=True),
        _moment("opens_at"),
        _moment("closes_at"),
        sa.Column("created_by", sa.String(255), nullable=False),
        _moment("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_polls"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_polls_closes_at", "polls", ["closes_at"])

    op.create_table(
        "poll_options",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("poll_id", _id(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_poll_options"),
        sa.ForeignKeyConstraint(["poll_id"], ["polls.id"], name="fk_poll_options_poll_id_polls"),
        sa.UniqueConstraint("poll_id", "position", name="uq_poll_options_poll_id_position"),
        sa.UniqueConstraint("poll_id", "id", name="uq_poll_options_poll_id_id"),
    )

    op.create_table(
        "poll_votes",
        sa.Column("poll_id", _id(), nullable=False),
        sa.Column("voter_subject", sa.String(255), nullable=False),
        sa.Column("option_id", _id(), nullable=False),
        _moment("voted_at"),
        # One vote per citizen and poll: a second one, concurrent or not, is refused here.
        sa.PrimaryKeyConstraint("poll_id", "voter_subject", name="pk_poll_votes"),
        sa.ForeignKeyConstraint(["poll_id"], ["polls.id"], name="fk_poll_votes_poll_id_polls"),
        sa.ForeignKeyConstraint(
            ["poll_id", "option_id"],
            ["poll_options.poll_id", "poll_options.id"],
            name="fk_poll_votes_poll_id_option_id_poll_options",
        ),
    )

    op.create_table(
        "agency_feedback",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("agency", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _moment("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_agency_feedback"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_agency_feedback_rating"),
    )
    op.create_index("ix_agency_feedback_agency", "agency_feedback", ["agency"])

    op.create_table(
        "saved_alerts",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("agencies", sa.JSON(), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        _moment("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_saved_alerts"),
    )
    op.create_index("ix_saved_alerts_subject_created_at", "saved_alerts", ["subject", "created_at"])


def downgrade() -> None:
    op.drop_table("saved_alerts")
    op.drop_table("agency_feedback")
    op.drop_table("poll_votes")
    op.drop_table("poll_options")
    op.drop_table("polls")
