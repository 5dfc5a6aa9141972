"""What one HTTP request may carry: body size, batches, CSRF defence, rate limits, and
what a production hub refuses (introspection, GraphiQL)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from hub.identity.assertion import generate_key_file
from legacy.running import RunningStandIn
from tests.support.hub import RunningHub, running_hub
from tests.support.tokens import bearer

GQL = "application/graphql-response+json"
QUERY = "{ agencies { key } }"


def codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json()["errors"]]


def post_raw(hub: RunningHub, content: bytes, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{hub.url}/graphql",
        content=content,
        headers={"content-type": "application/json", "accept": GQL, **headers},
        timeout=30,
    )


# ------------------------------------------------------------------------------ body size


def test_a_10_mb_body_is_413_before_it_is_read(hub: RunningHub) -> None:
    body = json.dumps({"query": QUERY, "variables": {"x": "a" * 10_000_000}}).encode()
    response = post_raw(hub, body)
    assert response.status_code == 413
    assert codes(response) == ["PAYLOAD_TOO_LARGE"]


def test_a_body_streamed_without_a_length_is_cut_off_at_the_limit(hub: RunningHub) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "{ agencies { key } }", "variables": {"x": "'
        for _ in range(200):
            yield b"a" * 65_536
        yield b'"}}'

    response = httpx.post(
        f"{hub.url}/graphql",
        content=chunks(),
        headers={"content-type": "application/json", "accept": GQL},
        timeout=30,
    )
    assert response.status_code == 413


def test_a_body_just_under_the_limit_is_served(hub: RunningHub) -> None:
    padding = " " * 900_000
    response = post_raw(hub, f'{{"query": "{QUERY}"{padding}}}'.encode())
    assert response.status_code == 200
    assert "errors" not in response.json()


# -------------------------------------------------------------------------------- batches


def test_a_batch_answers_each_operation_in_order(hub: RunningHub) -> None:
    batch = [{"query": QUERY}, {"query": "{ agencies { name } }"}, {"query": "{ nope }"}]
    response = httpx.post(f"{hub.url}/graphql", json=batch, headers={"accept": GQL})
    assert response.status_code == 200
    first, second, third = response.json()
    assert first["data"]["agencies"][0]["key"] == "revenue"
    assert "name" in second["data"]["agencies"][0]
    assert [e["extensions"]["code"] for e in third["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]


def test_a_batch_over_the_limit_is_refused_whole(hub: RunningHub) -> None:
    batch = [{"query": QUERY}] * 11
    response = httpx.post(f"{hub.url}/graphql", json=batch, headers={"accept": GQL})
    assert response.status_code == 400
    assert codes(response) == ["BATCH_TOO_LARGE"]
    assert "limit is 10" in response.json()["errors"][0]["message"]


def test_an_empty_batch_is_400(hub: RunningHub) -> None:
    response = httpx.post(f"{hub.url}/graphql", json=[], headers={"accept": GQL})
    assert response.status_code == 400


# ----------------------------------------------------------------------------------- CSRF


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None],
)
def test_a_simple_cross_site_post_is_refused(hub: RunningHub, content_type: str | None) -> None:
    headers = {"accept": GQL} | ({"content-type": content_type} if content_type else {})
    body = json.dumps({"query": "mutation { __typename }"}).encode()
    response = httpx.post(f"{hub.url}/graphql", content=body, headers=headers)
    assert response.status_code == 400
    assert codes(response) == ["CSRF_REJECTED"]


@pytest.mark.parametrize(
    "header", ["GraphQL-Require-Preflight", "Apollo-Require-Preflight", "X-Requested-With"]
)
def test_a_preflight_header_lets_the_request_past_the_csrf_check(
    hub: RunningHub, header: str
) -> None:
    response = httpx.post(
        f"{hub.url}/graphql",
        content=b"{}",
        headers={"accept": GQL, "content-type": "text/plain", header: "1"},
    )
    assert response.status_code == 415


# ----------------------------------------------------------------------------- rate limits


@pytest.fixture(scope="module")
def limited_hub(
    standins: dict[str, RunningStandIn], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningHub]:
    with running_hub(
        tmp_path_factory.mktemp("limited"),
        standins,
        rate_limit_burst=3,
        rate_limit_per_second=2.0,
        max_body_bytes=4000,
    ) as running:
        yield running


def token(subject: str) -> str:
    return bearer(subject)["authorization"].removeprefix("Bearer ")


def test_the_rate_limit_is_exceeded_then_recovers(limited_hub: RunningHub) -> None:
    auth = {"authorization": f"Bearer {token('rate-a')}"}
    statuses = [limited_hub.post(QUERY, headers=auth).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = limited_hub.post(QUERY, headers=auth)
    assert refused.status_code == 429
    assert codes(refused) == ["RATE_LIMITED"]
    wait = int(refused.headers["retry-after"])
    assert wait >= 1
    assert refused.json()["errors"][0]["extensions"]["retryAfter"] == wait
    time.sleep(wait)
    assert limited_hub.post(QUERY, headers=auth).status_code == 200


def test_budgets_are_per_token_subject_and_else_per_address(limited_hub: RunningHub) -> None:
    first = {"authorization": f"Bearer {token('rate-b')}"}
    second = {"authorization": f"Bearer {token('rate-c')}"}
    for _ in range(3):
        limited_hub.post(QUERY, headers=first)
    assert limited_hub.post(QUERY, headers=first).status_code == 429
    assert limited_hub.post(QUERY, headers=second).status_code == 200
    anonymous = [limited_hub.post(QUERY).status_code for _ in range(5)]
    assert anonymous[:1] == [200]
    assert 429 in anonymous


def test_a_query_string_longer_than_the_body_limit_is_414(limited_hub: RunningHub) -> None:
    response = httpx.get(f"{limited_hub.url}/graphql", params={"query": QUERY + " " * 5000})
    assert response.status_code == 414
    assert codes(response) == ["URI_TOO_LONG"]


def test_a_batch_costs_one_token_per_operation(limited_hub: RunningHub) -> None:
    auth = {"authorization": f"Bearer {token('rate-d')}", "accept": GQL}
    batch = [{"query": QUERY}] * 3
    url = f"{limited_hub.url}/graphql"
    assert httpx.post(url, json=batch, headers=auth).status_code == 200
    assert httpx.post(url, json=[{"query": QUERY}], headers=auth).status_code == 429
    time.sleep(0.6)  # a token back (2 per second): one operation is paid before reading
    whole = httpx.post(url, json=[{"query": QUERY}] * 4, headers=auth)
    assert whole.status_code == 400
    assert codes(whole) == ["RATE_LIMITED"]


def test_a_client_out_of_budget_is_refused_before_its_body_is_read(
    limited_hub: RunningHub,
) -> None:
    auth = {"authorization": f"Bearer {token('rate-e')}", "accept": GQL}
    url = f"{limited_hub.url}/graphql"
    for _ in range(3):
        assert httpx.post(url, json={"query": QUERY}, headers=auth).status_code == 200
    oversized = httpx.post(url, json={"query": QUERY + " " * 10_000}, headers=auth)
    assert oversized.status_code == 429, "refused for its budget, not for the body it sent"


# ------------------------------------------------------------------------------ production


@pytest.fixture(scope="module")
def production_hub(
    standins: dict[str, RunningStandIn], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningHub]:
    directory = tmp_path_factory.mktemp("production")
    key = directory / "assertion.pem"
    generate_key_file(key)
    jwks = directory / "jwks.json"
    jwks.write_text(json.dumps({"keys": [_ec_jwk()]}))
    with running_hub(
        directory,
        standins,
        environment="production",
        jwks=str(jwks),
        assertion_key_file=key,
    ) as running:
        yield running


def _ec_jwk() -> dict[str, str]:
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    return {**json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key)), "kid": "prod-1"}


def test_production_refuses_introspection(production_hub: RunningHub) -> None:
    response = production_hub.post("{ __schema { types { name } } }")
    assert response.status_code == 400
    assert set(codes(response)) == {"GRAPHQL_VALIDATION_FAILED"}
    assert "introspection" in response.json()["errors"][0]["message"].lower()
    assert production_hub.post(QUERY).status_code == 200


def test_production_serves_no_graphiql(production_hub: RunningHub) -> None:
    response = httpx.get(f"{production_hub.url}/graphql", headers={"accept": "text/html"})
    assert "graphiql" not in response.text.lower()


def test_production_refuses_development_tokens(production_hub: RunningHub) -> None:
    response = production_hub.post(
        "{ auditLog { totalCount } }", headers={"authorization": f"Bearer {token('admin')}"}
    )
    assert codes(response) == ["UNAUTHENTICATED"]
    assert "development only" in response.json()["errors"][0]["message"]


def test_development_serves_introspection(hub: RunningHub) -> None:
    response = hub.post("{ __schema { queryType { name } } }")
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"
