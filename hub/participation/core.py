"""What the participation stores share: the engine, the agencies the hub serves, and
their transactions (:mod:`hub.db.sessions`: on SQLite each write holds the write lock
from its first read). On PostgreSQL, a limit that counts a citizen's rows is kept under
a transaction-scoped advisory lock on that citizen (:meth:`StoreCore._lock_subject`).
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hub.db import as_utc, is_sqlite
from hub.db.sessions import reading, writing

_LOCK_SPACE = b"hub.participation:"
"""Prefix of the advisory lock keys, so they do not collide with other locks'."""


def moment(now: datetime | None) -> datetime:
    """``now`` in UTC, or the current time; :class:`ValueError` for a naive ``now``."""
    return datetime.now(UTC) if now is None else as_utc(now)


class StoreCore:
    """The engine and the served agencies a store's operations share."""

    def __init__(self, engine: AsyncEngine, agencies: Collection[str]) -> None:
        self.engine = engine
        self.agencies = frozenset(agencies)

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncSession]:
        """A session in a write transaction, committed when the block ends."""
        async with writing(self.engine) as session:
            yield session

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only."""
        async with reading(self.engine) as session:
            yield session

    async def _lock_subject(self, session: AsyncSession, subject: str) -> None:
        """Hold ``subject``'s lock until the transaction ends, so that its rows can be
        counted and added to without a concurrent writer doing the same (on SQLite the
        transaction's write lock does that already)."""
        if is_sqlite(self.engine):
            return
        digest = hashlib.sha256(_LOCK_SPACE + subject.encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


__all__ = ["StoreCore", "moment"]
