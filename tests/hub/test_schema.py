"""The graph: its SDL, descriptions, merged connections, filters and global IDs."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from hub.agencies import AgencyRegistry, load_agencies
from hub.gateway import Guard
from hub.schema import HubSchema, build_schema
from legacy.running import DEMO_FILE, RunningStandIn
from tests.support.hub import RunningHub

SNAPSHOT = Path(__file__).with_name("schema.graphql")
DEMO_ENV = {"REVENUE_USERNAME": "u", "REVENUE_PASSWORD": "p", "IMMIGRATION_API_KEY": "k"}

PORTAL = """
query Portal($first: Int!) {
  services(first: $first) { totalCount edges { node { id title agency { key } } } }
  news(first: $first) { totalCount edges { node { id publishedAt agency { key } } } }
  vacancies(first: $first) { totalCount edges { node { id closesAt agency { key } } } }
  bids(first: $first) { totalCount edges { node { id closesAt agency { key } } } }
}
"""


@pytest.fixture(scope="module")
def demo_schema() -> HubSchema:
    registry = AgencyRegistry(load_agencies(DEMO_FILE, environ=DEMO_ENV))
    return build_schema(registry, Guard(registry))


def test_the_sdl_matches_the_snapshot(demo_schema: HubSchema) -> None:
    sdl = demo_schema.as_str() + "\n"
    if os.environ.get("HUB_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(sdl, encoding="utf-8")
    assert SNAPSHOT.read_text(encoding="utf-8") == sdl, (
        "the schema changed; review the change and run with HUB_UPDATE_SNAPSHOTS=1 to accept it"
    )


def test_every_type_and_field_has_a_description(demo_schema: HubSchema) -> None:
    missing: list[str] = []
    for name, graphql_type in demo_schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not graphql_type.description and name not in {"Query", "AgencyLookups"}:
            missing.append(name)
        if isinstance(
            graphql_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType
        ):
            missing.extend(
                f"{name}.{field}"
                for field, definition in graphql_type.fields.items()
                if not definition.description
            )
        if isinstance(graphql_type, GraphQLEnumType):
            continue
    assert missing == []


def nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


def test_the_portal_query_merges_all_agencies_in_a_stable_order(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    body = hub.query(PORTAL, {"first": 100})
    assert "errors" not in body, body.get("errors")
    data = body["data"]
    for listing in ("services", "news", "vacancies"):
        assert {n["agency"]["key"] for n in nodes(data[listing])} == {
            "revenue",
            "immigration",
            "police",
        }, listing
    assert {n["agency"]["key"] for n in nodes(data["bids"])} >= {"revenue"}
    titles = [n["title"].casefold() for n in nodes(data["services"])]
    assert titles == sorted(titles)
    published = [n["publishedAt"] for n in nodes(data["news"])]
    assert published == sorted(published, reverse=True)
    closing = [n["closesAt"] for n in nodes(data["vacancies"])]
    assert closing == sorted(closing)


def test_cursors_walk_a_merged_list_without_gaps_or_repeats(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    query = """query($after: String) { news(first: 7, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } } }"""
    everything = nodes(hub.query("{ news(first: 100) { edges { node { id } } } }")["data"]["news"])
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        news = hub.query(query, {"after": after})["data"]["news"]
        assert news["pageInfo"]["hasPreviousPage"] is (after is not None)
        seen.extend(n["id"] for n in nodes(news))
        pages += 1
        if not news["pageInfo"]["hasNextPage"]:
            break
        after = news["pageInfo"]["endCursor"]
    assert seen == [n["id"] for n in everything]
    assert pages == -(-len(everything) // 7)


def test_first_past_the_end_and_a_forged_cursor(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    total = hub.query("{ bids(first: 0) { totalCount } }")["data"]["bids"]["totalCount"]
    body = hub.query("{ bids(first: 100) { edges { node { id } } pageInfo { hasNextPage } } }")
    assert len(body["data"]["bids"]["edges"]) == min(total, 100)
    forged = hub.query('{ bids(first: 5, after: "bm90LWEtY3Vyc29y") { totalCount } }')
    (error,) = forged["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "after"}
    assert "endCursor of a previous page" in error["message"]
    too_many = hub.query("{ bids(first: 1000) { totalCount } }")
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_filters_by_agency_category_and_text(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    only_police = hub.query(
        '{ services(first: 100, filter: {agencies: ["police"]}) '
        "{ edges { node { agency { key } category } } } }"
    )["data"]["services"]
    assert {n["agency"]["key"] for n in nodes(only_police)} == {"police"}
    category = nodes(only_police)[0]["category"]
    by_category = hub.query(
        "query($c: String) { services(first: 100, filter: {category: $c}) "
        "{ edges { node { category } } } }",
        {"c": category.upper()},
    )["data"]["services"]
    assert nodes(by_category)
    assert all(n["category"] == category for n in nodes(by_category))
    by_text = hub.query(
        '{ services(first: 100, filter: {text: "passport"}) '
        "{ edges { node { title description } } } }"
    )["data"]["services"]
    assert nodes(by_text)
    for node in nodes(by_text):
        assert "passport" in (node["title"] + node["description"]).casefold()
    unknown = hub.query('{ services(filter: {agencies: ["treasury"]}) { totalCount } }')
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "treasury" in unknown["errors"][0]["message"]


def test_open_and_closing_date_filters(hub: RunningHub, healthy: dict[str, RunningStandIn]) -> None:
    now = datetime.now(UTC).isoformat()
    everything = nodes(
        hub.query("{ vacancies(first: 100) { edges { node { isOpen closesAt } } } }")["data"][
            "vacancies"
        ]
    )
    open_only = nodes(
        hub.query(
            "{ vacancies(first: 100, filter: {openOnly: true}) { edges { node { isOpen } } } }"
        )["data"]["vacancies"]
    )
    assert open_only
    assert all(n["isOpen"] for n in open_only)
    assert len(open_only) == sum(n["isOpen"] for n in everything) < len(everything)
    closing_later = nodes(
        hub.query(
            "query($t: DateTime) { bids(first: 100, filter: {closingAfter: $t}) "
            "{ edges { node { closesAt } } } }",
            {"t": now},
        )["data"]["bids"]
    )
    assert closing_later
    assert all(n["closesAt"] >= now for n in closing_later)


def test_global_ids_resolve_through_node(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    body = hub.query(PORTAL, {"first": 3})["data"]
    for listing in ("services", "news", "vacancies", "bids"):
        for node in nodes(body[listing]):
            found = hub.query(
                "query($id: ID!) { node(id: $id) { id __typename } }", {"id": node["id"]}
            )
            assert found["data"]["node"]["id"] == node["id"], found
            assert node["id"].split(":")[0] == found["data"]["node"]["__typename"]
    service_id = nodes(body["services"])[0]["id"]
    assert hub.query("query($id: ID!) { service(id: $id) { id } }", {"id": service_id})["data"] == {
        "service": {"id": service_id}
    }
    agency = hub.query('{ node(id: "Agency:police:police") { ... on Agency { name } } }')
    assert agency["data"]["node"] == {"name": "National Police Service"}


def test_unknown_and_malformed_global_ids(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    assert hub.query('{ node(id: "Service:revenue:NO-SUCH") { id } }') == {"data": {"node": None}}
    assert hub.query('{ node(id: "Service:treasury:X") { id } }') == {"data": {"node": None}}
    malformed = hub.query('{ node(id: "revenue-service-1") { id } }')
    assert malformed["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "id"}
    unknown_type = hub.query('{ node(id: "Spaceship:revenue:1") { id } }')
    assert "unknown type 'Spaceship'" in unknown_type["errors"][0]["message"]
