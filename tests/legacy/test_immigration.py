"""The immigration stand-in over loopback: API key, pagination, resources, errors, faults."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest

from legacy import Faults, StandInOptions
from legacy.immigration import STATUSES, seed_applications
from legacy.running import RunningStandIn, running_standin
from tests.support.keys import HubKeys, signing_hook

TODAY = date(2026, 3, 10)
API_KEY = "test-immigration-key"
DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
DATE_TIME = re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}")
LISTINGS = ("/services", "/news", "/vacancies")
APPLICATIONS = seed_applications(TODAY)


@pytest.fixture(scope="module")
def standin(hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    options = StandInOptions(today=TODAY, api_key=API_KEY, hub_public_key=hub_keys.public_pem)
    with running_standin("immigration", options) as running:
        yield running


def is_personal(request: httpx.Request) -> bool:
    return request.url.path.startswith("/api/v1/passport-applications")


@pytest.fixture
def api(standin: RunningStandIn, hub_keys: HubKeys) -> Iterator[httpx.Client]:
    """A client of the API with the hub's key, and its assertion on every request for
    personal data (tests/legacy/test_assertions.py checks the assertions themselves)."""
    with httpx.Client(
        base_url=f"{standin.url}/api/v1",
        headers={"X-API-Key": API_KEY},
        timeout=5,
        event_hooks={"request": [signing_hook(hub_keys, "immigration", is_personal)]},
    ) as client:
        yield client
    standin.reset_faults()


def all_records(api: httpx.Client, path: str, **params: str) -> list[dict[str, Any]]:
    response = api.get(path, params={**params, "per_page": 100})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["pagination"]["total_pages"] <= 1
    records: list[dict[str, Any]] = body["data"]
    return records


def assert_error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    message: str = error["message"]
    return message


def day(text: object) -> date:
    assert isinstance(text, str), text
    assert DATE.fullmatch(text), text
    return datetime.strptime(text, "%d/%m/%Y").date()


# ---------------------------------------------------------------------------- API key


def test_health_needs_no_key(standin: RunningStandIn) -> None:
    response = httpx.get(f"{standin.url}/api/v1/health", timeout=5)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "OK"
    assert DATE_TIME.fullmatch(body["server_time"])


@pytest.mark.parametrize(
    "path",
    [
        *LISTINGS,
        "/passport-applications",
        f"/passport-applications/{APPLICATIONS[0].application_no}",
    ],
)
def test_missing_key_is_refused(standin: RunningStandIn, path: str) -> None:
    response = httpx.get(f"{standin.url}/api/v1{path}", timeout=5)
    assert "X-API-Key" in assert_error(response, 401, "MISSING_API_KEY")


@pytest.mark.parametrize("key", ["wrong-key", API_KEY.upper(), ""])
def test_wrong_key_is_refused(standin: RunningStandIn, key: str) -> None:
    response = httpx.get(f"{standin.url}/api/v1/services", headers={"X-API-Key": key}, timeout=5)
    assert_error(response, 401, "INVALID_API_KEY")


# ------------------------------------------------------------------------- pagination


@pytest.mark.parametrize("path", LISTINGS)
def test_pages_cover_every_record_once(api: httpx.Client, path: str) -> None:
    everything = all_records(api, path)
    first = api.get(path, params={"per_page": 7}).json()
    total_pages = first["pagination"]["total_pages"]
    assert first["pagination"] == {
        "page": 1,
        "per_page": 7,
        "total_pages": -(-len(everything) // 7),
        "total_records": len(everything),
    }
    paged = list(first["data"])
    for page in range(2, total_pages + 1):
        body = api.get(path, params={"per_page": 7, "page": page}).json()
        assert body["pagination"]["page"] == page
        paged.extend(body["data"])
    assert paged == everything


def test_default_page_size_is_twenty(api: httpx.Client) -> None:
    body = api.get("/news").json()
    assert body["pagination"]["per_page"] == 20
    assert len(body["data"]) == 20


def test_page_after_the_last_is_empty(api: httpx.Client) -> None:
    body = api.get("/services", params={"page": 99}).json()
    assert body["data"] == []
    assert body["pagination"]["page"] == 99


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "-1"},
        {"page": "two"},
        {"per_page": "0"},
        {"per_page": "101"},
        {"per_page": "1.5"},
        {"per_page": ""},
    ],
)
def test_bad_page_values_are_rejected(api: httpx.Client, params: dict[str, str]) -> None:
    name = next(iter(params))
    assert name in assert_error(api.get("/services", params=params), 400, "INVALID_PAGINATION")


# -------------------------------------------------------------------------- resources


def test_services_catalogue(api: httpx.Client) -> None:
    services = all_records(api, "/services")
    assert len(services) >= 20
    codes = [s["service_code"] for s in services]
    assert len(set(codes)) == len(codes)
    categories = {s["category"] for s in services}
    assert {"Passports", "Visas", "Work Permits", "Residence", "Citizenship"} <= categories
    for service in services:
        assert isinstance(service["fee_kes"], int)
        assert service["fee_kes"] >= 0
        assert isinstance(service["processing_days"], int)
        assert service["processing_days"] > 0
        assert isinstance(service["requirements"], list)
        assert service["requirements"]
        assert (service["application_url"] is not None) == service["apply_online"]
        assert day(service["last_updated"]) <= TODAY


def test_services_filters(api: httpx.Client) -> None:
    visas = all_records(api, "/services", category="visas")
    assert {s["category"] for s in visas} == {"Visas"}
    assert len(visas) == 3
    lost = all_records(api, "/services", q="Replacement LOST")
    assert [s["service_code"] for s in lost] == ["PP-LOST"]
    chosen = api.get("/services", params=[("ids", "WP-D"), ("ids", "RS-PR"), ("ids", "nope")])
    assert [s["service_code"] for s in chosen.json()["data"]] == ["WP-D", "RS-PR"]


def test_news_newest_first_over_recent_months(api: httpx.Client) -> None:
    news = all_records(api, "/news")
    assert len(news) >= 30
    published = [datetime.strptime(str(n["published_at"]), "%d/%m/%Y %H:%M") for n in news]
    assert published == sorted(published, reverse=True)
    assert all(TODAY - timedelta(days=200) < p.date() < TODAY for p in published)
    assert {n["category"] for n in news} == {"Press Release", "Public Notice", "Advisory"}
    assert all(str(n["body"]).startswith(str(n["summary"])) for n in news)


def test_news_date_filters(api: httpx.Client) -> None:
    start, end = TODAY - timedelta(days=30), TODAY - timedelta(days=10)
    found = all_records(
        api,
        "/news",
        published_from=start.strftime("%d/%m/%Y"),
        published_to=end.strftime("%d/%m/%Y"),
    )
    assert found
    assert all(start <= day(str(n["published_at"])[:10]) <= end for n in found)
    response = api.get("/news", params={"published_from": "2026-03-01"})
    assert "dd/mm/yyyy" in assert_error(response, 400, "INVALID_DATE")


def test_vacancies_open_around_today(api: httpx.Client) -> None:
    adverts = all_records(api, "/vacancies")
    assert len(adverts) >= 20
    for advert in adverts:
        opening, closing = day(advert["opening_date"]), day(advert["closing_date"])
        assert opening <= closing
        assert advert["status"] == ("OPEN" if opening <= TODAY <= closing else "CLOSED")
    statuses = [a["status"] for a in adverts]
    assert statuses.count("OPEN") > statuses.count("CLOSED") > 0
    closing_soon = [
        a for a in adverts if TODAY <= day(a["closing_date"]) <= TODAY + timedelta(days=3)
    ]
    assert closing_soon


def test_vacancies_status_filter(api: httpx.Client) -> None:
    closed = all_records(api, "/vacancies", status="closed")
    assert closed
    assert {a["status"] for a in closed} == {"CLOSED"}
    assert "OPEN or CLOSED" in assert_error(
        api.get("/vacancies", params={"status": "PENDING"}), 400, "INVALID_PARAMETER"
    )


def test_passport_application_by_number(api: httpx.Client) -> None:
    rejected = next(a for a in APPLICATIONS if a.status == "REJECTED")
    body = api.get(f"/passport-applications/{rejected.application_no}").json()
    assert body["application_no"] == rejected.application_no
    assert body["applicant_id_no"] == rejected.applicant_id_no
    assert body["status"] == "REJECTED"
    assert body["remarks"]
    assert day(body["submitted_date"]) == rejected.submitted_date
    assert DATE_TIME.fullmatch(body["last_updated"])


def test_seeded_applications_cover_every_status() -> None:
    assert len(APPLICATIONS) == 50
    assert {a.status for a in APPLICATIONS} == set(STATUSES)
    for application in APPLICATIONS:
        assert re.fullmatch(
            rf"PA{application.submitted_date.year}-\d{{7}}", application.application_no
        )
        assert (application.remarks is not None) == (application.status == "REJECTED")
        assert application.submitted_date <= application.last_updated.date() < TODAY
    assert seed_applications(TODAY) == APPLICATIONS


def test_unknown_application_is_not_found(api: httpx.Client) -> None:
    response = api.get("/passport-applications/PA2026-9999999")
    assert "PA2026-9999999" in assert_error(response, 404, "APPLICATION_NOT_FOUND")


@pytest.mark.parametrize("number", ["PA2026-123", "pa2026-0012345", "XX2026-0012345"])
def test_malformed_application_number_is_rejected(api: httpx.Client, number: str) -> None:
    response = api.get(f"/passport-applications/{number}")
    assert "PA2026-0012345" in assert_error(response, 400, "INVALID_APPLICATION_NUMBER")


def test_batch_of_applications(api: httpx.Client) -> None:
    known = [a.application_no for a in APPLICATIONS[:3]]
    numbers = [*known, "PA2026-9999999", known[0]]
    body = api.get("/passport-applications", params=[("application_no", n) for n in numbers]).json()
    assert [a["application_no"] for a in body["data"]] == known
    assert body["not_found"] == ["PA2026-9999999"]


def test_batch_needs_between_one_and_a_hundred_numbers(api: httpx.Client) -> None:
    assert_error(api.get("/passport-applications"), 400, "MISSING_PARAMETER")
    many = httpx.QueryParams([("application_no", f"PA2026-{n:07d}") for n in range(101)])
    assert_error(
        api.get("/passport-applications", params=many), 400, "TOO_MANY_APPLICATION_NUMBERS"
    )
    bad = httpx.QueryParams(
        [("application_no", APPLICATIONS[0].application_no), ("application_no", "123")]
    )
    assert_error(api.get("/passport-applications", params=bad), 400, "INVALID_APPLICATION_NUMBER")


def test_unknown_path_and_method_answer_in_its_style(api: httpx.Client) -> None:
    assert_error(api.get("/permits"), 404, "NOT_FOUND")
    assert_error(api.post("/services"), 405, "METHOD_NOT_ALLOWED")


# ----------------------------------------------------------------------------- faults


def test_down_answers_503_with_retry_after(standin: RunningStandIn, api: httpx.Client) -> None:
    standin.set_faults(down=True)
    for path in ("/services", "/health"):
        response = api.get(path)
        assert_error(response, 503, "SERVICE_UNAVAILABLE")
        assert int(response.headers["retry-after"]) > 0
    assert httpx.get(f"{standin.url}/_faults", timeout=5).json()["down"] is True


def test_error_rate_answers_500(standin: RunningStandIn, api: httpx.Client) -> None:
    standin.set_faults(error_rate=1.0)
    assert_error(api.get("/news"), 500, "INTERNAL_SERVER_ERROR")
    standin.set_faults(error_rate=0.0)
    assert api.get("/news").status_code == 200


def test_latency_delays_answers(standin: RunningStandIn, api: httpx.Client) -> None:
    standin.set_faults(latency=0.3)
    started = time.perf_counter()
    assert api.get("/health").status_code == 200
    assert time.perf_counter() - started >= 0.3


def test_bad_fault_knobs_are_refused(standin: RunningStandIn) -> None:
    response = httpx.put(f"{standin.url}/_faults", json={"error_rate": 2}, timeout=5)
    assert response.status_code == 400


def test_faults_set_at_start() -> None:
    options = StandInOptions(today=TODAY, api_key=API_KEY, faults=Faults(down=True))
    with running_standin("immigration", options) as down:
        response = httpx.get(f"{down.url}/api/v1/health", timeout=5)
        assert_error(response, 503, "SERVICE_UNAVAILABLE")
