"""Run stand-ins on loopback for tests and benchmarks, reach their knobs and counts,
and point a copy of the demo agencies file at them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from legacy.assertions import ASSERTIONS_PATH
from legacy.serving import BackgroundServer, StandInOptions, create_standin

DEMO_FILE = Path(__file__).resolve().parents[1] / "config" / "agencies.yaml"
"""The demo agencies file of a source checkout."""


@dataclass
class RunningStandIn:
    """A stand-in serving on loopback, and the settings its connector needs to reach it."""

    name: str
    server: BackgroundServer
    options: StandInOptions
    connector_settings: dict[str, Any]

    @property
    def url(self) -> str:
        return self.server.url

    def set_faults(self, **knobs: Any) -> None:
        """Change fault knobs through the stand-in's real control endpoint."""
        response = httpx.put(f"{self.url}/_faults", json=knobs, timeout=5)
        response.raise_for_status()

    def stats(self) -> dict[str, int]:
        """Counts of requests the stand-in's system served (HTTP stand-ins only)."""
        response = httpx.get(f"{self.url}/_stats", timeout=5)
        response.raise_for_status()
        counts: dict[str, int] = response.json()
        return counts

    def served(self) -> int:
        """Requests the stand-in's system has served (HTTP stand-ins only)."""
        return self.stats()["served"]

    def reset_served(self) -> None:
        """Start counting served requests from zero."""
        httpx.delete(f"{self.url}/_stats", timeout=5).raise_for_status()

    def reset_faults(self) -> None:
        self.set_faults(latency=0.0, error_rate=0.0, down=False, fail_next=0)

    def assertions(self) -> list[dict[str, Any]]:
        """The claims of the hub's assertions the stand-in accepted last, oldest first
        (HTTP stand-ins only)."""
        response = httpx.get(f"{self.url}{ASSERTIONS_PATH}", timeout=5)
        response.raise_for_status()
        accepted: list[dict[str, Any]] = response.json()["accepted"]
        return accepted

    def forget_assertions(self) -> None:
        """Forget the assertions accepted so far."""
        httpx.delete(f"{self.url}{ASSERTIONS_PATH}", timeout=5).raise_for_status()


def connector_settings(name: str, url: str, options: StandInOptions) -> dict[str, Any]:
    """The connector settings (as in ``config/agencies.yaml``) that reach this stand-in."""
    if name == "revenue":
        return {
            "endpoint": f"{url}/soap",
            "username": options.username,
            "password": options.password,
        }
    if name == "immigration":
        return {"base_url": f"{url}/api/v1", "api_key": options.api_key}
    if name == "police":
        info = httpx.get(f"{url}/", timeout=5).json()
        return {"database_url": info["database_url"]}
    raise ValueError(f"unknown stand-in {name!r}")


@contextmanager
def running_standin(name: str, options: StandInOptions | None = None) -> Iterator[RunningStandIn]:
    """Serve the stand-in ``name`` on a free loopback port for the block's duration."""
    options = options or StandInOptions()
    with BackgroundServer(create_standin(name, options)) as server:
        settings = connector_settings(name, server.url, options)
        yield RunningStandIn(name, server, options, settings)


def agencies_file(
    path: Path,
    standins: Mapping[str, RunningStandIn],
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    template: Path = DEMO_FILE,
) -> Path:
    """Write to ``path`` the ``template`` agencies file pointed at ``standins``, each
    agency updated with its entry of ``overrides``; return ``path``. Agencies with no
    legacy system (the hub's own office) keep their settings."""
    data = yaml.safe_load(template.read_text(encoding="utf-8"))
    for agency in data["agencies"]:
        if agency["connector"] != "hub_office":
            agency["settings"] = dict(standins[agency["id"]].connector_settings)
        agency.update((overrides or {}).get(agency["id"], {}))
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path
