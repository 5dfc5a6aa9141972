"""The immigration stand-in's OpenAPI document describes every path and record it serves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from starlette.routing import Mount, Route

from legacy import StandInOptions
from legacy.assertions import ASSERTION_HEADER
from legacy.faults import is_control
from legacy.immigration import create_app, seed_applications
from legacy.running import RunningStandIn, running_standin
from tests.support.keys import HubKeys, assertion_for

TODAY = date(2026, 3, 10)
OPTIONS = StandInOptions(today=TODAY)


@pytest.fixture(scope="module")
def standin(hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    options = StandInOptions(today=TODAY, hub_public_key=hub_keys.public_pem)
    with running_standin("immigration", options) as running:
        yield running


@pytest.fixture(scope="module")
def document(standin: RunningStandIn) -> dict[str, Any]:
    response = httpx.get(f"{standin.url}/openapi.json", timeout=5)
    assert response.status_code == 200
    body: dict[str, Any] = json.loads(response.text)
    return body


def served_paths() -> set[str]:
    """Every path the app routes, except the test-only controls and the officers' desk."""
    paths = set()
    for route in create_app(OPTIONS).routes:
        if isinstance(route, Mount):
            paths |= {route.path + child.path for child in route.routes if isinstance(child, Route)}
        elif isinstance(route, Route) and not is_control(route.path):
            paths.add(route.path)
    return paths


def documented_paths(document: dict[str, Any]) -> set[str]:
    base = document["servers"][0]["url"]
    paths = set()
    for path, item in document["paths"].items():
        server = item.get("servers", [{"url": base}])[0]["url"].rstrip("/")
        paths.add(server + path)
    return paths


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_is_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"]
    assert document["info"]["version"]
    scheme = document["components"]["securitySchemes"]["ApiKey"]
    assert scheme == {"type": "apiKey", "in": "header", "name": "X-API-Key"}


def test_lists_every_served_path(document: dict[str, Any]) -> None:
    assert documented_paths(document) == served_paths()


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    for ref in refs(document):
        assert resolve(document, {"$ref": ref}), ref


def test_every_operation_documents_its_answers(document: dict[str, Any]) -> None:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "servers":
                continue
            assert operation["operationId"], path
            assert operation["summary"], path
            assert "200" in operation["responses"], path
            public = operation.get("security") == []
            assert ("401" in operation["responses"]) != public, path
            for parameter in operation.get("parameters", []):
                parameter = resolve(document, parameter)
                assert parameter["in"] in ("query", "path", "header"), path
                assert parameter["schema"], path


def test_unavailable_answer_documents_retry_after(document: dict[str, Any]) -> None:
    assert "Retry-After" in document["components"]["responses"]["ServiceUnavailable"]["headers"]


@pytest.mark.parametrize(
    ("path", "schema"),
    [("/services", "Service"), ("/news", "Notice"), ("/vacancies", "Vacancy")],
)
def test_listing_records_match_their_schema(
    standin: RunningStandIn, document: dict[str, Any], path: str, schema: str
) -> None:
    body = httpx.get(
        f"{standin.url}/api/v1{path}", headers={"X-API-Key": OPTIONS.api_key}, timeout=5
    ).json()
    envelope = document["components"]["schemas"][schema + "Page"]
    assert set(envelope["required"]) == set(body)
    assert set(document["components"]["schemas"]["Pagination"]["required"]) == set(
        body["pagination"]
    )
    properties = document["components"]["schemas"][schema]["properties"]
    for record in body["data"]:
        assert set(record) == set(properties)


def test_personal_data_documents_the_hubs_assertion(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["HubAssertion"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-Hub-Assertion")
    for path in ("/passport-applications", "/passport-applications/{application_no}"):
        operation = document["paths"][path]["get"]
        assert operation["security"] == [{"ApiKey": [], "HubAssertion": []}]
        assert {"401", "403"} <= set(operation["responses"])
    assert "403" not in document["paths"]["/services"]["get"]["responses"]


def test_application_matches_its_schema(
    standin: RunningStandIn, document: dict[str, Any], hub_keys: HubKeys
) -> None:
    number = seed_applications(TODAY)[0].application_no
    request = httpx.Request(
        "GET",
        f"{standin.url}/api/v1/passport-applications/{number}",
        headers={"X-API-Key": OPTIONS.api_key},
    )
    request.headers[ASSERTION_HEADER] = assertion_for(hub_keys, request, "immigration")
    with httpx.Client(timeout=5) as http:
        record = http.send(request).json()
    schema = document["components"]["schemas"]["PassportApplication"]
    assert set(record) == set(schema["properties"])
    assert record["status"] in schema["properties"]["status"]["enum"]
    assert record["passport_type"] in schema["properties"]["passport_type"]["enum"]


def test_complaints_match_their_schemas(
    standin: RunningStandIn, document: dict[str, Any], hub_keys: HubKeys
) -> None:
    schemas = document["components"]["schemas"]
    form = {
        "case_type": "ENQUIRY",
        "category": "visas",
        "priority": "LOW",
        "subject": "Transit visa",
        "details": "Do I need one for six hours in Nairobi?",
        "submitted_at": "2026-03-10T09:30:00+03:00",
    }
    assert set(form) == set(schemas["ComplaintForm"]["required"])
    assert set(form) <= set(schemas["ComplaintForm"]["properties"])
    request = httpx.Request(
        "POST",
        f"{standin.url}/api/v1/complaints",
        json=form,
        headers={"X-API-Key": OPTIONS.api_key, "Idempotency-Key": "openapi-1"},
    )
    request.headers[ASSERTION_HEADER] = assertion_for(hub_keys, request, "immigration")
    with httpx.Client(timeout=5) as http:
        case = http.send(request).json()
        httpx.post(
            f"{standin.url}/_staff/complaints/{case['case_no']}/status",
            json={"status": "ASSIGNED", "remarks": "Yes, you do."},
        ).raise_for_status()
        feed = http.get(
            f"{standin.url}/api/v1/complaints/updates", headers={"X-API-Key": OPTIONS.api_key}
        ).json()
    whole = set(schemas["ComplaintStatus"]["properties"]) | set(schemas["Complaint"]["properties"])
    assert set(case) == whole
    assert case["status"] in schemas["ComplaintStatus"]["properties"]["status"]["enum"]
    assert set(feed) == set(schemas["ComplaintUpdatePage"]["required"])
    (update,) = feed["data"]
    assert set(update) == set(schemas["ComplaintUpdate"]["properties"])
    assert update["status"] in schemas["ComplaintUpdate"]["properties"]["status"]["enum"]
