"""One agency down or slow never takes the graph down: the others' data, one error each."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from legacy.running import RunningStandIn, running_standin
from tests.support.hub import RunningHub, running_hub
from tests.support.tokens import bearer

LISTINGS = """{
  services(first: 100) { edges { node { agency { key } } } }
  news(first: 100) { edges { node { agency { key } } } }
  vacancies(first: 100) { edges { node { agency { key } } } }
}"""


def agencies_in(data: dict[str, Any], listing: str) -> set[str]:
    return {edge["node"]["agency"]["key"] for edge in data[listing]["edges"]}


def errors_by_path(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {error["path"][0]: error for error in body.get("errors", [])}


def test_one_agency_down_leaves_the_others_data_and_one_error_per_field(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    healthy["immigration"].set_faults(down=True)
    body = hub.query(LISTINGS)
    for listing in ("services", "news", "vacancies"):
        assert agencies_in(body["data"], listing) == {"revenue", "police"}
    errors = errors_by_path(body)
    assert set(errors) == {"services", "news", "vacancies"}
    assert len(body["errors"]) == 3
    for error in errors.values():
        assert error["extensions"] == {"code": "AGENCY_UNAVAILABLE", "agency": "immigration"}
        assert error["message"].startswith("immigration: ")


def test_agencies_slowed_past_their_timeout_are_cut_off_concurrently(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    timeout = 1.0
    overrides = {"revenue": {"timeout": timeout}, "immigration": {"timeout": timeout}}
    with running_hub(tmp_path, healthy, overrides) as hub:
        healthy["revenue"].set_faults(latency=4 * timeout)
        healthy["immigration"].set_faults(latency=4 * timeout)
        started = time.monotonic()
        body = hub.query(LISTINGS)
        elapsed = time.monotonic() - started
    for listing in ("services", "news", "vacancies"):
        assert agencies_in(body["data"], listing) == {"police"}
    codes = {
        (e["path"][0], e["extensions"]["agency"], e["extensions"]["code"]) for e in body["errors"]
    }
    assert codes == {
        (listing, agency, "AGENCY_TIMEOUT")
        for listing in ("services", "news", "vacancies")
        for agency in ("revenue", "immigration")
    }
    # Six calls each cut at the timeout: the answer comes near one timeout, not their sum.
    assert timeout <= elapsed < 2 * timeout


def test_an_agency_that_stopped_answers_as_unavailable(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    with running_standin("immigration") as doomed:
        standins = {**healthy, "immigration": doomed}
        with running_hub(tmp_path, standins) as hub:
            doomed.server.stop()
            body = hub.query(LISTINGS)
    assert agencies_in(body["data"], "services") == {"revenue", "police"}
    error = errors_by_path(body)["services"]
    assert error["extensions"] == {"code": "AGENCY_UNAVAILABLE", "agency": "immigration"}


def test_an_agency_down_at_start_up_does_not_stop_the_hub(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    healthy["revenue"].set_faults(down=True)
    quick_probe = {"revenue": {"breaker": {"failure_threshold": 1, "open_seconds": 0.2}}}
    with running_hub(tmp_path, healthy, quick_probe) as hub:
        body = hub.query(LISTINGS)
        assert agencies_in(body["data"], "news") == {"immigration", "police"}
        healthy["revenue"].set_faults(down=False)
        time.sleep(0.3)  # the breaker's open period, after which one call probes the agency
        probe = hub.query("{ news(first: 1) { totalCount } }")
        recovered = hub.query(LISTINGS)
    assert "errors" not in probe
    assert "errors" not in recovered
    assert agencies_in(recovered["data"], "news") == {"revenue", "immigration", "police"}


def test_a_failed_lookup_nulls_its_agency_only(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    healthy["police"].set_faults(down=True)
    body = hub.post(
        "{ news(first: 100) { edges { node { agency { key } } } } "
        'police { securityAlerts(area: "Nairobi") { title } } '
        'revenue { taxCompliance(pin: "A012345678Z") { status } } }',
        headers=bearer("alice", pin="A012345678Z"),
    ).json()
    assert body["data"]["police"] is None
    assert body["data"]["revenue"]["taxCompliance"]["status"] == "VALID"
    assert agencies_in(body["data"], "news") == {"revenue", "immigration"}
    failed = {(error["path"][0], error["extensions"]["agency"]) for error in body["errors"]}
    assert failed == {("news", "police"), ("police", "police")}
