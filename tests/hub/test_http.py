"""/graphql follows the GraphQL over HTTP specification; bad requests get clear errors."""

from __future__ import annotations

import json

import httpx
import pytest

from hub.http import negotiate
from tests.support.hub import RunningHub

GQL = "application/graphql-response+json"


def get(hub: RunningHub, params: dict[str, str], accept: str = GQL) -> httpx.Response:
    return httpx.get(f"{hub.url}/graphql", params=params, headers={"accept": accept}, timeout=30)


def codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/json"),
        ("application/json", "application/json"),
        (GQL, GQL),
        ("*/*", GQL),
        ("application/json, application/graphql-response+json;q=0.9", "application/json"),
        ("application/json;q=0.5, application/graphql-response+json", GQL),
        ("text/html", None),
        ("application/json;q=0", None),
    ],
)
def test_content_negotiation(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept) == chosen


def test_a_query_over_post_answers_in_the_accepted_media_type(hub: RunningHub) -> None:
    response = hub.post("{ agencies { key } }")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GQL)
    assert [a["key"] for a in response.json()["data"]["agencies"]] == [
        "revenue",
        "immigration",
        "police",
        "hub_office",
    ]


def test_a_query_over_get_works(hub: RunningHub) -> None:
    response = get(
        hub,
        {
            "query": "query Q($id: ID!) { agency(id: $id) { name } }",
            "variables": json.dumps({"id": "police"}),
        },
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"agency": {"name": "National Police Service"}}}


def test_a_mutation_over_get_is_405(hub: RunningHub) -> None:
    response = get(hub, {"query": "mutation { anything }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert codes(response) == ["METHOD_NOT_ALLOWED"]


def test_other_methods_are_405(hub: RunningHub) -> None:
    response = httpx.put(f"{hub.url}/graphql", json={"query": "{ agencies { key } }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


def test_malformed_json_is_400(hub: RunningHub) -> None:
    response = httpx.post(
        f"{hub.url}/graphql",
        content=b'{"query": ',
        headers={"content-type": "application/json", "accept": GQL},
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"query": 42},
        {"query": ""},
        {"query": "{ agencies { key } }", "variables": [1]},
        {"query": "{ agencies { key } }", "operationName": 7},
        [{"query": "{ agencies { key } }"}, "not an operation"],
        "just a string",
    ],
)
def test_malformed_request_bodies_are_400(hub: RunningHub, body: object) -> None:
    response = httpx.post(f"{hub.url}/graphql", json=body, headers={"accept": GQL})
    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]


def test_a_form_post_with_a_preflight_header_is_415(hub: RunningHub) -> None:
    response = httpx.post(
        f"{hub.url}/graphql",
        data={"query": "{ agencies { key } }"},
        headers={"GraphQL-Require-Preflight": "1"},
    )
    assert response.status_code == 415
    assert codes(response) == ["UNSUPPORTED_MEDIA_TYPE"]


def test_an_unacceptable_accept_is_406(hub: RunningHub) -> None:
    response = hub.post("{ agencies { key } }", headers={"accept": "text/plain"})
    assert response.status_code == 406


def test_a_syntax_error_is_400_without_data(hub: RunningHub) -> None:
    response = hub.post("{ agencies { key }")
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert codes(response) == ["GRAPHQL_PARSE_FAILED"]
    assert "Traceback" not in response.text


def test_an_unknown_field_is_a_validation_error(hub: RunningHub) -> None:
    response = hub.post("{ agencies { nickname } }")
    assert response.status_code == 400
    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "nickname" in response.json()["errors"][0]["message"]


def test_with_plain_json_request_errors_are_200(hub: RunningHub) -> None:
    response = hub.post("{ agencies { nickname } }", headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"]


def test_a_variable_of_the_wrong_type_is_bad_user_input(hub: RunningHub) -> None:
    response = hub.post("query Q($n: Int!) { services(first: $n) { totalCount } }", {"n": "ten"})
    assert response.status_code == 400
    assert codes(response) == ["BAD_USER_INPUT"]


def test_an_unknown_operation_name_is_400(hub: RunningHub) -> None:
    response = httpx.post(
        f"{hub.url}/graphql",
        json={"query": "query A { agencies { key } }", "operationName": "B"},
        headers={"accept": GQL},
    )
    assert response.status_code == 400


def test_graphiql_is_served_to_browsers_in_development(hub: RunningHub) -> None:
    response = httpx.get(f"{hub.url}/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_the_root_redirects_to_graphiql(hub: RunningHub) -> None:
    response = httpx.get(f"{hub.url}/")
    assert response.status_code == 307
    assert response.headers["location"] == "/graphql"
