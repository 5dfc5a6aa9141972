"""The tables of citizen participation, as the migration ``0003_participation`` creates them.

- ``polls``: a question put by an agency (or by the hub, ``agency`` empty), open for
  votes from ``opens_at`` until ``closes_at``;
- ``poll_options``: its answers, in ``position`` order;
- ``poll_votes``: one row per citizen and poll; the unique (``poll_id``,
  ``voter_subject``) makes a second vote impossible, even two sent at once;
- ``agency_feedback``: a citizen's rating of an agency, with what they said;
- ``saved_alerts``: a citizen's standing wish to hear of vacancies, bids, news and
  security alerts that match its criteria (lists stored as JSON).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base

_ID = BigInteger().with_variant(Integer(), "sqlite")
"""An autoincrementing integer key (SQLite only autoincrements its INTEGER keys)."""


class Poll(Base):
    """A question citizens answer by choosing one of its options."""

    __tablename__ = "polls"
    __table_args__ = (
        Index("ix_polls_closes_at", "closes_at"),
        # Ids are never reused: a poll's id names its topic on the event bus.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    question: Mapped[str] = mapped_column(String(300))
    agency: Mapped[str | None] = mapped_column(String(64))
    """The agency that asks; ``None`` for the hub itself."""
    area: Mapped[str | None] = mapped_column(String(100))
    """The area the poll is about; ``None`` for everywhere."""
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    """When it stops taking votes; moved to the moment of ``closePoll`` when closed early."""
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class PollOption(Base):
    """One answer of a poll."""

    __tablename__ = "poll_options"
    __table_args__ = (
        UniqueConstraint("poll_id", "position"),
        # What a vote's (poll_id, option_id) foreign key refers to.
        UniqueConstraint("poll_id", "id"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    poll_id: Mapped[int] = mapped_column(_ID, ForeignKey("polls.id"))
    position: Mapped[int] = mapped_column(SmallInteger())
    label: Mapped[str] = mapped_column(String(100))


class PollVote(Base):
    """A citizen's vote: final, one per citizen and poll."""

    __tablename__ = "poll_votes"
    __table_args__ = (
        # The option must be one of the poll's own, whoever writes the row.
        ForeignKeyConstraint(["poll_id", "option_id"], ["poll_options.poll_id", "poll_options.id"]),
    )

    poll_id: Mapped[int] = mapped_column(_ID, ForeignKey("polls.id"), primary_key=True)
    voter_subject: Mapped[str] = mapped_column(String(255), primary_key=True)
    option_id: Mapped[int] = mapped_column(_ID)
    voted_at: Mapped[datetime]


class AgencyFeedback(Base):
    """A citizen's rating of an agency, 1 to 5, with what they said."""

    __tablename__ = "agency_feedback"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
        Index("ix_agency_feedback_agency", "agency"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    agency: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(255))
    rating: Mapped[int] = mapped_column(SmallInteger())
    text: Mapped[str] = mapped_column(Text())
    created_at: Mapped[datetime]


class SavedAlert(Base):
    """A citizen's saved alert: the events they want to hear of.

    Each list is a criterion; an empty list leaves that criterion out.
    """

    __tablename__ = "saved_alerts"
    __table_args__ = (Index("ix_saved_alerts_subject_created_at", "subject", "created_at"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(100))
    keywords: Mapped[list[str]] = mapped_column(JSON())
    agencies: Mapped[list[str]] = mapped_column(JSON())
    areas: Mapped[list[str]] = mapped_column(JSON())
    kinds: Mapped[list[str]] = mapped_column(JSON())
    created_at: Mapped[datetime]


__all__ = ["AgencyFeedback", "Poll", "PollOption", "PollVote", "SavedAlert"]
