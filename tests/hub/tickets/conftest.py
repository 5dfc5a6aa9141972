"""Fixtures of the ticket store's tests: a fresh migrated database on each backend, and
a store over it with the demo routing rules."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from hub.tickets import TicketStore
from tests.hub.tickets.test_store_support import BACKENDS, opened_store
from tests.support.databases import migrated_database


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh hub database at the newest revision: SQLite, then PostgreSQL."""
    with migrated_database(request.param, tmp_path) as fresh:
        yield fresh


@pytest.fixture
async def store(url: str) -> AsyncIterator[TicketStore]:
    """A ticket store over ``url``."""
    async with opened_store(url) as opened:
        yield opened
