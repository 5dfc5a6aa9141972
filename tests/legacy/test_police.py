"""The police stand-in: its Occurrence Book database, seeded around a day, and its knobs.

The database is reached with the real drivers: ``sqlite3`` and SQLAlchemy on the
SQLite file, ``asyncpg`` through the stand-in's TCP proxy on PostgreSQL. Each
PostgreSQL test works in a database of its own, dropped afterwards.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from legacy import Faults, StandInOptions, create_standin
from legacy.police import SYSTEM_NAME, metadata, ob_number, prepare_database
from legacy.running import RunningStandIn, running_standin
from tests.support.databases import database, postgres_database, run_async

TODAY = date(2026, 3, 10)
TABLES = [
    "ob_action",
    "ob_register",
    "police_station",
    "public_notice",
    "recruitment_notice",
    "security_alert",
    "service_catalogue",
    "tender_notice",
]
SEEDED = {
    "ob_action": 0,
    "police_station": 42,
    "ob_register": 60,
    "security_alert": 15,
    "recruitment_notice": 16,
    "public_notice": 25,
    "service_catalogue": 16,
    "tender_notice": 16,
}
OB_NUMBER = re.compile(r"OB/(\d+)/(\d{2})/(\d{2})/(\d{4})")
NETWORK_ONLY = "needs a network database"
CALM = {"latency": 0.0, "error_rate": 0.0, "down": False}


def knobs(body: dict[str, Any]) -> dict[str, Any]:
    """The knobs every stand-in has, out of a ``/_faults`` answer."""
    return {name: body[name] for name in CALM}


# --------------------------------------------------------------------------- helpers


def describe(standin: RunningStandIn) -> dict[str, Any]:
    response = httpx.get(f"{standin.url}/", timeout=5)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def put_faults(standin: RunningStandIn, **changes: Any) -> httpx.Response:
    return httpx.put(f"{standin.url}/_faults", json=changes, timeout=10)


async def table_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the Occurrence Book at ``url``."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                name: [
                    dict(row._mapping)
                    for row in await connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for name, table in metadata.tables.items()
            }
    finally:
        await engine.dispose()


async def row_counts(url: str) -> dict[str, int]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                name: int(await connection.scalar(select(func.count()).select_from(table)) or 0)
                for name, table in metadata.tables.items()
            }
    finally:
        await engine.dispose()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningStandIn]:
    """The stand-in over a fresh database on each backend, seeded around TODAY."""
    with (
        database(request.param, tmp_path_factory.mktemp("police")) as url,
        running_standin("police", StandInOptions(today=TODAY, database_url=url)) as running,
    ):
        yield running


@pytest.fixture(scope="module")
def rows(seeded: RunningStandIn) -> dict[str, list[dict[str, Any]]]:
    """Every row the stand-in seeded, read back through the database driver."""
    tables: dict[str, list[dict[str, Any]]] = run_async(
        lambda: table_rows(seeded.connector_settings["database_url"])
    )
    return tables


# ------------------------------------------------------------------- schema and seed


def test_describes_where_the_database_is(seeded: RunningStandIn) -> None:
    body = describe(seeded)
    url = make_url(body["database_url"])
    assert body["system"] == SYSTEM_NAME
    assert body["tables"] == TABLES
    assert body["seeded_around"] == TODAY.isoformat()
    assert knobs(body["faults"]) == CALM
    assert body["dialect"] == url.get_backend_name()
    if body["dialect"] == "sqlite":
        assert body["proxied"] is False
        assert url.drivername == "sqlite+aiosqlite"
        assert url.database is not None
        assert Path(url.database).is_absolute()
        assert Path(url.database).is_file()
    else:
        server = make_url(seeded.options.database_url)
        assert body["proxied"] is True
        assert url.drivername == "postgresql+asyncpg"
        assert (url.host, url.database) == ("127.0.0.1", server.database)
        assert url.port != (server.port or 5432)


async def test_every_table_is_seeded(seeded: RunningStandIn) -> None:
    assert await row_counts(seeded.connector_settings["database_url"]) == SEEDED


def test_occurrences_are_numbered_per_day_at_known_stations(
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    stations = {row["stn_code"] for row in rows["police_station"]}
    entries = rows["ob_register"]
    assert len({entry["ob_no"] for entry in entries}) == len(entries) >= 50
    for entry in entries:
        match = OB_NUMBER.fullmatch(entry["ob_no"])
        assert match, entry["ob_no"]
        day = entry["entry_date"]
        assert entry["ob_no"] == ob_number(entry["entry_no"], day)
        assert int(match[1]) == entry["entry_no"]
        assert TODAY - timedelta(days=120) <= day <= TODAY
        assert entry["reported_at"].date() == day
        assert entry["reported_at"] <= entry["last_action_at"]
        assert entry["stn_code"] in stations
        assert entry["compl_id_no"].isdigit()
    statuses = {entry["ob_status"] for entry in entries}
    assert {"REPORTED", "UNDER INVESTIGATION", "TAKEN TO COURT", "ABSTRACT ISSUED"} <= statuses
    assert len(statuses) >= 5
    lost = [entry for entry in entries if entry["occ_category"] == "LOST PROPERTY"]
    assert lost
    assert {entry["ob_status"] for entry in lost} == {"ABSTRACT ISSUED"}


def test_alerts_are_in_force_around_today(rows: dict[str, list[dict[str, Any]]]) -> None:
    noon = datetime.combine(TODAY, time(12))
    alerts = rows["security_alert"]
    in_force = [a for a in alerts if a["issued_at"] <= noon < a["expires_at"]]
    expired = [a for a in alerts if a["expires_at"] <= noon]
    assert len(in_force) + len(expired) == len(alerts)
    assert len(in_force) > len(expired) > 0
    assert {a["alert_level"] for a in alerts} == {"ADVISORY", "WARNING", "CRITICAL"}
    countrywide = [a for a in alerts if a["alert_area"] == "Countrywide"]
    assert countrywide
    assert all(a["county"] is None for a in countrywide)
    assert all(a["issued_at"].time() == time(7, 30) for a in alerts)


def test_recruitment_notices_are_open_around_today(
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    notices = rows["recruitment_notice"]
    open_today = [n for n in notices if n["open_date"] <= TODAY <= n["close_date"]]
    closed = [n for n in notices if n["close_date"] < TODAY]
    not_yet = [n for n in notices if n["open_date"] > TODAY]
    assert len(open_today) > len(closed) > 0
    assert not_yet
    for notice in notices:
        assert re.fullmatch(r"NPSC/REC/\d{4}/\d{3}", notice["rec_ref"])
        assert notice["no_of_posts"] >= 1
        salary = notice["monthly_salary_kes"]
        assert salary is None or (isinstance(salary, int) and salary > 0)
    constables = next(n for n in notices if n["post_title"].startswith("Police Constables"))
    assert constables["monthly_salary_kes"] == 38_000
    assert constables["open_date"] == TODAY - timedelta(days=6)


def test_notices_services_and_tenders(rows: dict[str, list[dict[str, Any]]]) -> None:
    published = [n["published_at"] for n in rows["public_notice"]]
    assert max(published).date() == TODAY - timedelta(days=3)
    assert min(published).date() >= TODAY - timedelta(days=183)

    services = {s["svc_code"]: s for s in rows["service_catalogue"]}
    clearance = services["PCC"]
    assert clearance["fee_kes"] == 1_050
    assert clearance["online_yn"] == "Y"
    assert clearance["requirements"].count(";") == 2
    assert clearance["last_updated"] == datetime.combine(TODAY - timedelta(days=20), time(10, 15))
    assert services["ABS"]["fee_kes"] is None
    assert services["ABS"]["apply_url"] is None

    tenders = rows["tender_notice"]
    assert {t["tender_status"] for t in tenders} == {
        "OPEN",
        "UNDER EVALUATION",
        "CLOSED",
        "AWARDED",
        "CANCELLED",
    }
    uniforms = next(t for t in tenders if t["tender_title"].endswith("police uniforms"))
    assert uniforms["tender_no"] == "NPS/ONT/001/2025-2026"
    assert uniforms["est_value_kes"] == 480_000_000
    assert uniforms["advert_date"] == TODAY - timedelta(days=10)
    assert uniforms["closing_at"] == datetime.combine(TODAY + timedelta(days=18), time(11))
    # an OPEN tender closing tomorrow: the register's word outlives its closing time
    assert any(
        t["tender_status"] == "OPEN" and t["closing_at"].date() == TODAY + timedelta(days=1)
        for t in tenders
    )


@pytest.mark.parametrize("backend", BACKENDS)
async def test_preparing_twice_adds_nothing(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as url:
        engine = create_async_engine(url)
        try:
            assert await prepare_database(engine, TODAY) == SEEDED
            first = await table_rows(url)
            later = TODAY + timedelta(days=30)
            assert await prepare_database(engine, later) == dict.fromkeys(SEEDED, 0)
            assert await table_rows(url) == first
        finally:
            await engine.dispose()


def test_restart_on_the_same_file_keeps_its_rows(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'police.db'}"
    with running_standin("police", StandInOptions(today=TODAY, database_url=url)):
        pass
    first = run_async(lambda: table_rows(url))
    later = TODAY + timedelta(days=7)
    with running_standin("police", StandInOptions(today=later, database_url=url)) as again:
        assert describe(again)["seeded_around"] == later.isoformat()
        assert run_async(lambda: table_rows(url)) == first


@pytest.mark.parametrize(
    ("database_url", "message"),
    [
        ("sqlite+aiosqlite:///:memory:", "needs an SQLite database file"),
        ("sqlite+aiosqlite://", "needs an SQLite database file"),
        ("not a database url", "cannot read the database URL"),
    ],
)
def test_unusable_database_urls_are_refused(database_url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        create_standin("police", StandInOptions(database_url=database_url))


# ------------------------------------------------------------------ knobs on SQLite


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStandIn]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('police') / 'police.db'}"
    with running_standin("police", StandInOptions(today=TODAY, database_url=url)) as running:
        yield running


@pytest.fixture
def sqlite_file(on_sqlite: RunningStandIn) -> Iterator[Path]:
    """The stand-in's database file; its knobs are reset after the test."""
    database = make_url(on_sqlite.connector_settings["database_url"]).database
    assert database is not None
    yield Path(database)
    on_sqlite.reset_faults()


def stations_in(path: Path) -> int:
    """Count stations as another program would, giving up at once on a locked file."""
    with closing(sqlite3.connect(path, timeout=0)) as reader:
        count: int = reader.execute("SELECT count(*) FROM police_station").fetchone()[0]
    return count


def test_down_locks_the_file(on_sqlite: RunningStandIn, sqlite_file: Path) -> None:
    assert stations_in(sqlite_file) == 42
    response = put_faults(on_sqlite, down=True)
    assert response.status_code == 200
    assert knobs(response.json()) == {**CALM, "down": True}
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        stations_in(sqlite_file)
    assert describe(on_sqlite)["faults"]["down"] is True
    assert put_faults(on_sqlite, down=True).status_code == 200  # already down: still locked
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        stations_in(sqlite_file)

    assert put_faults(on_sqlite, down=False).status_code == 200
    assert stations_in(sqlite_file) == 42


@pytest.mark.parametrize(
    ("knob", "value"), [("latency", 0.5), ("error_rate", 0.5), ("fail_next", 2)]
)
def test_network_knobs_are_refused_on_sqlite(
    on_sqlite: RunningStandIn, sqlite_file: Path, knob: str, value: float
) -> None:
    response = put_faults(on_sqlite, **{knob: value})
    assert response.status_code == 400
    message = response.json()["error"]
    assert message.startswith(f"{knob} {NETWORK_ONLY}")
    assert "PostgreSQL" in message
    now = httpx.get(f"{on_sqlite.url}/_faults", timeout=5).json()
    assert knobs(now) == CALM
    assert now.get(knob, 0) == 0


def test_a_refused_update_changes_nothing(on_sqlite: RunningStandIn, sqlite_file: Path) -> None:
    response = put_faults(on_sqlite, down=True, latency=0.2)
    assert response.status_code == 400
    assert NETWORK_ONLY in response.json()["error"]
    assert stations_in(sqlite_file) == 42
    assert describe(on_sqlite)["faults"]["down"] is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"down": "yes"}, "down must be true or false"),
        ({"outage": True}, "unknown fault knobs"),
        ([True], "expected a JSON object"),
    ],
)
def test_bad_knobs_are_refused(
    on_sqlite: RunningStandIn, sqlite_file: Path, body: Any, message: str
) -> None:
    response = httpx.put(f"{on_sqlite.url}/_faults", json=body, timeout=5)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_down_at_start_and_released_at_stop(tmp_path: Path) -> None:
    path = tmp_path / "police.db"
    options = StandInOptions(
        today=TODAY, database_url=f"sqlite+aiosqlite:///{path}", faults=Faults(down=True)
    )
    with (
        running_standin("police", options),
        pytest.raises(sqlite3.OperationalError, match="database is locked"),
    ):
        stations_in(path)
    assert stations_in(path) == 42


def test_write_ahead_log_cannot_be_locked(tmp_path: Path) -> None:
    path = tmp_path / "police.db"
    options = StandInOptions(today=TODAY, database_url=f"sqlite+aiosqlite:///{path}")
    with running_standin("police", options) as standin:
        with closing(sqlite3.connect(path)) as writer:
            assert writer.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
        response = put_faults(standin, down=True)
        assert response.status_code == 400
        assert "PRAGMA journal_mode=DELETE" in response.json()["error"]
        assert stations_in(path) == 42


# -------------------------------------------------------- knobs on PostgreSQL (proxy)


@pytest.fixture(scope="module")
def on_postgres() -> Iterator[RunningStandIn]:
    with (
        postgres_database() as url,
        running_standin("police", StandInOptions(today=TODAY, database_url=url)) as running,
    ):
        yield running


@pytest.fixture
def proxy_dsn(on_postgres: RunningStandIn) -> Iterator[str]:
    """The proxy's address as an asyncpg DSN; the knobs are reset after the test."""
    url = make_url(on_postgres.connector_settings["database_url"])
    yield url.set(drivername="postgresql").render_as_string(hide_password=False)
    on_postgres.reset_faults()


CUT = (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError)
"""What asyncpg raises when the proxy drops or refuses a connection."""


@pytest.mark.postgres
async def test_proxy_forwards_to_the_database(proxy_dsn: str) -> None:
    connection = await asyncpg.connect(proxy_dsn)
    try:
        assert await connection.fetchval("SELECT count(*) FROM ob_register") == 60
        name = await connection.fetchval("SELECT current_database()")
        assert name == make_url(proxy_dsn).database
    finally:
        await connection.close()


@pytest.mark.postgres
async def test_down_drops_open_connections_and_refuses_new_ones(
    on_postgres: RunningStandIn, proxy_dsn: str
) -> None:
    connection = await asyncpg.connect(proxy_dsn)
    try:
        assert await connection.fetchval("SELECT 1") == 1
        on_postgres.set_faults(down=True)
        with pytest.raises(CUT):
            await connection.fetchval("SELECT 1")
    finally:
        await connection.close()
    with pytest.raises(CUT):
        await asyncpg.connect(proxy_dsn)

    # the database server itself is untouched, and the proxy serves again once up
    server = make_url(on_postgres.options.database_url).set(drivername="postgresql")
    direct = await asyncpg.connect(server.render_as_string(hide_password=False))
    try:
        assert await direct.fetchval("SELECT count(*) FROM police_station") == 42
    finally:
        await direct.close()
    on_postgres.set_faults(down=False)
    again = await asyncpg.connect(proxy_dsn)
    try:
        assert await again.fetchval("SELECT count(*) FROM police_station") == 42
    finally:
        await again.close()


@pytest.mark.postgres
async def test_error_rate_resets_connections(on_postgres: RunningStandIn, proxy_dsn: str) -> None:
    response = put_faults(on_postgres, error_rate=1.0)
    assert response.status_code == 200
    assert response.json()["error_rate"] == 1.0
    with pytest.raises(CUT):
        await asyncpg.connect(proxy_dsn)
    on_postgres.set_faults(error_rate=0.0)
    connection = await asyncpg.connect(proxy_dsn)
    await connection.close()


@pytest.mark.postgres
async def test_latency_delays_every_answer(on_postgres: RunningStandIn, proxy_dsn: str) -> None:
    connection = await asyncpg.connect(proxy_dsn)
    try:
        assert put_faults(on_postgres, latency=0.2).status_code == 200
        # a patient client gets the right answer; an impatient one gives up
        assert await connection.fetchval("SELECT count(*) FROM security_alert") == 15
        with pytest.raises(TimeoutError):
            await connection.fetchval("SELECT 1", timeout=0.02)
    finally:
        on_postgres.reset_faults()
        await connection.close()
