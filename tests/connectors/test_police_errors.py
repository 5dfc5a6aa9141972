"""Every failure of the Occurrence Book becomes the right hub error; settings are checked.

SQLite failures come from the stand-in's file (locked when down) or from a copy of it
altered the way a careless migration would; PostgreSQL failures from the stand-in's
TCP proxy and from the server itself.
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from connectors.police import OccurrenceStatus, PoliceConnector, PoliceSettings
from hub.connector import (
    AgencyBadResponse,
    AgencyRejected,
    AgencyTimeout,
    AgencyUnavailable,
    BidQuery,
    HealthStatus,
    NewsQuery,
    NoSettings,
    ServiceQuery,
    VacancyQuery,
)
from legacy.running import RunningStandIn
from tests.connectors.test_police import AGENCY, opened, police_standin
from tests.support.databases import administer, run_async

LOCKED_WAIT = 0.05
"""How long the connector waits on a locked SQLite file before giving up, in seconds."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# ------------------------------------------------------------------------- SQLite


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStandIn]:
    with police_standin("sqlite", tmp_path_factory.mktemp("police")) as running:
        yield running


@pytest.fixture
async def sqlite_connector(on_sqlite: RunningStandIn) -> AsyncIterator[PoliceConnector]:
    settings = {**on_sqlite.connector_settings, "connect_timeout": LOCKED_WAIT}
    async with opened(settings) as connector:
        yield connector
    on_sqlite.reset_faults()


async def test_locked_file_is_unavailable(
    on_sqlite: RunningStandIn, sqlite_connector: PoliceConnector
) -> None:
    assert (await sqlite_connector.health()).status is HealthStatus.UP
    on_sqlite.set_faults(down=True)
    calls: list[Callable[[], Awaitable[object]]] = [
        sqlite_connector.health,
        lambda: sqlite_connector.services(ServiceQuery()),
        lambda: sqlite_connector.occurrences(["OB/1/01/03/2026"]),
        lambda: sqlite_connector.security_alerts(["Nairobi"]),
    ]
    for call in calls:
        with pytest.raises(AgencyUnavailable, match="database is locked") as caught:
            await call()
        assert caught.value.agency == "police"

    on_sqlite.set_faults(down=False)
    assert len(await sqlite_connector.services(ServiceQuery())) == 16


async def test_missing_file_is_unavailable(tmp_path: Path) -> None:
    # open() must not touch the file: a dead agency at start-up is only unhealthy
    async with opened({"database_url": f"sqlite+aiosqlite:///{tmp_path / 'gone.db'}"}) as conn:
        with pytest.raises(AgencyUnavailable, match="unable to open database file"):
            await conn.news(NewsQuery())


@pytest.fixture
def altered(on_sqlite: RunningStandIn, tmp_path: Path) -> Callable[..., dict[str, Any]]:
    """Copy the stand-in's database, run SQL on the copy, return settings that read it."""
    source = make_url(on_sqlite.connector_settings["database_url"]).database
    assert source is not None

    def alter(*statements: str) -> dict[str, Any]:
        copy = tmp_path / "altered.db"
        shutil.copy(source, copy)
        with closing(sqlite3.connect(copy)) as database, database:
            for statement in statements:
                database.execute(statement)
        return {"database_url": f"sqlite+aiosqlite:///{copy}"}

    return alter


@pytest.mark.parametrize(
    ("statement", "call", "message"),
    [
        (
            "DROP TABLE recruitment_notice",
            lambda c: c.vacancies(VacancyQuery()),
            "schema is not the one.*no such table: recruitment_notice",
        ),
        (
            "ALTER TABLE tender_notice DROP COLUMN tender_desc",
            lambda c: c.bids(BidQuery()),
            "schema is not the one.*no such column: tender_notice.tender_desc",
        ),
        (
            "DROP TABLE police_station",
            lambda c: c.health(),
            "no such table: police_station",
        ),
        (
            "UPDATE tender_notice SET tender_status = 'PENDING' WHERE tender_id = 3",
            lambda c: c.bids(BidQuery()),
            "cannot read: tender NPS/ONT/003/2025-2026 has the unknown status 'PENDING'",
        ),
        (
            "UPDATE security_alert SET alert_level = 'SEVERE' WHERE alert_area = 'Nairobi CBD'",
            lambda c: c.security_alerts(["Nairobi"]),
            "cannot read: alert 1 has the unknown level 'SEVERE'",
        ),
        (
            "UPDATE service_catalogue SET online_yn = 'X' WHERE svc_code = 'PCC'",
            lambda c: c.services(ServiceQuery()),
            "cannot read: expected Y or N, got 'X'",
        ),
        (
            "UPDATE public_notice SET published_at = 'last tuesday' WHERE pn_id = 2",
            lambda c: c.news(NewsQuery()),
            "cannot read: .*'last tuesday'",
        ),
        (
            "UPDATE recruitment_notice SET no_of_posts = 'many' WHERE rec_id = 2",
            lambda c: c.vacancies(VacancyQuery()),
            "cannot read: .*'many'",
        ),
    ],
)
async def test_schema_drift_and_unreadable_rows_are_bad_responses(
    altered: Callable[..., dict[str, Any]],
    statement: str,
    call: Callable[[PoliceConnector], Awaitable[object]],
    message: str,
) -> None:
    async with opened(altered(statement)) as connector:
        with pytest.raises(AgencyBadResponse, match=message) as caught:
            await call(connector)
    assert caught.value.agency == "police"


async def test_unknown_occurrence_status_is_other(
    altered: Callable[..., dict[str, Any]],
) -> None:
    settings = altered("UPDATE ob_register SET ob_status = 'transferred to kilimani'")
    engine = create_async_engine(settings["database_url"])
    try:
        async with engine.connect() as connection:
            number = await connection.scalar(text("SELECT ob_no FROM ob_register LIMIT 1"))
    finally:
        await engine.dispose()
    async with opened(settings) as connector:
        record = (await connector.occurrences([number]))[number]
    assert record.status is OccurrenceStatus.OTHER
    assert record.status_text == "Transferred to kilimani"


# --------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="module")
def on_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStandIn]:
    """The stand-in on PostgreSQL, whose database has lost its recruitment_notice table."""
    with police_standin("postgresql", tmp_path_factory.mktemp("police")) as running:
        database = make_url(running.options.database_url)
        run_async(lambda: administer(database, "DROP TABLE recruitment_notice"))
        yield running


@pytest.fixture
async def pg_connector(on_postgres: RunningStandIn) -> AsyncIterator[PoliceConnector]:
    async with opened(on_postgres.connector_settings) as connector:
        yield connector
    on_postgres.reset_faults()


def through_proxy(standin: RunningStandIn, **parts: Any) -> dict[str, Any]:
    """Connector settings that reach the proxy with parts of the URL changed."""
    url = make_url(standin.connector_settings["database_url"]).set(**parts)
    return {"database_url": url.render_as_string(hide_password=False)}


@pytest.mark.postgres
async def test_down_is_unavailable_and_recovers(
    on_postgres: RunningStandIn, pg_connector: PoliceConnector
) -> None:
    assert len(await pg_connector.services(ServiceQuery())) == 16  # a pooled connection
    on_postgres.set_faults(down=True)
    for call in (pg_connector.health, lambda: pg_connector.services(ServiceQuery())):
        with pytest.raises(AgencyUnavailable, match="unavailable") as caught:
            await call()
        assert caught.value.agency == "police"
    on_postgres.set_faults(down=False)
    assert len(await pg_connector.services(ServiceQuery())) == 16
    assert (await pg_connector.health()).status is HealthStatus.UP


@pytest.mark.postgres
async def test_reset_connections_are_unavailable(
    on_postgres: RunningStandIn, pg_connector: PoliceConnector
) -> None:
    on_postgres.set_faults(error_rate=1.0)
    with pytest.raises(AgencyUnavailable, match="unavailable"):
        await pg_connector.news(NewsQuery())


@pytest.mark.postgres
async def test_missing_table_is_a_bad_response(pg_connector: PoliceConnector) -> None:
    with pytest.raises(AgencyBadResponse, match='relation "recruitment_notice" does not exist'):
        await pg_connector.vacancies(VacancyQuery())
    assert (await pg_connector.health()).status is HealthStatus.UP


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"database": "police_no_such_database"}, 'database "police_no_such_database"'),
        ({"username": "no_such_officer"}, 'role "no_such_officer" does not exist'),
    ],
)
async def test_refused_login_is_rejected(
    on_postgres: RunningStandIn, parts: dict[str, str], message: str
) -> None:
    async with opened(through_proxy(on_postgres, **parts)) as connector:
        with pytest.raises(AgencyRejected, match=message) as caught:
            await connector.services(ServiceQuery())
    assert "check database_url" in caught.value.reason


async def test_refused_connection_is_unavailable() -> None:
    url = f"postgresql+asyncpg://hub@127.0.0.1:{free_port()}/occurrence_book"
    async with opened({"database_url": url}) as connector:
        with pytest.raises(AgencyUnavailable, match="unavailable"):
            await connector.health()


async def test_silent_server_is_a_timeout() -> None:
    with socket.socket() as silent:  # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        url = f"postgresql+asyncpg://hub@127.0.0.1:{port}/occurrence_book"
        async with opened({"database_url": url, "connect_timeout": 0.1}) as connector:
            with pytest.raises(AgencyTimeout, match="no database connection in time"):
                await connector.health()


# ------------------------------------------------------------------------ settings


async def test_calls_before_open_say_so() -> None:
    connector = PoliceConnector(AGENCY, PoliceSettings(database_url="sqlite+aiosqlite:///x.db"))
    with pytest.raises(RuntimeError, match="not open"):
        await connector.services(ServiceQuery())


def test_needs_its_own_settings() -> None:
    with pytest.raises(TypeError, match="needs PoliceSettings, got NoSettings"):
        PoliceConnector(AGENCY, NoSettings())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"database_url": "sqlite:///var/legacy/police.db"}, "not asynchronous"),
        ({"database_url": "postgresql+nosuchdriver://ob-db/ob"}, "unknown database driver"),
        ({"database_url": "the occurrence book"}, "not a database URL"),
        ({"pool_size": 0}, "greater than or equal to 1"),
        ({"connect_timeout": 0}, "greater than 0"),
        ({"timezone": "Africa/Atlantis"}, "unknown time zone"),
        ({"api_key": "k"}, "Extra inputs are not permitted"),
    ],
)
def test_settings_are_checked(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        PoliceSettings(**{"database_url": "sqlite+aiosqlite:///var/legacy/police.db", **changes})


def test_settings_defaults_and_secret() -> None:
    url = "postgresql+asyncpg://hub:very-secret@ob-db:5432/occurrence_book"
    settings = PoliceSettings(database_url=url)
    assert (settings.pool_size, settings.connect_timeout) == (5, 2.0)
    assert settings.timezone == "Africa/Nairobi"
    assert settings.url.password == "very-secret"
    assert "very-secret" not in repr(settings)
    with pytest.raises(ValidationError) as caught:
        PoliceSettings(database_url=url.replace("asyncpg", "psycopg2"))
    assert "very-secret" not in str(caught.value)
