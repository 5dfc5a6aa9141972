"""Fixtures of the watchers' tests: immigration and police stand-ins of this package's
own (their staff post adverts and issue alerts the session's other tests do not
expect), and a fresh migrated hub database on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from legacy import StandInOptions
from legacy.running import RunningStandIn, running_standin
from tests.hub.tickets.test_store_support import BACKENDS
from tests.support.databases import migrated_database


@pytest.fixture(scope="package")
def watched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningStandIn]]:
    """Immigration and police stand-ins (police on an SQLite file) for these tests."""
    police_db = tmp_path_factory.mktemp("watched-police") / "police.db"
    police = StandInOptions(database_url=f"sqlite+aiosqlite:///{police_db}")
    with (
        running_standin("immigration") as immigration,
        running_standin("police", police) as police_standin,
    ):
        yield {"immigration": immigration, "police": police_standin}


@pytest.fixture
def watched_standins(
    watched: dict[str, RunningStandIn],
) -> Iterator[dict[str, RunningStandIn]]:
    """The watched stand-ins, their fault knobs reset after each test."""
    yield watched
    for standin in watched.values():
        standin.reset_faults()


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh hub database at the newest revision: SQLite, then PostgreSQL."""
    with migrated_database(request.param, tmp_path) as fresh:
        yield fresh


@pytest.fixture
def hub_agencies(
    standins: dict[str, RunningStandIn], watched_standins: dict[str, RunningStandIn]
) -> dict[str, RunningStandIn]:
    """The session's stand-ins, with this package's own immigration stand-in."""
    return {**standins, "immigration": watched_standins["immigration"]}
