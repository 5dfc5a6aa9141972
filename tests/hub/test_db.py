"""The hub's own database: engines, migrations, concurrent upgrades; SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError

# The tables of the audit log, tickets, participation and watch marks join the metadata
# compared below.
import hub.audit
import hub.participation.models
import hub.tickets.models
import hub.watch.models  # noqa: F401
from hub.db import create_engine, current_revision, head_revision, metadata, upgrade
from tests.support.databases import database

FIRST_REVISION = "0001_audit_log"
HEAD = "0004_watch_marks"
TABLES = {
    "alembic_version",
    "audit_log",
    "tickets",
    "ticket_events",
    "ticket_attachments",
    "outbox",
    "ticket_sequences",
    "polls",
    "poll_options",
    "poll_votes",
    "agency_feedback",
    "saved_alerts",
    "watch_marks",
}
REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """Each database the hub runs on."""
    return str(request.param)


@pytest.fixture
def url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of this test's own on ``backend``."""
    with database(backend, tmp_path) as fresh:
        yield fresh


async def scalar(url: str, statement: str) -> object:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(text(statement))).scalar_one()
    finally:
        await engine.dispose()


async def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def insert_one_entry(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO audit_log (at, role, operation, field, outcome) "
                    "VALUES (CURRENT_TIMESTAMP, 'admin', 'query Q', 'f', 'OK')"
                )
            )
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    "bad",
    [
        "sqlite:///var/hub.db",
        "postgresql://postgres@127.0.0.1/hub",
        "postgresql+psycopg://postgres@127.0.0.1/hub",
        "mysql+aiomysql://root@127.0.0.1/hub",
        "sqlite+aiosqlite://",
        "sqlite+aiosqlite:///:memory:",
        "not a database url",
    ],
)
def test_create_engine_refuses_other_urls_naming_the_accepted_forms(bad: str) -> None:
    with pytest.raises(ValueError, match="sqlite\\+aiosqlite:///") as raised:
        create_engine(bad)
    assert "postgresql+asyncpg://" in str(raised.value) or ":memory:" in bad or bad.endswith("//")


async def test_sqlite_engine_creates_its_folder_and_configures_each_connection(
    tmp_path: Path,
) -> None:
    path = tmp_path / "not" / "yet" / "hub.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        for _ in range(2):  # a second pooled connection is configured too
            async with engine.connect() as connection:
                pragmas = {
                    name: (await connection.execute(text(f"PRAGMA {name}"))).scalar_one()
                    for name in ("journal_mode", "foreign_keys", "busy_timeout")
                }
                assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000}
    finally:
        await engine.dispose()
    assert path.is_file()


async def test_upgrade_from_empty_reaches_the_head(url: str) -> None:
    assert await current_revision(url) is None
    assert await table_names(url) == set()

    await upgrade(url)

    assert await head_revision() == HEAD
    assert await current_revision(url) == HEAD
    assert await table_names(url) == TABLES


async def test_upgrade_twice_changes_nothing(url: str) -> None:
    await upgrade(url)
    await insert_one_entry(url)

    await upgrade(url)

    assert await current_revision(url) == HEAD
    assert await scalar(url, "SELECT count(*) FROM alembic_version") == 1
    assert await scalar(url, "SELECT count(*) FROM audit_log") == 1


async def test_upgrade_to_a_named_revision(url: str) -> None:
    await upgrade(url, FIRST_REVISION)
    assert await current_revision(url) == FIRST_REVISION


async def test_upgrade_to_an_unknown_revision_is_refused(url: str) -> None:
    refused = r"'no_such_revision'.*newest revision is '0004_watch_marks'"
    with pytest.raises(ValueError, match=refused):
        await upgrade(url, "no_such_revision")
    assert await current_revision(url) is None
    assert await table_names(url) == set()


async def test_a_database_migrated_by_a_newer_hub_is_refused(url: str) -> None:
    await upgrade(url)
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = '9999_later'"))
    finally:
        await engine.dispose()

    with pytest.raises(ValueError, match="newer hub"):
        await upgrade(url)
    assert await current_revision(url) == "9999_later"


async def test_the_migrated_schema_matches_the_models(url: str) -> None:
    await upgrade(url)
    engine = create_engine(url)

    def differences(connection: Connection) -> list[object]:
        return list(compare_metadata(MigrationContext.configure(connection), metadata))

    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await engine.dispose()


UPGRADE_ON_GO = """
import asyncio, sys
from hub.db import upgrade
print("ready", flush=True)
sys.stdin.readline()
asyncio.run(upgrade(sys.argv[1]))
"""


def test_upgrades_from_concurrent_processes_migrate_once(url: str) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", UPGRADE_ON_GO, url],
            cwd=REPOSITORY,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(4)
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            assert process.stdout.readline() == "ready\n"
        for process in processes:  # all at once, each past its imports
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        outcomes = [(process.wait(timeout=120), process.communicate()[0]) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()

    assert outcomes == [(0, "")] * 4
    asyncio.run(expect_one_migration(url))


UPGRADE_ALL_AT_ONCE = """
import asyncio, sys
from hub.db import upgrade
async def main():
    print(await asyncio.gather(*(upgrade(url) for url in sys.argv[1:]), return_exceptions=True))
asyncio.run(main())
"""


def test_upgrades_in_one_process_at_once_migrate_each_database_once(
    backend: str, url: str, tmp_path: Path
) -> None:
    with database(backend, tmp_path / "second") as second:
        finished = subprocess.run(
            [sys.executable, "-c", UPGRADE_ALL_AT_ONCE, url, second, url, second],
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert (finished.returncode, finished.stdout, finished.stderr) == (
            0,
            "[None, None, None, None]\n",
            "",
        )
        for each in (url, second):
            asyncio.run(expect_one_migration(each))


async def expect_one_migration(url: str) -> None:
    assert await current_revision(url) == HEAD
    assert await scalar(url, "SELECT count(*) FROM alembic_version") == 1
    await insert_one_entry(url)
    engine = create_engine(url)
    try:
        with pytest.raises(DBAPIError, match="append-only"):
            async with engine.begin() as connection:
                await connection.execute(text("DELETE FROM audit_log"))
    finally:
        await engine.dispose()
