"""Write sessions: committed when the block ends, rolled back when it raises, and on
SQLite a write that waits out the busy timeout is a coded error the client may retry."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

import hub.db.engine
from hub.db import create_engine
from hub.db.sessions import DatabaseBusy, reading, writing


async def _insert_then_fail(engine: AsyncEngine) -> None:
    async with writing(engine) as session:
        await session.execute(text("INSERT INTO notes VALUES ('half')"))
        raise RuntimeError("changed my mind")


async def test_a_write_commits_at_the_end_and_a_failed_one_leaves_nothing(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}")
    try:
        async with writing(engine) as session:
            await session.execute(text("CREATE TABLE notes (body TEXT)"))
        with pytest.raises(RuntimeError, match="changed my mind"):
            await _insert_then_fail(engine)
        async with reading(engine) as session:
            assert (await session.execute(text("SELECT count(*) FROM notes"))).scalar() == 0
    finally:
        await engine.dispose()


async def test_a_write_locked_out_past_the_busy_timeout_is_database_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "hub.db"
    monkeypatch.setattr(hub.db.engine, "BUSY_TIMEOUT_MS", 50)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        async with writing(engine) as session:
            await session.execute(text("CREATE TABLE notes (body TEXT)"))
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseBusy, match="nothing was written; try again") as busy:
            async with writing(engine) as session:
                await session.execute(text("INSERT INTO notes VALUES ('lost?')"))
        assert busy.value.code == "DATABASE_BUSY"
        holder.execute("ROLLBACK")
        async with reading(engine) as session:
            assert (await session.execute(text("SELECT count(*) FROM notes"))).scalar() == 0
    finally:
        holder.close()
        await engine.dispose()
