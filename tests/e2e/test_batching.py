"""Batching through the real hub over the running stand-ins: the records a request asks
for by key cost one call per agency, duplicates merged, and a failing key or agency
fails its own items only.

Calls are counted where they land: the HTTP stand-ins count the requests they serve
(``/_stats``); the Occurrence Book, a database, is counted by the hub's own count of
its calls to each agency (``/metrics``).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from hub.identity import Role
from hub.schema.node import MAX_NODES
from legacy.running import RunningStandIn
from tests.support.hub import RunningHub, running_hub
from tests.support.tokens import bearer

READER = bearer("batch-reader")
"""A signed-in reader: whole responses to anonymous queries may be cached, hers are not."""
NODES = """
query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) { __typename id ... on Service { title agency { key } } }
}
"""
ALICE_PIN = "A012345678Z"
BOB_PIN = "A004581273K"


def service_ids(hub: RunningHub, agency: str, count: int) -> list[str]:
    query = (
        "query Ids($a: [String!]) "
        "{ services(first: 100, filter: {agencies: $a}) { edges { node { id } } } }"
    )
    body = hub.post(query, {"a": [agency]}, headers=READER).json()
    ids = [edge["node"]["id"] for edge in body["data"]["services"]["edges"]]
    assert len(ids) >= count, body
    return ids[:count]


def agency_calls(hub: RunningHub) -> dict[tuple[str, str], float]:
    """The hub's count of its calls to each agency, by agency and connector method."""
    text = httpx.get(f"{hub.url}/metrics", timeout=10).text
    counts: dict[tuple[str, str], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "hub_agency_call_seconds_count":
                key = (sample.labels["agency"], sample.labels["method"])
                counts[key] = counts.get(key, 0) + sample.value
    return counts


@contextmanager
def counted(hub: RunningHub, standins: dict[str, RunningStandIn]) -> Iterator[dict[str, Any]]:
    """What the block cost: requests each HTTP stand-in served, and the hub's calls to
    each agency by method."""
    for name in ("revenue", "immigration"):
        standins[name].reset_served()
    before = agency_calls(hub)
    cost: dict[str, Any] = {}
    yield cost
    after = agency_calls(hub)
    cost["served"] = {name: standins[name].served() for name in ("revenue", "immigration")}
    cost["calls"] = {
        key: after[key] - before.get(key, 0) for key in after if after[key] != before.get(key, 0)
    }


def errors_at(body: dict[str, Any]) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(error["path"]): error for error in body.get("errors", [])}


# ---------------------------------------------------------------------------- nodes


def test_nodes_of_several_agencies_cost_one_call_per_agency(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    revenue = service_ids(hub, "revenue", 3)
    immigration = service_ids(hub, "immigration", 3)
    police = service_ids(hub, "police", 3)
    unknown = f"Service:revenue:RA-SVC-{uuid.uuid4().hex[:6]}"
    ids = [
        revenue[0],
        immigration[0],
        police[0],
        revenue[1],
        "Agency:police:police",
        immigration[1],
        police[1],
        revenue[0],
        unknown,
        revenue[2],
        immigration[2],
        police[2],
        police[0],
    ]
    with counted(hub, healthy) as cost:
        body = hub.post(NODES, {"ids": ids}, headers=READER).json()

    assert "errors" not in body, body
    nodes = body["data"]["nodes"]
    assert [node["id"] if node else None for node in nodes] == [
        None if gid == unknown else gid for gid in ids
    ]
    assert nodes[4]["__typename"] == "Agency"
    assert {node["agency"]["key"] for node in nodes if node and "agency" in node} == {
        "revenue",
        "immigration",
        "police",
    }
    assert cost["served"] == {"revenue": 1, "immigration": 1}
    assert cost["calls"] == {
        ("revenue", "services"): 1,
        ("immigration", "services"): 1,
        ("police", "services"): 1,
    }


def test_every_field_of_a_request_that_asks_by_id_shares_the_call(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    first, second, third = service_ids(hub, "immigration", 3)
    query = """
    query Three($a: ID!, $b: ID!, $c: ID!) {
      a: node(id: $a) { id }
      b: service(id: $b) { id title }
      c: nodes(ids: [$c, $a]) { id }
    }
    """
    with counted(hub, healthy) as cost:
        body = hub.post(query, {"a": first, "b": second, "c": third}, headers=READER).json()
    assert "errors" not in body, body
    assert body["data"]["a"]["id"] == first
    assert body["data"]["b"]["id"] == second
    assert [node["id"] for node in body["data"]["c"]] == [third, first]
    assert cost["served"]["immigration"] == 1
    assert cost["calls"] == {("immigration", "services"): 1}


def test_a_failing_agency_fails_its_own_items_only(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    revenue = service_ids(hub, "revenue", 2)
    immigration = service_ids(hub, "immigration", 2)
    ids = [revenue[0], immigration[0], revenue[1], immigration[1]]
    healthy["immigration"].set_faults(down=True)
    body = hub.post(NODES, {"ids": ids}, headers=READER).json()

    nodes = body["data"]["nodes"]
    assert [node["id"] if node else None for node in nodes] == [revenue[0], None, revenue[1], None]
    errors = errors_at(body)
    assert set(errors) == {("nodes", 1), ("nodes", 3)}
    for error in errors.values():
        assert error["extensions"] == {"code": "AGENCY_UNAVAILABLE", "agency": "immigration"}


def test_a_malformed_id_fails_its_own_item_only(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    (good,) = service_ids(hub, "police", 1)
    body = hub.post(NODES, {"ids": ["nope", good, "Weather:police:1"]}, headers=READER).json()

    assert [node["id"] if node else None for node in body["data"]["nodes"]] == [None, good, None]
    errors = errors_at(body)
    assert set(errors) == {("nodes", 0), ("nodes", 2)}
    assert errors[("nodes", 0)]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "ids[0]"}
    assert errors[("nodes", 2)]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "ids[2]"}
    assert "unknown type 'Weather'" in errors[("nodes", 2)]["message"]


def test_too_many_ids_are_refused_before_any_call(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    ids = [f"Service:revenue:RA-SVC-{n:03d}" for n in range(MAX_NODES + 1)]
    with counted(hub, healthy) as cost:
        body = hub.post(NODES, {"ids": ids}, headers=READER).json()
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "ids"}
    assert f"at most {MAX_NODES} IDs" in error["message"]
    assert body["data"] is None
    assert cost["calls"] == {}
    assert cost["served"] == {"revenue": 0, "immigration": 0}


def test_records_by_id_are_cached_one_by_one(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    with running_hub(tmp_path, healthy) as hub:
        first, second, third = service_ids(hub, "immigration", 3)
        with counted(hub, healthy) as warm:
            hub.post(NODES, {"ids": [first, second]}, headers=READER)
        with counted(hub, healthy) as cached:
            again = hub.post(NODES, {"ids": [second, first]}, headers=READER).json()
        with counted(hub, healthy) as more:
            body = hub.post(NODES, {"ids": [second, third, first]}, headers=READER).json()
        with counted(hub, healthy) as single:
            one = hub.post(
                "query One($id: ID!) { node(id: $id) { id } }", {"id": third}, headers=READER
            ).json()

    assert warm["served"]["immigration"] == 1
    assert [node["id"] for node in again["data"]["nodes"]] == [second, first]
    assert cached["calls"] == {}
    assert [node["id"] for node in body["data"]["nodes"]] == [second, third, first]
    assert more["served"]["immigration"] == 1
    assert more["calls"] == {("immigration", "services"): 1}
    assert one["data"]["node"]["id"] == third
    assert single["calls"] == {}


def test_records_by_id_are_served_stale_one_by_one_while_their_agency_fails(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    overrides = {
        "immigration": {"cache_ttl": {"services": 1}, "breaker": {"failure_threshold": 1_000_000}}
    }
    with running_hub(tmp_path, healthy, overrides) as hub:
        first, _, third = service_ids(hub, "immigration", 3)
        hub.post(NODES, {"ids": [first, third]}, headers=READER)
        time.sleep(1.5)  # past the TTL of one second: the answers are stale now
        healthy["immigration"].set_faults(down=True)
        never_cached = f"Service:immigration:{uuid.uuid4().hex[:8]}"
        body = hub.post(NODES, {"ids": [first, never_cached, third]}, headers=READER).json()

    nodes = body["data"]["nodes"]
    assert [nodes[0]["id"], nodes[1], nodes[2]["id"]] == [first, None, third]
    assert set(errors_at(body)) == {("nodes", 1)}
    assert errors_at(body)[("nodes", 1)]["extensions"]["code"] == "AGENCY_UNAVAILABLE"
    stale = body["extensions"]["staleAnswers"]
    assert sorted(entry["path"] for entry in stale) == [["nodes", 0], ["nodes", 2]]
    assert {entry["agency"] for entry in stale} == {"immigration"}


# ------------------------------------------------------------------ agency lookups


def test_an_agencys_lookups_in_one_request_cost_one_call_and_are_each_checked_and_audited(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    alice = f"alice-{uuid.uuid4().hex[:8]}"
    query = f"""
    query Mine {{
      own: revenue {{ taxCompliance(pin: "{ALICE_PIN}") {{ pin status }} }}
      again: revenue {{ taxCompliance(pin: " {ALICE_PIN.lower()} ") {{ pin }} }}
      other: revenue {{ taxCompliance(pin: "{BOB_PIN}") {{ pin }} }}
      alerts: police {{ securityAlerts(area: "Nairobi") {{ title }} }}
    }}
    """
    healthy["revenue"].forget_assertions()
    with counted(hub, healthy) as cost:
        body = hub.post(query, headers=bearer(alice, pin=ALICE_PIN)).json()

    assert body["data"]["own"]["taxCompliance"]["pin"] == ALICE_PIN
    assert body["data"]["again"]["taxCompliance"]["pin"] == ALICE_PIN
    assert body["data"]["other"] is None
    assert body["data"]["alerts"]["securityAlerts"]
    errors = errors_at(body)
    assert set(errors) == {("other", "taxCompliance")}
    assert errors[("other", "taxCompliance")]["extensions"]["code"] == "FORBIDDEN"
    # Bob's PIN is refused before the gateway is asked; Alice's is asked once.
    assert cost["served"]["revenue"] == 1
    assert cost["calls"] == {("revenue", "tax_compliance"): 1, ("police", "security_alerts"): 1}
    (assertion,) = healthy["revenue"].assertions()
    assert assertion["obo"] == {"pin": [ALICE_PIN]}

    admin = bearer("ops", Role.ADMIN)
    audit = hub.post(
        "query A($s: String!) { auditLog(first: 10, filter: {subject: $s}) "
        "{ edges { node { field objectId outcome } } } }",
        {"s": alice},
        headers=admin,
    ).json()
    rows = sorted(
        (row["node"]["field"], row["node"]["objectId"], row["node"]["outcome"])
        for row in audit["data"]["auditLog"]["edges"]
    )
    assert rows == sorted(
        [
            ("revenue.taxCompliance", ALICE_PIN, "OK"),
            ("revenue.taxCompliance", f" {ALICE_PIN.lower()} ", "OK"),
            ("revenue.taxCompliance", BOB_PIN, "FORBIDDEN"),
        ]
    )
