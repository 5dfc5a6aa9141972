"""Fresh databases for tests: an SQLite file, or a PostgreSQL database of the test's own."""

from __future__ import annotations

import asyncio
import atexit
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.services import require_postgres


def run_async(make: Callable[[], Awaitable[Any]]) -> Any:
    """Run a coroutine to the end on a loop of its own, in a thread of its own (so that
    sync fixtures and async tests alike can use it)."""
    outcome: dict[str, Any] = {}

    async def awaited() -> Any:
        return await make()

    def work() -> None:
        try:
            outcome["value"] = asyncio.run(awaited())
        except BaseException as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


async def administer(server: URL, statement: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database of this test's own; dropped afterwards."""
    server = make_url(require_postgres())
    name = f"police_test_{uuid.uuid4().hex[:12]}"
    run_async(lambda: administer(server, f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        run_async(lambda: administer(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def database(backend: str, directory: Path) -> Iterator[str]:
    """The URL of a fresh Occurrence Book database on ``backend``."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{directory / 'police.db'}"
    else:
        with postgres_database() as url:
            yield url


_TEMPLATES: dict[str, str] = {}
"""The session's migrated PostgreSQL template database, once made."""


def _postgres_template() -> str:
    """A PostgreSQL database migrated to the newest revision once per test session, to
    copy from: ``CREATE DATABASE ... TEMPLATE`` takes a fraction of a migration's time."""
    if "postgres" not in _TEMPLATES:
        from hub.db import upgrade

        server = make_url(require_postgres())
        name = f"hub_template_{uuid.uuid4().hex[:12]}"
        run_async(lambda: administer(server, f'CREATE DATABASE "{name}"'))
        url = server.set(database=name).render_as_string(hide_password=False)
        run_async(lambda: upgrade(url))
        atexit.register(
            lambda: run_async(
                lambda: administer(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
        )
        _TEMPLATES["postgres"] = name
    return _TEMPLATES["postgres"]


@contextmanager
def migrated_database(backend: str, directory: Path) -> Iterator[str]:
    """The URL of a fresh hub database on ``backend``, already at the newest revision."""
    if backend == "sqlite":
        from hub.db import upgrade

        url = f"sqlite+aiosqlite:///{directory / 'hub.db'}"
        run_async(lambda: upgrade(url))
        yield url
        return
    template = _postgres_template()
    server = make_url(require_postgres())
    name = f"hub_test_{uuid.uuid4().hex[:12]}"
    run_async(lambda: administer(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        run_async(lambda: administer(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
