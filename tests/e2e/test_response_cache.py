"""The whole-response cache and the purge mutation, through the real hub over HTTP.

Each test starts its own hub over the stand-ins with the default cache TTLs. Whether a
request reached an agency is read from the stand-ins' own counts (``/_stats``), and
whether the response cache served it from the ``X-Hub-Cache`` header and ``/metrics``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from hub.identity import Role
from legacy.running import RunningStandIn
from tests.support.hub import RunningHub, running_hub
from tests.support.services import require_redis
from tests.support.tokens import bearer

PUBLIC = """{
  services(first: 5, filter: {agencies: ["revenue", "immigration"]}) {
    totalCount edges { node { id title agency { key name } } }
  }
}"""
IMMIGRATION = '{ services(first: 3, filter: {agencies: ["immigration"]}) { totalCount } }'
PURGE = """mutation Purge($agency: ID!) {
  purgeAgencyCache(agency: $agency) { agency { key } purgedAt }
}"""
ADMIN = bearer("ops@hub", Role.ADMIN)


def calls(standins: dict[str, RunningStandIn]) -> tuple[int, int]:
    """Requests revenue and immigration have served."""
    return standins["revenue"].served(), standins["immigration"].served()


def reset_calls(standins: dict[str, RunningStandIn]) -> None:
    for name in ("revenue", "immigration"):
        standins[name].reset_served()


def metrics(hub: RunningHub) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(f"{hub.url}/metrics", timeout=10).text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def cache_count(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], result: str) -> float:
    return found.get(("hub_response_cache_requests_total", (("result", result),)), 0)


def answer_hits(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], agency: str) -> float:
    return found.get(("hub_cache_lookups_total", (("agency", agency), ("result", "hit"))), 0)


def purge(hub: RunningHub, agency: str, **headers: str) -> dict[str, Any]:
    body: dict[str, Any] = hub.post(PURGE, {"agency": agency}, headers={**ADMIN, **headers}).json()
    return body


def test_a_repeated_anonymous_query_is_answered_from_the_response_cache(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    with running_hub(tmp_path, healthy) as hub:
        reset_calls(healthy)
        first = hub.post(PUBLIC)
        after_first = calls(healthy)
        second = hub.post(PUBLIC)
        as_json = hub.post(PUBLIC, headers={"accept": "application/json"})
        after = calls(healthy)
        found = metrics(hub)
    assert first.status_code == second.status_code == as_json.status_code == 200
    assert "errors" not in first.json()
    assert [r.headers["x-hub-cache"] for r in (first, second, as_json)] == ["miss", "hit", "hit"]
    assert second.content == first.content == as_json.content
    assert as_json.headers["content-type"] == "application/json; charset=utf-8"
    assert after_first == (1, 1)
    assert after == after_first, "no request after the first reached an agency"
    assert answer_hits(found, "revenue") == 0, "nor the answer cache: the response was kept"
    assert cache_count(found, "hit") == 2
    assert cache_count(found, "miss") == 1
    assert found[("hub_response_cache_kept_total", ())] == 1


def test_a_request_with_a_token_never_uses_the_response_cache(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    with running_hub(tmp_path, healthy) as hub:
        kept = hub.post(PUBLIC)
        citizen = hub.post(PUBLIC, headers=bearer("citizen-a"))
        rejected = hub.post(PUBLIC, headers={"authorization": "Bearer not-a-token"})
        token_first = hub.post(IMMIGRATION, headers=bearer("citizen-a"))
        anonymous_after = hub.post(IMMIGRATION)
        found = metrics(hub)
    assert kept.headers["x-hub-cache"] == "miss"
    assert citizen.headers["x-hub-cache"] == "bypass"
    assert rejected.headers["x-hub-cache"] == "bypass"
    assert citizen.json() == rejected.json() == kept.json()
    assert token_first.headers["x-hub-cache"] == "bypass"
    assert anonymous_after.headers["x-hub-cache"] == "miss", "a token's answer was not kept"
    assert cache_count(found, "hit") == 0
    assert answer_hits(found, "revenue") == 2, "the token requests used the answer cache"


def test_a_query_reading_anything_not_public_is_never_kept(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    with_health = PUBLIC[:-1] + ' agency(id: "immigration") { health { status } } }'
    with running_hub(tmp_path, healthy) as hub:
        answers = [hub.post(with_health) for _ in range(2)]
        found = metrics(hub)
    for answer in answers:
        assert "errors" not in answer.json(), answer.json()
        assert answer.headers["x-hub-cache"] == "miss"
    assert found[("hub_response_cache_kept_total", ())] == 0


def test_answers_with_errors_are_never_kept(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    config = {"revenue": {"retry": {"retries": 0}}}
    with running_hub(tmp_path, healthy, config) as hub:
        healthy["revenue"].set_faults(down=True)
        answers = [hub.post(PUBLIC) for _ in range(2)]
        healthy["revenue"].set_faults(down=False)
        reset_calls(healthy)
        recovered = hub.post(PUBLIC)
        after_recovery = calls(healthy)
    for answer in answers:
        assert answer.json()["errors"][0]["extensions"]["code"] == "AGENCY_UNAVAILABLE"
        assert answer.json()["data"]["services"]["totalCount"] > 0
        assert answer.headers["x-hub-cache"] == "miss"
    assert recovered.headers["x-hub-cache"] == "miss"
    assert "errors" not in recovered.json()
    assert after_recovery == (1, 0), "revenue was asked again; immigration's answer was cached"


def test_stale_answers_are_never_kept_and_a_response_outlives_no_answer(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    immigration = healthy["immigration"]
    config = {
        "immigration": {
            "cache_ttl": {"services": 3},  # a window a loaded machine keeps
            "stale_if_error": 600,
            "retry": {"retries": 0},
        }
    }
    with running_hub(tmp_path, healthy, config) as hub:
        first = hub.post(IMMIGRATION)
        kept = hub.post(IMMIGRATION)
        immigration.set_faults(down=True)
        time.sleep(3.1)  # past the answer's TTL, and so past the response's
        stale = [hub.post(IMMIGRATION) for _ in range(2)]
    assert [first.headers["x-hub-cache"], kept.headers["x-hub-cache"]] == ["miss", "hit"]
    for answer in stale:
        assert answer.headers["x-hub-cache"] == "miss"
        body = answer.json()
        assert body["data"] == first.json()["data"]
        assert body["extensions"]["staleAnswers"][0]["agency"] == "immigration"


def test_the_purge_mutation_retires_the_kept_responses_and_is_audited(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    with running_hub(tmp_path, healthy) as hub:
        hub.post(PUBLIC)
        assert hub.post(PUBLIC).headers["x-hub-cache"] == "hit"
        reset_calls(healthy)
        started = datetime.now(UTC).replace(microsecond=0)
        purged = purge(hub, "immigration")
        after_purge = hub.post(PUBLIC)
        upstream = calls(healthy)
        again = hub.post(PUBLIC)
        audit = hub.post(
            '{ auditLog(filter: {field: "purgeAgencyCache"}) { totalCount edges { node {'
            " subject role operation objectId agency outcome } } } }",
            headers=ADMIN,
        ).json()
    assert "errors" not in purged, purged
    result = purged["data"]["purgeAgencyCache"]
    assert result["agency"] == {"key": "immigration"}
    assert datetime.fromisoformat(result["purgedAt"]) >= started
    assert after_purge.headers["x-hub-cache"] == "miss"
    assert upstream == (0, 1), "immigration was asked again; revenue's answers stayed cached"
    assert again.headers["x-hub-cache"] == "hit"
    assert audit["data"]["auditLog"]["totalCount"] == 1
    assert audit["data"]["auditLog"]["edges"][0]["node"] == {
        "subject": "ops@hub",
        "role": "ADMIN",
        "operation": "mutation Purge",
        "objectId": "immigration",
        "agency": "immigration",
        "outcome": "OK",
    }


def test_only_admins_may_purge_and_only_known_agencies(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    with running_hub(tmp_path, healthy) as hub:
        hub.post(PUBLIC)
        anonymous = hub.post(PURGE, {"agency": "immigration"}).json()
        citizen = hub.post(PURGE, {"agency": "immigration"}, headers=bearer("citizen-a")).json()
        staff = hub.post(
            PURGE,
            {"agency": "immigration"},
            headers=bearer("staff@immigration", Role.RESOLVER, agency="immigration"),
        ).json()
        unknown = purge(hub, "parliament")
        still_kept = hub.post(PUBLIC)
        audit = hub.post(
            '{ auditLog(filter: {field: "purgeAgencyCache"}) { totalCount } }', headers=ADMIN
        ).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    for refused in (citizen, staff):
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    (error,) = unknown["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "agency"
    assert "unknown agency 'parliament'; known: revenue, immigration, police" in error["message"]
    for answer in (anonymous, citizen, staff, unknown):
        assert answer["data"] == {"purgeAgencyCache": None}
    assert still_kept.headers["x-hub-cache"] == "hit", "nothing was purged"
    assert audit["data"]["auditLog"]["totalCount"] == 0


def test_the_limits_still_refuse_a_repeated_query(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    page = """query Page($n: Int!) {
      services(first: $n, filter: {agencies: ["immigration"]}) { edges { node { id } } }
    }"""
    deep = "{ services(first: 1) { edges { node { agency { contact { email } } } } } }"
    with running_hub(tmp_path, healthy, max_cost=50, max_depth=5) as hub:
        cheap = [hub.post(page, {"n": 5}) for _ in range(2)]
        costly = [hub.post(page, {"n": 40}) for _ in range(2)]
        too_deep = [hub.post(deep) for _ in range(2)]
    assert [r.headers["x-hub-cache"] for r in cheap] == ["miss", "hit"]
    for refused, code in [
        *((r, "QUERY_TOO_COSTLY") for r in costly),
        *((r, "QUERY_TOO_DEEP") for r in too_deep),
    ]:
        assert refused.status_code == 400
        assert [e["extensions"]["code"] for e in refused.json()["errors"]] == [code]
        assert refused.headers["x-hub-cache"] == "miss"


@pytest.mark.redis
def test_two_hubs_sharing_redis_share_kept_responses_and_purges(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    redis_url = require_redis()
    first_dir, second_dir = tmp_path / "a", tmp_path / "b"
    first_dir.mkdir()
    second_dir.mkdir()
    with (
        running_hub(first_dir, healthy, cache_url=redis_url) as first,
        running_hub(second_dir, healthy, cache_url=redis_url) as second,
    ):
        for agency in ("revenue", "immigration"):  # forget what earlier runs kept
            assert "errors" not in purge(first, agency)
        reset_calls(healthy)
        kept = first.post(PUBLIC)
        shared = second.post(PUBLIC)
        upstream_once = calls(healthy)
        assert "errors" not in purge(second, "immigration")
        after_purge = first.post(PUBLIC)
        upstream_after = calls(healthy)
    assert kept.headers["x-hub-cache"] == "miss"
    assert shared.headers["x-hub-cache"] == "hit"
    assert shared.content == kept.content
    assert upstream_once == (1, 1)
    assert after_purge.headers["x-hub-cache"] == "miss"
    assert upstream_after == (1, 2), "the purge on one hub reached the other's responses"


def test_the_response_cache_can_be_turned_off(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    with running_hub(tmp_path, healthy, response_cache=False) as hub:
        hub.post(PUBLIC)
        again = hub.post(PUBLIC)
        found = metrics(hub)
    assert "x-hub-cache" not in again.headers
    assert "errors" not in again.json()
    assert answer_hits(found, "immigration") == 1, "answered from the answer cache"
    assert cache_count(found, "hit") == cache_count(found, "miss") == 0
