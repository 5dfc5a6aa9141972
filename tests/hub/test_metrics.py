"""``/metrics``: Prometheus text with requests, agency calls, breakers and the cache."""

from __future__ import annotations

from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from legacy.running import RunningStandIn
from tests.support.hub import running_hub


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_metrics_count_requests_agency_calls_breakers_and_cache(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    query = '{ news(first: 1, filter: {agencies: ["immigration", "revenue"]}) { totalCount } }'
    with running_hub(tmp_path, healthy) as hub:
        healthy["revenue"].set_faults(down=True)
        hub.post(query)
        hub.post(query)
        response = httpx.get(f"{hub.url}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    assert (
        found[("hub_graphql_requests_total", (("operation", "anonymous"), ("outcome", "partial")))]
        == 2
    )
    immigration_ok = (("agency", "immigration"), ("method", "news"), ("outcome", "ok"))
    assert found[("hub_agency_call_seconds_count", immigration_ok)] == 1
    revenue_down = (("agency", "revenue"), ("method", "news"), ("outcome", "AGENCY_UNAVAILABLE"))
    assert found[("hub_agency_call_seconds_count", revenue_down)] >= 2
    assert found[("hub_cache_lookups_total", (("agency", "immigration"), ("result", "hit")))] == 1
    assert found[("hub_cache_lookups_total", (("agency", "immigration"), ("result", "miss")))] == 1
    assert found[("hub_agency_breaker_state", (("agency", "police"),))] == 0
