"""/healthz and /readyz."""

from __future__ import annotations

import httpx

from legacy.running import RunningStandIn
from tests.support.hub import RunningHub


def test_healthz_says_the_process_is_alive(hub: RunningHub) -> None:
    response = httpx.get(f"{hub.url}/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_reports_every_agency(hub: RunningHub, healthy: dict[str, RunningStandIn]) -> None:
    response = httpx.get(f"{hub.url}/readyz", timeout=30)
    assert response.status_code == 200
    agencies = response.json()["agencies"]
    assert set(agencies) == {"revenue", "immigration", "police", "hub_office"}
    assert all(a["status"] == "UP" for a in agencies.values()), agencies
    assert all(a["latencyMs"] >= 0 for a in agencies.values())


def test_readyz_stays_ready_when_an_agency_is_down(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    healthy["immigration"].set_faults(down=True)
    response = httpx.get(f"{hub.url}/readyz", timeout=30)
    assert response.status_code == 200
    agencies = response.json()["agencies"]
    assert agencies["immigration"]["status"] == "DOWN"
    assert "AGENCY_UNAVAILABLE" in agencies["immigration"]["detail"]
    assert agencies["revenue"]["status"] == "UP"
