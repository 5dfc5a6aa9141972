"""Count the SQL statements an engine really sends, with SQLAlchemy's event listener."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine


@contextmanager
def statements_sent(engine: AsyncEngine | Engine | type[Engine]) -> Iterator[list[str]]:
    """The statements ``engine`` sends to its database while the block runs, in order;
    given the class ``Engine``, those of every engine of the process."""
    sync = engine.sync_engine if isinstance(engine, AsyncEngine) else engine
    sent: list[str] = []

    def record(
        connection: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        sent.append(statement)

    event.listen(sync, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(sync, "before_cursor_execute", record)
