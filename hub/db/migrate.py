"""Bring the hub's database to the schema this code expects (Alembic, configured in code).

Upgrading is idempotent and safe to run from several processes at once: the whole
upgrade is one transaction, taken under a lock first (an advisory lock on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so a second process waits, then finds
nothing left to do. Within one process upgrades run one at a time, in a thread of
their own: Alembic keeps the migration being run in module globals.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db.engine import create_engine, is_sqlite

MIGRATIONS = Path(__file__).with_name("migrations")

ADVISORY_LOCK_KEY = 0x6875625F6462  # "hub_db": the PostgreSQL lock held while upgrading

_ONE_AT_A_TIME = threading.Lock()


async def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` to ``revision`` (default: the newest).

    A no-op when it is there already. :class:`ValueError` for a revision this
    code does not know.
    """
    await asyncio.to_thread(_upgrade_alone, url, revision)


def _upgrade_alone(url: str, revision: str) -> None:
    with _ONE_AT_A_TIME:
        asyncio.run(_upgrade_on_engine(url, revision))


async def _upgrade_on_engine(url: str, revision: str) -> None:
    engine = create_engine(url)
    if is_sqlite(engine):
        _take_write_lock_on_begin(engine)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_upgrade_on_connection, revision)
    finally:
        await engine.dispose()


async def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at; ``None`` if it was never migrated."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_current)
    finally:
        await engine.dispose()


async def head_revision() -> str:
    """The newest revision this code knows: what :func:`upgrade` migrates to."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"{MIGRATIONS / 'versions'} holds no revision")
    return head


def _config(**attributes: Any) -> Config:
    config = Config(attributes=attributes)
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    return config


def _upgrade_on_connection(connection: Connection, revision: str) -> None:
    try:
        with connection.begin():
            if connection.dialect.name == "postgresql":
                # Held until the transaction ends, committed or rolled back.
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
            command.upgrade(_config(connection=connection), revision)
    except CommandError as exc:
        raise ValueError(
            f"cannot upgrade the hub's database to {revision!r}: {exc}. This hub's newest "
            f"revision is {_head()!r}; a database at a revision it does not know was migrated "
            "by a newer hub: run that version"
        ) from None


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _head() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def _take_write_lock_on_begin(engine: AsyncEngine) -> None:
    """Make every transaction of ``engine`` a real SQLite transaction that holds the
    write lock from its start, DDL included (the driver's own mode runs DDL outside
    any transaction)."""

    @event.listens_for(engine.sync_engine, "connect")
    def manual_transactions(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def begin_immediate(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


__all__ = ["current_revision", "head_revision", "upgrade"]
