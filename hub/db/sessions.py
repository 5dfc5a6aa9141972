"""Sessions over the hub's database, as every store opens them.

A write is one transaction. On SQLite it starts with ``BEGIN IMMEDIATE``, so that it
holds the write lock from its first read: two writes never both read the same state
and then both write, and a writer waits (the busy timeout) instead of failing when
another one committed since it began. On PostgreSQL, stores lock the rows they change
(``FOR UPDATE``) or take advisory locks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hub.db.engine import is_sqlite
from hub.errors import HubError


class DatabaseBusy(HubError):
    """The hub's SQLite database stayed locked by other writers past its busy timeout."""

    code = "DATABASE_BUSY"


@asynccontextmanager
async def writing(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session in a write transaction, committed when the block ends (rolled back if
    it raises). Objects stay readable after the commit.

    On SQLite, a write that waited out the busy timeout is :class:`DatabaseBusy`, which
    nothing was written by and which the client may simply retry.
    """
    session = AsyncSession(engine, expire_on_commit=False)
    try:
        async with session, session.begin():
            if is_sqlite(engine):
                connection = await session.connection()
                await connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield session
    except OperationalError as exc:
        if is_sqlite(engine) and "database is locked" in str(exc.orig):
            raise DatabaseBusy(
                "the hub's database is busy with other writes and nothing was written; try "
                "again in a moment (an SQLite hub under this load belongs on PostgreSQL)"
            ) from exc
        raise


@asynccontextmanager
async def reading(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session for reads only."""
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session


__all__ = ["DatabaseBusy", "reading", "writing"]
