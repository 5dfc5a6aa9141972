"""The hub's database as the running hub holds it: opened, brought up to date, closed."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.agencies import ConfigError
from hub.db import create_engine, current_revision, head_revision, is_sqlite, upgrade
from hub.settings import Settings


async def open_database(settings: Settings) -> AsyncEngine:
    """The engine of ``HUB_DATABASE_URL``, its schema checked to be current.

    An SQLite database (the embedded default) is upgraded in place; a PostgreSQL
    database is upgraded by an operator (``hub db upgrade``), and the hub refuses to
    start on one that is behind, since several hub processes may share it.
    """
    engine = create_engine(settings.database_url)
    try:
        if is_sqlite(engine):
            await upgrade(settings.database_url)
            return engine
        current, head = await current_revision(settings.database_url), await head_revision()
        if current != head:
            raise ConfigError(
                [
                    f"the database is at revision {current or 'none (empty)'}, this hub needs "
                    f"{head}: run 'hub db upgrade' first"
                ]
            )
    except BaseException:
        await engine.dispose()
        raise
    return engine


__all__ = ["open_database"]
