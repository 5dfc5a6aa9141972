"""Run the real hub on loopback over running stand-ins, and query it over HTTP."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from hub.app import create_app
from hub.settings import Settings
from legacy import BackgroundServer
from tests.support.standins import RunningStandIn

DEMO_FILE = Path(__file__).parents[2] / "config" / "agencies.yaml"


def agencies_file(
    directory: Path,
    standins: Mapping[str, RunningStandIn],
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Path:
    """The demo agencies file pointed at ``standins``, with per-agency ``overrides``."""
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    for agency in data["agencies"]:
        agency["settings"] = dict(standins[agency["id"]].connector_settings)
        agency.update((overrides or {}).get(agency["id"], {}))
    path = directory / "agencies.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


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
    """Serve the hub over ``standins`` on a free loopback port for the block's duration."""
    path = agencies_file(directory, standins, overrides)
    hub_settings = Settings(agencies_file=path, env_file=directory / "no.env", **settings)
    with BackgroundServer(create_app(hub_settings)) as server:
        yield RunningHub(server)
