"""The hub's database engine: an SQLite file on a laptop, PostgreSQL in production."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SQLITE = "sqlite+aiosqlite"
POSTGRESQL = "postgresql+asyncpg"
ACCEPTED_FORMS = "sqlite+aiosqlite:///path/to/hub.db or postgresql+asyncpg://user@host:5432/name"

BUSY_TIMEOUT_MS = 5000
"""How long an SQLite connection waits for another one's write lock before failing."""


def create_engine(url: str) -> AsyncEngine:
    """An engine for the hub's database at ``url``.

    SQLite files get their folder created and every connection is set to the WAL
    journal, enforced foreign keys and a busy timeout. Any other kind of URL is a
    :class:`ValueError` naming the accepted forms.
    """
    parsed = parse_url(url)
    if parsed.drivername == SQLITE:
        return _sqlite_engine(parsed)
    return create_async_engine(
        parsed,
        pool_pre_ping=True,
        connect_args={"server_settings": {"application_name": "citizen-hub"}},
    )


def parse_url(url: str) -> URL:
    """``url`` checked to be one the hub accepts; :class:`ValueError` otherwise."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ValueError(
            f"cannot read the database URL {url!r} ({exc}); use {ACCEPTED_FORMS}"
        ) from None
    if parsed.drivername not in (SQLITE, POSTGRESQL):
        raise ValueError(
            f"the hub's database URL must be {ACCEPTED_FORMS}; got the driver "
            f"{parsed.drivername!r} in {parsed.render_as_string()!r}"
        )
    if parsed.drivername == SQLITE and _in_memory(parsed):
        raise ValueError(
            f"the hub needs an SQLite database file, got {parsed.render_as_string()!r}; "
            "use e.g. sqlite+aiosqlite:///var/hub.db"
        )
    return parsed


def is_sqlite(engine: AsyncEngine) -> bool:
    """Whether ``engine`` is on SQLite (otherwise it is on PostgreSQL)."""
    return engine.dialect.name == "sqlite"


def _in_memory(url: URL) -> bool:
    return (url.database or "") in ("", ":memory:") or url.query.get("mode") == "memory"


def _sqlite_engine(url: URL) -> AsyncEngine:
    assert url.database is not None
    Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url)
    event.listen(engine.sync_engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # The busy timeout comes first: switching to WAL needs a lock another
        # connection may hold.
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


__all__ = ["ACCEPTED_FORMS", "BUSY_TIMEOUT_MS", "create_engine", "is_sqlite", "parse_url"]
