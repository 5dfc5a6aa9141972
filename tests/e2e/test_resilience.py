"""Each guard on its own, through real HTTP against the stand-ins' fault knobs.

Every test starts its own hub, configured for the guard it tests, so that breakers,
caches and counters never leak between tests.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.agencies import AgencyRegistry, load_agencies
from hub.connector import AgencyUnavailable, ServiceQuery
from hub.gateway import Guard
from legacy.running import RunningStandIn, agencies_file
from tests.support.hub import RunningHub, running_hub
from tests.support.processes import hub_command
from tests.support.services import require_redis

NO_CACHE = {"services": 0, "news": 0, "vacancies": 0, "bids": 0}
IMMIGRATION_SERVICES = '{ services(first: 1, filter: {agencies: ["immigration"]}) { totalCount } }'


def only(agency: str, **config: Any) -> dict[str, dict[str, Any]]:
    """Agencies-file overrides for one agency, with its cache off unless given."""
    return {agency: {"cache_ttl": NO_CACHE, **config}}


async def query_all(hub: RunningHub, queries: list[str]) -> list[dict[str, Any]]:
    """Send ``queries`` to the hub at once, each on its own connection."""
    limits = httpx.Limits(max_connections=len(queries))
    async with httpx.AsyncClient(base_url=hub.url, timeout=30, limits=limits) as client:
        responses = await asyncio.gather(
            *(client.post("/graphql", json={"query": query}) for query in queries)
        )
    return [response.json() for response in responses]


def test_a_read_that_failed_fast_is_retried(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    immigration = healthy["immigration"]
    retry = {"retries": 2, "base_delay": 0.01, "budget_ratio": 1.0}
    with running_hub(tmp_path, healthy, only("immigration", retry=retry)) as hub:
        immigration.reset_served()
        immigration.set_faults(fail_next=2)
        body = hub.query(IMMIGRATION_SERVICES)
    assert "errors" not in body, body
    assert immigration.served() == 3


def test_retries_stop_when_the_budget_is_spent(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    immigration = healthy["immigration"]
    no_budget = {"retries": 5, "base_delay": 0.01, "budget_ratio": 0, "reserve_per_second": 0}
    with running_hub(tmp_path, healthy, only("immigration", retry=no_budget)) as hub:
        immigration.reset_served()
        immigration.set_faults(fail_next=1)
        body = hub.query(IMMIGRATION_SERVICES)
    assert body["errors"][0]["extensions"] == {
        "code": "AGENCY_UNAVAILABLE",
        "agency": "immigration",
    }
    assert immigration.served() == 1


async def test_a_call_that_is_not_safe_is_never_retried(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    immigration = healthy["immigration"]
    path = agencies_file(
        tmp_path / "agencies.yaml", healthy, only("immigration", retry={"retries": 5})
    )
    registry = AgencyRegistry(load_agencies(path, env_file=tmp_path / "no.env"))
    await registry.open()
    try:
        connector = registry.get("immigration").connector
        immigration.reset_served()
        immigration.set_faults(fail_next=1)
        with pytest.raises(AgencyUnavailable):
            await Guard(registry).call(
                "immigration",
                connector.services,  # type: ignore[attr-defined]
                ServiceQuery(),
                safe=False,
            )
    finally:
        await registry.close()
    assert immigration.served() == 1


def test_the_breaker_opens_then_probes_and_closes(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    revenue = healthy["revenue"]
    config = only(
        "revenue",
        retry={"retries": 0},
        breaker={"failure_threshold": 2, "open_seconds": 3.0},
    )
    news = '{ news(first: 1, filter: {agencies: ["revenue"]}) { totalCount } }'
    health = '{ agency(id: "revenue") { health { status breaker consecutiveFailures } } }'
    with running_hub(tmp_path, healthy, config) as hub:
        revenue.set_faults(down=True)
        revenue.reset_served()
        answers = [hub.query(news) for _ in range(4)]
        served_while_down = revenue.served()
        while_open = hub.query(health)["data"]["agency"]["health"]
        ready = httpx.get(f"{hub.url}/readyz", timeout=10).json()["agencies"]["revenue"]
        revenue.set_faults(down=False)
        time.sleep(3.1)  # the breaker's open period, long enough for a loaded machine
        recovered = hub.query(news)
        after = hub.query(health)["data"]["agency"]["health"]
    assert served_while_down == 2, "the breaker opened after two failures"
    for answer in answers:
        assert answer["errors"][0]["extensions"]["code"] == "AGENCY_UNAVAILABLE"
    assert "stopped calling this agency" in answers[-1]["errors"][0]["message"]
    assert while_open == {"status": "DOWN", "breaker": "OPEN", "consecutiveFailures": 2}
    assert ready["breaker"] == "OPEN"
    assert "errors" not in recovered, recovered
    assert after == {"status": "UP", "breaker": "CLOSED", "consecutiveFailures": 0}


async def test_a_flooded_agency_is_held_to_its_concurrency_limit(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    immigration = healthy["immigration"]
    config = only("immigration", max_connections=2, timeout=20)
    distinct = [
        f'{{ services(first: 1, filter: {{agencies: ["immigration"], text: "x{n}"}}) '
        "{ totalCount } }"
        for n in range(8)
    ]
    others = '{ news(first: 3, filter: {agencies: ["revenue", "police"]}) { totalCount } }'
    with running_hub(tmp_path, healthy, config) as hub:
        immigration.set_faults(latency=0.2)
        immigration.reset_served()
        answers = await query_all(hub, distinct + [others] * 4)
        counts = immigration.stats()
    assert all("errors" not in answer for answer in answers), answers
    assert counts["served"] == 8
    assert counts["peak_in_flight"] == 2


async def test_identical_concurrent_queries_reach_the_agency_once(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    immigration = healthy["immigration"]
    with running_hub(tmp_path, healthy, only("immigration")) as hub:
        # long enough that all 50 requests are parsed and waiting before the answer comes
        immigration.set_faults(latency=2.0)
        immigration.reset_served()
        answers = await query_all(hub, [IMMIGRATION_SERVICES] * 50)
    assert all("errors" not in answer for answer in answers)
    assert len({answer["data"]["services"]["totalCount"] for answer in answers}) == 1
    assert immigration.served() == 1


def test_a_stale_answer_is_served_and_marked_while_the_agency_is_down(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    immigration = healthy["immigration"]
    config = {
        "immigration": {
            "cache_ttl": {"services": 1},
            "stale_if_error": 600,
            "retry": {"retries": 0},
        }
    }
    with running_hub(tmp_path, healthy, config) as hub:
        immigration.reset_served()
        first = hub.query(IMMIGRATION_SERVICES)
        cached = hub.query(IMMIGRATION_SERVICES)
        served_before_outage = immigration.served()
        immigration.set_faults(down=True)
        time.sleep(1.1)  # past the TTL
        stale = hub.query(IMMIGRATION_SERVICES)
    assert served_before_outage == 1
    assert cached["data"] == first["data"]
    assert "errors" not in stale, stale
    assert stale["data"] == first["data"]
    (marker,) = stale["extensions"]["staleAnswers"]
    assert marker["agency"] == "immigration"
    assert marker["stale"] is True
    assert marker["path"] == ["services"]
    assert marker["ageSeconds"] >= 1


def test_without_a_stale_window_an_outage_is_an_error(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    immigration = healthy["immigration"]
    config = {"immigration": {"cache_ttl": {"services": 1}, "stale_if_error": 0}}
    with running_hub(tmp_path, healthy, config) as hub:
        hub.query(IMMIGRATION_SERVICES)
        immigration.set_faults(down=True)
        time.sleep(1.1)
        body = hub.query(IMMIGRATION_SERVICES)
    assert body["errors"][0]["extensions"]["code"] == "AGENCY_UNAVAILABLE"
    assert "extensions" not in body


@pytest.mark.redis
def test_two_hubs_share_one_redis_cache_and_one_purge(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    redis_url = require_redis()
    immigration = healthy["immigration"]
    config = {"immigration": {"cache_ttl": {"services": 600}}}
    path = agencies_file(tmp_path / "agencies.yaml", healthy, config)
    purge_env = {"HUB_AGENCIES_FILE": str(path), "HUB_CACHE_URL": redis_url}

    def purge() -> None:
        result = hub_command("cache", "purge", "immigration", env=purge_env, cwd=tmp_path)
        assert result.returncode == 0, result.stderr

    purge()
    first_dir, second_dir = tmp_path / "a", tmp_path / "b"
    first_dir.mkdir()
    second_dir.mkdir()
    with (
        running_hub(first_dir, healthy, config, cache_url=redis_url) as first,
        running_hub(second_dir, healthy, config, cache_url=redis_url) as second,
    ):
        immigration.reset_served()
        answer = first.query(IMMIGRATION_SERVICES)
        shared = second.query(IMMIGRATION_SERVICES)
        served_once = immigration.served()
        purge()
        second.query(IMMIGRATION_SERVICES)
        served_after_purge = immigration.served()
    assert shared == answer
    assert served_once == 1
    assert served_after_purge == 2
