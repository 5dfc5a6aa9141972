"""The audit log in the hub's database: record entries, search them page by page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, insert, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.audit.entry import AuditEntry
from hub.audit.query import AuditFilter, AuditPage, StoredAuditEntry, decode_cursor, encode_cursor
from hub.audit.table import FILTERED, audit_log
from hub.db import as_utc

MAX_PAGE_SIZE = 500


class AuditLog:
    """The append-only ``audit_log`` table, an :class:`~hub.audit.entry.AuditSink`.

    The table must exist: run :func:`hub.db.upgrade` first.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def record(self, entry: AuditEntry) -> None:
        """Store ``entry``; it is committed when this returns."""
        values = _values(entry)
        async with self.engine.begin() as connection:
            await connection.execute(insert(audit_log).values(values))

    async def search(self, filter: AuditFilter, first: int, after: str | None = None) -> AuditPage:
        """The ``first`` entries matching ``filter``, newest first, after the cursor
        ``after`` (an ``end_cursor`` of an earlier page of this search).

        :class:`ValueError` for a ``first`` outside 0..MAX_PAGE_SIZE or a cursor the
        log did not issue.
        """
        if not 0 <= first <= MAX_PAGE_SIZE:
            raise ValueError(f"first must be between 0 and {MAX_PAGE_SIZE}, got {first}")
        matching = _conditions(filter)
        page = list(matching)
        if after is not None:
            at, id_ = decode_cursor(after)
            page.append(or_(audit_log.c.at < at, and_(audit_log.c.at == at, audit_log.c.id < id_)))
        rows_query = (
            select(audit_log)
            .where(*page)
            .order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
            .limit(first + 1)
        )
        count_query = select(func.count()).select_from(audit_log).where(*matching)
        async with self.engine.connect() as connection:
            rows = (await connection.execute(rows_query)).all()
            total = (await connection.execute(count_query)).scalar_one()
        entries = [_stored(row) for row in rows[:first]]
        last = entries[-1] if entries else None
        return AuditPage(
            entries=entries,
            has_next_page=len(rows) > first,
            end_cursor=encode_cursor(last.at, last.id) if last else None,
            total_count=total,
        )


def _values(entry: AuditEntry) -> dict[str, Any]:
    try:
        at = as_utc(entry.at)
    except ValueError as exc:
        raise ValueError(f"AuditEntry.at: {exc}") from None
    return {
        column.name: getattr(entry, column.name) for column in audit_log.c if column.name != "id"
    } | {"at": at}


def _conditions(filter: AuditFilter) -> list[ColumnElement[bool]]:
    conditions = [
        audit_log.c[name] == getattr(filter, name)
        for name in FILTERED
        if getattr(filter, name) is not None
    ]
    if filter.since is not None:
        conditions.append(audit_log.c.at >= filter.since)
    if filter.until is not None:
        conditions.append(audit_log.c.at < filter.until)
    return conditions


def _stored(row: Row[Any]) -> StoredAuditEntry:
    return StoredAuditEntry(**row._asdict())


__all__ = ["MAX_PAGE_SIZE", "AuditLog"]
