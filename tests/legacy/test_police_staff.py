"""The police stand-in's staff moving entries along, and older databases brought up to date."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from legacy import StandInOptions
from legacy.police import STATUS_WORDS, advance, prepare_database
from legacy.police.schema import ADDED_COLUMNS, ob_action, ob_register
from legacy.police.staff import LOCAL_ZONE
from legacy.running import RunningStandIn, running_standin
from tests.support.databases import database

TODAY = date(2026, 3, 10)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=BACKENDS)
def standin(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningStandIn]:
    with (
        database(request.param, tmp_path_factory.mktemp("police")) as url,
        running_standin("police", StandInOptions(today=TODAY, database_url=url)) as running,
    ):
        yield running


def url_of(standin: RunningStandIn) -> str:
    url: str = standin.connector_settings["database_url"]
    return url


async def rows(url: str, ob_number: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The entry ``ob_number`` and its actions, oldest first."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            entry = (
                await connection.execute(
                    select(ob_register).where(ob_register.c.ob_no == ob_number)
                )
            ).one()
            actions = await connection.execute(
                select(ob_action)
                .where(ob_action.c.ob_no == ob_number)
                .order_by(ob_action.c.action_id)
            )
            return dict(entry._mapping), [dict(row._mapping) for row in actions]
    finally:
        await engine.dispose()


async def some_entry(url: str) -> str:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            number = await connection.scalar(select(ob_register.c.ob_no).limit(1))
    finally:
        await engine.dispose()
    assert isinstance(number, str)
    return number


async def test_an_action_moves_the_entry_and_is_recorded(standin: RunningStandIn) -> None:
    number = await some_entry(url_of(standin))
    moment = datetime(2026, 3, 12, 9, 15, 30, 123456, tzinfo=LOCAL_ZONE)
    recorded = await advance(url_of(standin), number, "PUI", "File with the OCS", at=moment)
    assert recorded == moment
    entry, actions = await rows(url_of(standin), number)
    assert (entry["ob_status"], entry["last_action_at"]) == ("PUI", moment.replace(tzinfo=None))
    assert actions[-1] == {
        "action_id": actions[-1]["action_id"],
        "ob_no": number,
        "action_at": moment.replace(tzinfo=None),
        "ob_status": "PUI",
        "remarks": "File with the OCS",
        "officer_svc_no": "231456",
    }


async def test_remarks_alone_leave_the_status(standin: RunningStandIn) -> None:
    number = await some_entry(url_of(standin))
    await advance(url_of(standin), number, "PBC", at=datetime(2026, 3, 13, 8, 0))
    in_utc = datetime(2026, 3, 13, 6, 30, tzinfo=UTC)
    recorded = await advance(
        url_of(standin), number, None, "Hearing on Monday", officer="7", at=in_utc
    )
    assert recorded == in_utc
    entry, actions = await rows(url_of(standin), number)
    assert entry["ob_status"] == "PBC"
    assert entry["last_action_at"] == datetime(2026, 3, 13, 9, 30)
    assert (actions[-1]["ob_status"], actions[-1]["remarks"], actions[-1]["officer_svc_no"]) == (
        None,
        "Hearing on Monday",
        "7",
    )


async def test_actions_without_a_time_are_stamped_now_in_order(standin: RunningStandIn) -> None:
    number = await some_entry(url_of(standin))
    first = await advance(url_of(standin), number, "UNDER INVESTIGATION")
    second = await advance(url_of(standin), number, None, "Witness found")
    assert first.tzinfo is LOCAL_ZONE
    assert first < second


@pytest.mark.parametrize(
    ("status", "note", "error", "message"),
    [
        ("SOLVED", None, ValueError, "unknown status word 'SOLVED'"),
        ("closed", None, ValueError, "unknown status word 'closed'"),
        (None, None, ValueError, "needs a new status, remarks, or both"),
        (None, "", ValueError, "needs a new status, remarks, or both"),
    ],
)
async def test_bad_actions_are_refused(
    standin: RunningStandIn,
    status: str | None,
    note: str | None,
    error: type[Exception],
    message: str,
) -> None:
    number = await some_entry(url_of(standin))
    _, before = await rows(url_of(standin), number)
    with pytest.raises(error, match=message):
        await advance(url_of(standin), number, status, note)
    assert (await rows(url_of(standin), number))[1] == before


async def test_an_unknown_entry_is_refused_and_nothing_recorded(standin: RunningStandIn) -> None:
    with pytest.raises(LookupError, match="no entry OB/999/01/01/2020"):
        await advance(url_of(standin), "OB/999/01/01/2020", "CLOSED", "Closed")
    engine = create_async_engine(url_of(standin))
    try:
        async with engine.connect() as connection:
            orphans = await connection.scalar(
                select(ob_action.c.action_id).where(ob_action.c.ob_no == "OB/999/01/01/2020")
            )
    finally:
        await engine.dispose()
    assert orphans is None


def test_the_status_words_are_the_systems() -> None:
    assert "REPORTED" in STATUS_WORDS
    assert len(set(STATUS_WORDS)) == len(STATUS_WORDS)
    assert all(word == word.upper() and len(word) <= 30 for word in STATUS_WORDS)


async def test_a_database_of_an_older_release_gets_the_ticket_columns(tmp_path: Path) -> None:
    path = tmp_path / "police.db"
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await prepare_database(engine, TODAY)
        with closing(sqlite3.connect(path)) as old:
            old.execute("DROP INDEX uq_ob_register_hub_ticket")
            for column in ADDED_COLUMNS:
                old.execute(f"ALTER TABLE ob_register DROP COLUMN {column}")
            old.commit()
        assert await prepare_database(engine, TODAY) == dict.fromkeys(_tables(path), 0)
    finally:
        await engine.dispose()
    with closing(sqlite3.connect(path)) as upgraded:
        columns = {row[1] for row in upgraded.execute("PRAGMA table_info(ob_register)")}
        indexes = {row[1]: row[2] for row in upgraded.execute("PRAGMA index_list(ob_register)")}
        filled = upgraded.execute("SELECT ob_no FROM ob_register LIMIT 2").fetchall()
        upgraded.execute(
            "UPDATE ob_register SET hub_ticket_id = 'tkt-1' WHERE ob_no = ?", filled[0]
        )
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            upgraded.execute(
                "UPDATE ob_register SET hub_ticket_id = 'tkt-1' WHERE ob_no = ?", filled[1]
            )
    assert set(ADDED_COLUMNS) <= columns
    assert indexes["uq_ob_register_hub_ticket"] == 1


def _tables(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
