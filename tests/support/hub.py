"""Run the real hub on loopback over running stand-ins, and query it over HTTP."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from hub.app import create_app
from hub.settings import Settings
from legacy import BackgroundServer
from legacy.running import RunningStandIn, agencies_file


@dataclass
class RunningHub:
    """The hub serving on loopback."""

    server: BackgroundServer

    @property
    def url(self) -> str:
        return self.server.url

    def post(
        self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
    ) -> httpx.Response:
        """POST a GraphQL request and return the raw response."""
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        headers = {"accept": "application/graphql-response+json", **kwargs.pop("headers", {})}
        return httpx.post(f"{self.url}/graphql", json=body, headers=headers, timeout=30, **kwargs)

    def query(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """POST a GraphQL request and return the decoded body."""
        body: dict[str, Any] = self.post(query, variables).json()
        return body


@contextmanager
def running_hub(
    directory: Path,
    standins: Mapping[str, RunningStandIn],
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    **settings: Any,
) -> Iterator[RunningHub]:
    """Serve the hub over ``standins`` on a free loopback port for the block's duration.

    ``settings`` override the hub's settings. The stand-ins answer personal data only
    to the key they trust: pass ``assertion_key_file=hub_keys.private_file`` (the
    session's ``hub_keys`` fixture); by default the hub signs with a key of its own in
    ``directory``, which no stand-in trusts. The hub's database is an SQLite file in
    ``directory``, and rate limits are off unless ``rate_limit_burst`` is given.
    """
    settings.setdefault("assertion_key_file", directory / "hub-assertion-key.pem")
    settings.setdefault("database_url", f"sqlite+aiosqlite:///{directory / 'hub.db'}")
    settings.setdefault("rate_limit_burst", 0)
    settings.setdefault("workers_in_serve", False)
    path = agencies_file(directory / "agencies.yaml", standins, overrides)
    hub_settings = Settings(agencies_file=path, env_file=directory / "no.env", **settings)
    with BackgroundServer(create_app(hub_settings)) as server:
        yield RunningHub(server)
