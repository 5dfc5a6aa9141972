"""Tracking numbers people can read aloud: ``CH-2026-004217``.

The year of submission and that year's counter, at least six digits. The counter is
taken inside the submission's transaction by one upsert that increments and returns
it, so two submissions never get the same number: PostgreSQL holds the counter's row
lock until the transaction ends, SQLite the database's write lock. A rolled-back
submission gives its number back.
"""

from __future__ import annotations

import re

from sqlalchemy import Dialect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hub.errors import InvalidInput
from hub.tickets.models import TicketSequence

PREFIX = "CH"
EXAMPLE = "CH-2026-004217"
_PATTERN = re.compile(rf"{PREFIX}-(\d{{4}})-(\d{{6,}})")


def format_tracking_number(year: int, number: int) -> str:
    """The tracking number of the ``number``-th ticket of ``year``."""
    if not 1000 <= year <= 9999 or number < 1:
        raise ValueError(f"no tracking number for year {year}, number {number}")
    return f"{PREFIX}-{year:04d}-{number:06d}"


def parse_tracking_number(text: str, *, argument: str = "trackingNumber") -> str:
    """``text`` as a tracking number in its canonical form (upper case, no spaces around).

    :class:`InvalidInput` on ``argument`` when it is not shaped like one.
    """
    canonical = text.strip().upper()
    if len(canonical) > 20 or not _PATTERN.fullmatch(canonical):
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise InvalidInput(
            argument, f"{shown!r} is not a tracking number; they read like {EXAMPLE}"
        )
    return canonical


async def next_tracking_number(session: AsyncSession, year: int) -> str:
    """Take the next tracking number of ``year`` in ``session``'s transaction."""
    dialect: Dialect = session.get_bind().dialect
    insert = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(TicketSequence)
        .values(year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=[TicketSequence.year],
            set_={"last_number": TicketSequence.last_number + 1},
        )
        .returning(TicketSequence.last_number)
    )
    number = (await session.execute(statement)).scalar_one()
    return format_tracking_number(year, number)


__all__ = ["EXAMPLE", "format_tracking_number", "next_tracking_number", "parse_tracking_number"]
