"""Access to the real services tests need (PostgreSQL, Redis).

Outside CI a missing service skips the tests that need it; under ``CI=true`` it fails
them, so a CI run can never pass by silently skipping its PostgreSQL or Redis half.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

POSTGRES_URL = os.environ.get(
    "HUB_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("HUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def require(url: str, default_port: int, what: str) -> str:
    """Return ``url`` if its server answers; otherwise skip, or fail under CI."""
    if _reachable(url, default_port):
        return url
    message = f"{what} is not reachable at {url}; start it or set the URL's environment variable"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: required services must run)")
    pytest.skip(message)


def require_postgres() -> str:
    """The PostgreSQL URL for tests (``HUB_TEST_POSTGRES_URL``), checked reachable."""
    return require(POSTGRES_URL, 5432, "PostgreSQL")


def require_redis() -> str:
    """The Redis URL for tests (``HUB_TEST_REDIS_URL``), checked reachable."""
    return require(REDIS_URL, 6379, "Redis")
