"""Fresh databases for tests: an SQLite file, or a PostgreSQL database of the test's own."""

from __future__ import annotations

import asyncio
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
