"""Where the Occurrence Book lives, and how the fault knobs reach it.

An SQLite file is shared with connectors directly and ``down`` locks it
(:mod:`legacy.police.lock`); a network database is reached through the faulty TCP
proxy (:mod:`legacy.police.proxy`), whose URL is the one connectors get.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from legacy.faults import Faults
from legacy.police.lock import SqliteLock
from legacy.police.proxy import FaultyProxy

DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}


class Backend(Protocol):
    """The database behind the stand-in, as the control app drives it."""

    database_url: URL
    """Where the stand-in itself creates and seeds the schema."""

    @property
    def connector_url(self) -> URL:
        """The URL a connector should use (the proxy's, for a network database)."""

    @property
    def network(self) -> bool:
        """Whether connectors reach the database over TCP."""

    async def start(self) -> None:
        """Get ready to serve connectors (before the schema is prepared)."""

    def apply(self, knobs: Faults) -> None:
        """A :class:`~legacy.faults.Faults` listener; ``ValueError`` refuses the knobs."""

    async def close(self) -> None:
        """Release everything :meth:`start` took."""


class SqliteBackend:
    """An SQLite database file; ``down`` holds an exclusive lock on it."""

    network = False

    def __init__(self, url: URL) -> None:
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            raise ValueError(
                f"the police stand-in needs an SQLite database file that connectors can open, "
                f"got {url.render_as_string()!r}; use e.g. sqlite+aiosqlite:///var/legacy/police.db"
            )
        self.path = Path(url.database).resolve()
        self.database_url = url.set(database=str(self.path))
        self._lock = SqliteLock(self.path)

    @property
    def connector_url(self) -> URL:
        return self.database_url

    async def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def apply(self, knobs: Faults) -> None:
        self._lock.apply(knobs)

    async def close(self) -> None:
        self._lock.release()


class NetworkBackend:
    """A database server reached through :class:`FaultyProxy` on ``proxy_port``."""

    network = True

    def __init__(self, url: URL, faults: Faults, proxy_port: int = 0) -> None:
        port = url.port or DEFAULT_PORTS.get(url.get_backend_name())
        if port is None:
            raise ValueError(
                f"{url.render_as_string()!r}: give the database server's port explicitly"
            )
        self.database_url = url
        self._proxy = FaultyProxy((url.host or "127.0.0.1", port), faults, port=proxy_port)

    @property
    def connector_url(self) -> URL:
        return self.database_url.set(host=self._proxy.host, port=self._proxy.port)

    async def start(self) -> None:
        await self._proxy.start()

    def apply(self, knobs: Faults) -> None:
        self._proxy.apply(knobs)

    async def close(self) -> None:
        await self._proxy.close()


def backend_for(database_url: str, faults: Faults, proxy_port: int = 0) -> Backend:
    """The backend for ``database_url`` (any SQLAlchemy async URL)."""
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise ValueError(
            f"cannot read the database URL {database_url!r} ({exc}); expected e.g. "
            "sqlite+aiosqlite:///var/legacy/police.db or postgresql+asyncpg://user@host/db"
        ) from exc
    if url.get_backend_name() == "sqlite":
        return SqliteBackend(url)
    return NetworkBackend(url, faults, proxy_port)
