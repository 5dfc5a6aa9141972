"""The connection pools of the connector: one that reads, one that files tickets.

On SQLite both open the stand-in's file without ever creating it: the reading one
read-only, the filing one read-write with ``BEGIN IMMEDIATE`` transactions, so that
two filings never deadlock on upgrading their locks (SQLite would fail one at once
instead of waiting). ``connect_timeout`` is then how long a call waits for a locked
file. On a server database both are ordinary pools, and the filing pool is the
reading one unless ``filing_database_url`` names another role.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy import event
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from connectors.police.settings import PoliceSettings


def reading_engine(settings: PoliceSettings) -> AsyncEngine:
    """The pool lookups and listings read through."""
    url = settings.url
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(sqlite_file(url, "ro"), settings.connect_timeout)
    return _server_engine(url, settings)


def filing_engine(settings: PoliceSettings, reading: AsyncEngine) -> AsyncEngine:
    """The pool tickets are filed through; ``reading`` when the same role may write."""
    url = settings.filing_url
    if url.get_backend_name() == "sqlite":
        engine = _sqlite_engine(sqlite_file(url, "rw"), settings.connect_timeout)
        _begin_immediate(engine)
        return engine
    if settings.filing_database_url is None:
        return reading
    return _server_engine(url, settings)


def read_only(url: URL) -> URL:
    """An SQLite URL opened read-only: the connector never writes through it, and a
    missing file is an error rather than a new empty database."""
    return sqlite_file(url, "ro")


def sqlite_file(url: URL, mode: str) -> URL:
    """An SQLite URL opening an existing file in ``mode`` (``ro`` or ``rw``)."""
    database = url.database or ""
    if database.startswith("file:") or database in {"", ":memory:"}:
        return url
    # quoted, so that a '#' or '?' in the path does not end the file name of the URI
    return url.set(
        database=f"file:{quote(database)}", query={**url.query, "mode": mode, "uri": "true"}
    )


def _sqlite_engine(url: URL, timeout: float) -> AsyncEngine:
    return create_async_engine(url, connect_args={"timeout": timeout})


def _server_engine(url: URL, settings: PoliceSettings) -> AsyncEngine:
    timeout = settings.connect_timeout
    return create_async_engine(
        url,
        pool_size=settings.pool_size,
        max_overflow=0,
        pool_timeout=timeout,
        pool_pre_ping=True,
        connect_args={"timeout": timeout} if url.get_driver_name() == "asyncpg" else {},
    )


def _begin_immediate(engine: AsyncEngine) -> None:
    """Make every transaction of ``engine`` take SQLite's write lock when it begins."""

    @event.listens_for(engine.sync_engine, "connect")
    def _no_implicit_begin(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
