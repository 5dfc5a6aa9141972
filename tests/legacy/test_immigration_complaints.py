"""The immigration stand-in's complaints desk over loopback: lodging, the feed of
updates, the officers' desk and the fault knobs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import httpx
import pytest

from legacy import StandInOptions
from legacy.assertions import ASSERTION_HEADER
from legacy.immigration import CASE_STATUSES
from legacy.running import RunningStandIn, running_standin
from tests.support.keys import HubKeys, assertion_for

TODAY = date(2026, 3, 10)
API_KEY = StandInOptions().api_key
CASE = re.compile(r"IMC-(\d{4})-(\d{6})")


def form(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hub_reference": "CH-2026-000042",
        "case_type": "COMPLAINT",
        "category": "service-complaints",
        "priority": "HIGH",
        "subject": "Waited six hours at Nyayo House",
        "details": "I came at 8 and was served at 2.",
        "submitted_at": "2026-03-10T09:30:00.250000+03:00",
        "location": {"area": "Nairobi", "address": None, "latitude": -1.28, "longitude": 36.8},
        "complainant": {"name": "Baraka Were", "phone": "+254 712 345678", "email": "b@x.ke"},
    }
    body.update(changes)
    return body


@pytest.fixture(scope="module")
def standin(hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    options = StandInOptions(today=TODAY, hub_public_key=hub_keys.public_pem)
    with running_standin("immigration", options) as running:
        yield running


@pytest.fixture
def desk(standin: RunningStandIn, hub_keys: HubKeys) -> Iterator[Desk]:
    with httpx.Client(base_url=standin.url, timeout=5) as http:
        yield Desk(http, hub_keys)
    standin.reset_faults()


class Desk:
    """Talks to the stand-in the way the hub's connector does, or deliberately not."""

    def __init__(self, http: httpx.Client, keys: HubKeys) -> None:
        self.http = http
        self.keys = keys

    def lodge(
        self,
        body: Any,
        key: str | None = "tkt-1",
        *,
        signed: bool = True,
        api_key: str | None = API_KEY,
    ) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if key is not None:
            headers["Idempotency-Key"] = key
        if api_key is not None:
            headers["X-API-Key"] = api_key
        content = body if isinstance(body, bytes) else httpx.Request("POST", "/", json=body).content
        request = self.http.build_request(
            "POST", "/api/v1/complaints", content=content, headers=headers
        )
        if signed:
            request.headers[ASSERTION_HEADER] = assertion_for(self.keys, request, "immigration")
        return self.http.send(request)

    def updates(self, **params: str) -> httpx.Response:
        return self.http.get(
            "/api/v1/complaints/updates", params=params, headers={"X-API-Key": API_KEY}
        )

    def move(self, case_no: str, **body: Any) -> httpx.Response:
        return self.http.post(f"/_staff/complaints/{case_no}/status", json=body)


def unique_key(prefix: str = "tkt") -> str:
    return f"{prefix}-{datetime.now().timestamp()}"


# ------------------------------------------------------------------------- lodging


def test_lodging_answers_the_whole_case_once_per_key(desk: Desk) -> None:
    key = unique_key()
    first = desk.lodge(form(), key)
    assert first.status_code == 201, first.text
    case = first.json()
    assert CASE.fullmatch(case["case_no"])
    assert case["status"] == "RECEIVED"
    assert case["updates"] == []
    assert case["complainant"] == {
        "name": "Baraka Were",
        "phone": "+254 712 345678",
        "email": "b@x.ke",
    }
    assert case["location"]["latitude"] == -1.28
    assert case["submitted_at"] == "2026-03-10T09:30:00.250000+03:00"
    assert datetime.fromisoformat(case["received_at"]).utcoffset() is not None

    again = desk.lodge(form(subject="Changed my mind"), key)
    assert again.status_code == 200
    assert again.json() == case
    other = desk.lodge(form(), unique_key())
    assert other.status_code == 201
    first_serial = int(CASE.fullmatch(case["case_no"]).group(2))  # type: ignore[union-attr]
    assert other.json()["case_no"].endswith(f"{first_serial + 1:06d}")


@pytest.mark.parametrize("key", [None, "", "has space", "k" * 65])
def test_lodging_needs_an_idempotency_key(desk: Desk, key: str | None) -> None:
    response = desk.lodge(form(), key)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_IDEMPOTENCY_KEY"


def test_lodging_needs_the_hubs_assertion_and_the_api_key(desk: Desk) -> None:
    unsigned = desk.lodge(form(), unique_key(), signed=False)
    assert unsigned.status_code == 401
    assert unsigned.json()["error"]["code"] == "MISSING_ASSERTION"
    keyless = desk.lodge(form(), unique_key(), api_key=None)
    assert keyless.status_code == 401
    assert keyless.json()["error"]["code"] == "MISSING_API_KEY"


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        (b"{not json", "INVALID_BODY", "JSON object"),
        ([form()], "INVALID_BODY", "JSON object"),
        (form(colour="red"), "UNKNOWN_FIELD", "['colour']"),
        (form(subject="  "), "MISSING_FIELD", "subject is required"),
        (form(details=None), "MISSING_FIELD", "details is required"),
        (form(subject="s" * 201), "FIELD_TOO_LONG", "subject holds at most 200"),
        (form(subject=7), "INVALID_FIELD", "subject must be text"),
        (form(case_type="PRAISE"), "INVALID_FIELD", "case_type must be one of"),
        (form(priority="normal"), "INVALID_FIELD", "priority must be one of"),
        (form(submitted_at="10/03/2026 09:30"), "INVALID_FIELD", "submitted_at must be"),
        (form(location={"latitude": 91}), "INVALID_FIELD", "location.latitude"),
        (form(location={"longitude": True}), "INVALID_FIELD", "location.longitude"),
        (form(location="Nairobi"), "INVALID_FIELD", "location must be"),
        (form(complainant={"phone": "call me"}), "INVALID_FIELD", "not a phone number"),
        (form(complainant={"email": "b@x"}), "INVALID_FIELD", "not an e-mail address"),
        (form(complainant={"name": "n" * 101}), "FIELD_TOO_LONG", "complainant.name"),
    ],
)
def test_a_bad_case_is_refused_and_not_lodged(desk: Desk, body: Any, code: str, words: str) -> None:
    key = unique_key()
    response = desk.lodge(body, key)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert words in error["message"]
    assert desk.lodge(form(), key).status_code == 201  # the key was not used up


# --------------------------------------------------------------- updates and staff


def test_the_feed_holds_every_move_in_order_and_pages(desk: Desk) -> None:
    case_no = desk.lodge(form(), unique_key()).json()["case_no"]
    start = desk.move(case_no, remarks="Opened").json()["updates"][-1]["updated_at"]
    moved = [
        desk.move(case_no, status=status, remarks=f"now {status}", officer="IO 17")
        for status in ("ASSIGNED", "UNDER REVIEW", "RESOLVED")
    ]
    assert all(response.status_code == 200 for response in moved)
    assert moved[-1].json()["status"] == "RESOLVED"

    body = desk.updates(updated_after=start).json()
    assert body["pagination"]["total_records"] == 3
    feed = body["data"]
    assert [(u["case_no"], u["status"], u["remarks"], u["officer"]) for u in feed] == [
        (case_no, "ASSIGNED", "now ASSIGNED", "IO 17"),
        (case_no, "UNDER REVIEW", "now UNDER REVIEW", "IO 17"),
        (case_no, "RESOLVED", "now RESOLVED", "IO 17"),
    ]
    times = [datetime.fromisoformat(u["updated_at"]) for u in feed]
    assert times == sorted(set(times))
    pages = [
        desk.updates(updated_after=start, per_page="1", page=str(page)).json()["data"]
        for page in (1, 2, 3, 4)
    ]
    assert [update for page in pages for update in page] == feed
    naive = datetime.fromisoformat(start).replace(tzinfo=None).isoformat()
    assert desk.updates(updated_after=naive).json()["data"] == feed
    assert desk.updates(updated_after=feed[-1]["updated_at"]).json()["data"] == []


@pytest.mark.parametrize("value", ["yesterday", "10/03/2026 09:30", ""])
def test_a_bad_updated_after_is_refused(desk: Desk, value: str) -> None:
    response = desk.updates(updated_after=value)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_DATE"


@pytest.mark.parametrize(
    ("case_no", "body", "status", "code"),
    [
        ("IMC-2020-999999", {"status": "CLOSED"}, 404, "CASE_NOT_FOUND"),
        ("IMC-2020", {"status": "CLOSED"}, 400, "INVALID_CASE_NUMBER"),
        (None, {"status": "SOLVED"}, 400, "INVALID_STATUS"),
        (None, {}, 400, "MISSING_FIELD"),
        (None, {"remarks": 5}, 400, "INVALID_FIELD"),
    ],
)
def test_the_desk_refuses_bad_moves(
    desk: Desk, case_no: str | None, body: dict[str, Any], status: int, code: str
) -> None:
    number = case_no or desk.lodge(form(), unique_key()).json()["case_no"]
    response = desk.move(number, **body)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_officers_may_set_every_status_word(desk: Desk) -> None:
    case_no = desk.lodge(form(), unique_key()).json()["case_no"]
    for word in CASE_STATUSES:
        response = desk.move(case_no, status=word)
        assert response.status_code == 200
        assert response.json()["status"] == word
    assert "remarks" not in response.json()  # the desk answers the case, not the update


# --------------------------------------------------------------------- fault knobs


def test_the_knobs_fail_and_count_lodging_but_not_the_desk(
    desk: Desk, standin: RunningStandIn
) -> None:
    case_no = desk.lodge(form(), unique_key()).json()["case_no"]
    standin.reset_served()
    standin.set_faults(down=True)
    refused = desk.lodge(form(), unique_key())
    assert refused.status_code == 503
    assert refused.headers["Retry-After"]
    assert desk.updates().status_code == 503
    assert desk.move(case_no, status="ASSIGNED").status_code == 200
    assert standin.stats()["served"] == 2
    assert standin.stats()["failed"] == 2
    standin.set_faults(down=False, fail_next=1)
    assert desk.lodge(form(), unique_key()).status_code == 500
    assert desk.lodge(form(), unique_key()).status_code == 201
    assert standin.stats() | {"in_flight": 0} == {
        "served": 4,
        "failed": 3,
        "in_flight": 0,
        "peak_in_flight": 1,
    }
