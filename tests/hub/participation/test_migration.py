"""The participation tables' revision (``0003_participation``) goes up and down cleanly,
on SQLite and PostgreSQL; ``tests/hub/test_db.py`` checks they match the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from hub.db import create_engine, current_revision, upgrade
from hub.db.migrate import MIGRATIONS
from tests.hub.participation.support import BACKENDS, TABLES
from tests.support.databases import database

REVISION = "0003_participation"


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as fresh:
        yield fresh


def config(connection: Connection | None = None) -> Config:
    settings = Config(attributes={"connection": connection})
    settings.set_main_option("script_location", str(MIGRATIONS))
    return settings


async def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def downgrade(url: str, revision: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(lambda c: command.downgrade(config(c), revision))
    finally:
        await engine.dispose()


async def test_the_participation_revision_goes_down_and_up_again(url: str) -> None:
    below = ScriptDirectory.from_config(config()).get_revision(REVISION).down_revision
    assert isinstance(below, str)

    await upgrade(url, REVISION)
    assert await tables(url) >= set(TABLES)

    await downgrade(url, below)
    assert await current_revision(url) == below
    assert not await tables(url) & set(TABLES)

    await upgrade(url, REVISION)
    assert await tables(url) >= set(TABLES)
