"""Fixtures of the participation stores' tests: a fresh migrated database on each
backend, the stores over it for the demo agencies, and their event bus."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from hub.db import create_engine
from hub.events import MemoryBus
from hub.participation import Participation
from tests.hub.participation.support import AGENCIES, BACKENDS
from tests.support.databases import migrated_database


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh hub database at the newest revision: SQLite, then PostgreSQL."""
    with migrated_database(request.param, tmp_path) as fresh:
        yield fresh


@pytest.fixture
def bus() -> MemoryBus:
    """The in-process bus poll results are published on."""
    return MemoryBus()


@pytest.fixture
async def stores(url: str, bus: MemoryBus) -> AsyncIterator[Participation]:
    """The polls, feedback and alerts stores over ``url``, publishing on ``bus``."""
    engine = create_engine(url)
    try:
        yield Participation.over(engine, AGENCIES, bus)
    finally:
        await engine.dispose()
