"""Create the Occurrence Book's schema and seed each empty table.

Start-up is idempotent: tables that exist are kept, tables that hold rows are left
alone, so restarting the stand-in on the same database changes nothing. A database
made by an older release gets the columns added since (:data:`ADDED_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, func, insert, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from legacy.police.bulletins import public_notice_rows, security_alert_rows
from legacy.police.catalogue import service_rows, tender_rows
from legacy.police.occurrences import occurrence_rows
from legacy.police.recruitment import recruitment_notice_rows
from legacy.police.schema import (
    ADDED_COLUMNS,
    HUB_TICKET_INDEX,
    metadata,
    ob_register,
    police_station,
    public_notice,
    recruitment_notice,
    security_alert,
    service_catalogue,
    tender_notice,
)
from legacy.police.stations import station_rows

RowsFactory = Callable[[date], list[dict[str, Any]]]


def _occurrences(today: date) -> list[dict[str, Any]]:
    return occurrence_rows(today, [row["stn_code"] for row in station_rows()])


SEEDS: tuple[tuple[Table, RowsFactory], ...] = (
    (police_station, lambda today: station_rows()),
    (ob_register, _occurrences),
    (security_alert, security_alert_rows),
    (recruitment_notice, recruitment_notice_rows),
    (public_notice, public_notice_rows),
    (service_catalogue, service_rows),
    (tender_notice, tender_rows),
)
"""Each table and the rows it starts with, in an order that honours foreign keys."""


async def prepare_database(engine: AsyncEngine, today: date) -> dict[str, int]:
    """Create missing tables and seed the empty ones; return the rows added per table
    (``ob_action`` starts empty: officers fill it)."""
    added = dict.fromkeys(metadata.tables, 0)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.run_sync(_add_missing_columns)
        for table, rows_for in SEEDS:
            added[table.name] = await _seed_if_empty(connection, table, rows_for(today))
    return added


async def _seed_if_empty(
    connection: AsyncConnection, table: Table, rows: list[dict[str, Any]]
) -> int:
    existing = await connection.scalar(select(func.count()).select_from(table))
    if existing:
        return 0
    await connection.execute(insert(table), rows)
    return len(rows)


def _add_missing_columns(connection: Connection) -> None:
    """Bring an ``ob_register`` made by an older release up to the current columns."""
    present = {column["name"] for column in inspect(connection).get_columns(ob_register.name)}
    for name in ADDED_COLUMNS:
        if name not in present:
            column = ob_register.c[name]
            kind = column.type.compile(dialect=connection.dialect)
            connection.execute(text(f"ALTER TABLE {ob_register.name} ADD COLUMN {name} {kind}"))
    HUB_TICKET_INDEX.create(connection, checkfirst=True)
