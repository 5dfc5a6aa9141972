"""What the participation stores' tests share: the backends, callers, a poll to create,
and counts of what the database holds. No tests of its own."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from hub.identity import Caller, Role
from hub.participation import NewPoll, Participation

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
"""Each database the stores run on, for ``pytest.fixture(params=...)``."""

AGENCIES = ("revenue", "immigration", "police")
"""The agencies the stores are told the hub serves."""

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""A Monday morning; tests move time on from here."""

TABLES = ("polls", "poll_options", "poll_votes", "agency_feedback", "saved_alerts")

ADMIN = Caller(subject="ops", roles=frozenset({Role.ADMIN}))
POLICE = Caller(subject="officer-police", roles=frozenset({Role.RESOLVER}), agency="police")
REVENUE = Caller(subject="officer-revenue", roles=frozenset({Role.RESOLVER}), agency="revenue")
ANONYMOUS = Caller()

STREETLIGHTS = NewPoll(
    question="Which street should get new lights first?",
    options=["Moi Avenue", "Kenyatta Avenue", "Tom Mboya Street"],
    closes_at=NOW + timedelta(days=7),
    area="Nairobi CBD",
)
"""A poll open from :data:`NOW` for a week."""


def citizen(name: str) -> Caller:
    """A citizen's verified identity."""
    return Caller(subject=f"citizen-{name}", roles=frozenset({Role.CITIZEN}))


def poll(**changes: Any) -> NewPoll:
    """:data:`STREETLIGHTS` with ``changes``."""
    return replace(STREETLIGHTS, **changes)


async def counts(stores: Participation) -> dict[str, int]:
    """How many rows each participation table holds."""
    async with stores.polls.engine.connect() as connection:
        return {
            table: (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
            for table in TABLES
        }
