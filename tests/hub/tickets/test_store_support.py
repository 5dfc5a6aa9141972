"""What the ticket store's tests share: the backends, a store over a fresh database,
tickets to submit, and counts of what the database holds. No tests of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from hub.db import create_engine, upgrade
from hub.tickets import NewTicket, TicketKind, TicketStore
from tests.hub.tickets.demo import demo_rules

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
"""Each database the store runs on, for ``pytest.fixture(params=...)``."""

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""A Monday morning; tests move time on from here."""

TABLES = ("tickets", "ticket_events", "outbox", "ticket_sequences", "audit_log")

THEFT = NewTicket(
    kind=TicketKind.REPORT,
    title="My bicycle was stolen",
    description="It was stolen from outside the library on Moi Avenue this morning.",
    area="Nairobi CBD",
    address="Moi Avenue",
    latitude=-1.2833,
    longitude=36.8167,
    contact_name="Amina",
    contact_phone="+254 712 345678",
    contact_email="amina@example.org",
)
"""A crime report: routed to police/crime (HIGH priority, first response within 1 hour)."""

VAT = NewTicket(
    kind=TicketKind.ENQUIRY,
    title="VAT on exports",
    description="Do I charge VAT on services I sell to a client abroad?",
    area="Mombasa",
)
"""A tax enquiry: routed to revenue/tax-enquiries (NORMAL, 24 h / 240 h)."""

UNMATCHED = NewTicket(
    kind=TicketKind.ENQUIRY,
    title="Opening hours",
    description="When are your offices open on Saturdays?",
)
"""Matches no category: goes to the triage office."""


def ticket(base: NewTicket = THEFT, **changes: Any) -> NewTicket:
    """``base`` with ``changes``."""
    return replace(base, **changes)


@asynccontextmanager
async def opened_store(url: str) -> AsyncIterator[TicketStore]:
    """A store with the demo routing rules over the freshly migrated database ``url``."""
    await upgrade(url)
    engine = create_engine(url)
    try:
        yield TicketStore(engine, demo_rules())
    finally:
        await engine.dispose()


async def counts(store: TicketStore) -> dict[str, int]:
    """How many rows each of the store's tables (and the audit log) holds."""
    async with store.engine.connect() as connection:
        return {
            table: (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
            for table in TABLES
        }


async def audit_rows(store: TicketStore) -> list[tuple[Any, ...]]:
    """``(field, object_id, agency, role, subject, outcome)`` of each audit row, in order."""
    statement = "SELECT field, object_id, agency, role, subject, outcome FROM audit_log ORDER BY id"
    async with store.engine.connect() as connection:
        return [tuple(row) for row in (await connection.execute(text(statement))).all()]


async def outbox_rows(store: TicketStore) -> list[dict[str, Any]]:
    """Every outbox row, in order."""
    async with store.engine.connect() as connection:
        result = await connection.execute(text("SELECT * FROM outbox ORDER BY id"))
        return [dict(row) for row in result.mappings().all()]
