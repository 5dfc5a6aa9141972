"""The tickets' tables (migration ``0002_tickets``) and tracking numbers.

``tests/hub/test_db.py`` checks that the migrated schema matches the models; this
checks that the revision also goes down cleanly, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, inspect

from hub.db import create_engine, current_revision, upgrade
from hub.db.migrate import MIGRATIONS
from hub.errors import InvalidInput
from hub.tickets import format_tracking_number, parse_tracking_number
from tests.hub.tickets.test_store_support import BACKENDS
from tests.support.databases import database

TICKET_TABLES = {"tickets", "ticket_events", "ticket_attachments", "outbox", "ticket_sequences"}


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as fresh:
        yield fresh


async def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def downgrade(url: str, revision: str) -> None:
    def run(connection: Connection) -> None:
        config = Config(attributes={"connection": connection})
        config.set_main_option("script_location", str(MIGRATIONS))
        command.downgrade(config, revision)

    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run)
    finally:
        await engine.dispose()


async def test_the_tickets_revision_goes_down_and_up_again(url: str) -> None:
    await upgrade(url)
    assert await tables(url) >= TICKET_TABLES

    await downgrade(url, "0001_audit_log")
    assert await current_revision(url) == "0001_audit_log"
    assert await tables(url) == {"alembic_version", "audit_log"}

    await upgrade(url, "0002_tickets")
    assert await current_revision(url) == "0002_tickets"
    assert await tables(url) >= TICKET_TABLES


@pytest.mark.parametrize(
    ("year", "number", "expected"),
    [
        (2026, 1, "CH-2026-000001"),
        (2026, 4217, "CH-2026-004217"),
        (2030, 1234567, "CH-2030-1234567"),
    ],
)
def test_tracking_numbers_read_aloud(year: int, number: int, expected: str) -> None:
    assert format_tracking_number(year, number) == expected
    assert parse_tracking_number(expected) == expected


@pytest.mark.parametrize(("year", "number"), [(2026, 0), (99, 1), (10000, 1)])
def test_no_tracking_number_outside_the_counters_range(year: int, number: int) -> None:
    with pytest.raises(ValueError, match="no tracking number"):
        format_tracking_number(year, number)


def test_a_tracking_number_is_read_in_any_case_with_spaces_around() -> None:
    assert parse_tracking_number("  ch-2026-004217\n") == "CH-2026-004217"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "CH-2026-4217",
        "CH-26-004217",
        "XX-2026-004217",
        "CH 2026 004217",
        "CH-2026-0042170000000",
    ],
)
def test_anything_else_is_not_a_tracking_number(text: str) -> None:
    with pytest.raises(InvalidInput, match="read like CH-2026-004217") as refused:
        parse_tracking_number(text)
    assert refused.value.argument == "trackingNumber"
