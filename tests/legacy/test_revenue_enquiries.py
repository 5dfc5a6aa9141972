"""The revenue gateway's enquiry register over loopback: LodgeEnquiry, GetEnquiryUpdates,
the officers' desk and the fault knobs; every answer checked against the WSDL's schema."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from lxml import etree

from legacy import StandInOptions
from legacy.revenue import ENQUIRY_STATUSES
from legacy.running import RunningStandIn, running_standin
from tests.legacy.test_revenue import (
    LODGE_REQUIRED,
    PASSWORD,
    TODAY,
    USERNAME,
    WSDL_NS,
    XSD_NS,
    Gateway,
    answer,
    fault,
    local_time,
    ra,
    records,
    text,
)
from tests.support.keys import HubKeys, signing_hook

REFERENCE = re.compile(r"ENQ/(\d{4})/(\d{6})")


@pytest.fixture(scope="module")
def standin(hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    options = StandInOptions(
        today=TODAY, username=USERNAME, password=PASSWORD, hub_public_key=hub_keys.public_pem
    )
    with running_standin("revenue", options) as running:
        yield running


@pytest.fixture(scope="module")
def gateway(standin: RunningStandIn, hub_keys: HubKeys) -> Iterator[Gateway]:
    sign = signing_hook(hub_keys, "revenue", lambda request: request.method == "POST")
    with httpx.Client(base_url=standin.url, timeout=5, event_hooks={"request": [sign]}) as http:
        yield Gateway(http)


@pytest.fixture(scope="module")
def unsigned(standin: RunningStandIn) -> Iterator[Gateway]:
    with httpx.Client(base_url=standin.url, timeout=5) as http:
        yield Gateway(http)


@pytest.fixture(scope="module")
def schema(gateway: Gateway) -> etree.XMLSchema:
    wsdl = etree.fromstring(gateway.http.get("/soap?wsdl").content)
    embedded = wsdl.find(f"{{{WSDL_NS}}}types/{{{XSD_NS}}}schema")
    assert embedded is not None
    return etree.XMLSchema(copy.deepcopy(embedded))


@pytest.fixture
def faulty(standin: RunningStandIn) -> Iterator[RunningStandIn]:
    yield standin
    standin.reset_faults()


def lodging(ticket_id: str, **changes: str | None) -> list[tuple[str, str]]:
    """LodgeEnquiry parameters for ``ticket_id``; a change to ``None`` leaves one out."""
    parameters = dict(LODGE_REQUIRED, HubTicketId=ticket_id)
    parameters.update(changes)  # type: ignore[arg-type]
    return [(name, value) for name, value in parameters.items() if value is not None]


def fresh_id() -> str:
    return f"tkt-{datetime.now().timestamp()}"


def lodge(gateway: Gateway, schema: etree.XMLSchema, ticket_id: str, **changes: Any) -> Any:
    return answer(
        gateway.call("LodgeEnquiry", lodging(ticket_id, **changes)), "LodgeEnquiry", schema
    )


def move(standin: RunningStandIn, **body: Any) -> httpx.Response:
    return httpx.post(f"{standin.url}/_staff/enquiries/status", json=body, timeout=5)


# ------------------------------------------------------------------------- lodging


def test_an_enquiry_is_lodged_once_per_hub_ticket(
    gateway: Gateway, schema: etree.XMLSchema
) -> None:
    ticket = fresh_id()
    first = lodge(gateway, schema, ticket, ContactEmail="a@b.ke", Latitude="-1.28")
    match = REFERENCE.fullmatch(text(first, "EnquiryReference"))
    assert match
    assert text(first, "Status") == "LOGGED"
    assert text(first, "Duplicate") == "false"
    lodged_at = local_time(first, "LodgedAt")
    assert match.group(1) == str(lodged_at.year)

    again = lodge(gateway, schema, ticket, Subject="Something else")
    assert text(again, "EnquiryReference") == text(first, "EnquiryReference")
    assert local_time(again, "LodgedAt") == lodged_at
    assert text(again, "Duplicate") == "true"
    following = lodge(gateway, schema, fresh_id())
    assert REFERENCE.fullmatch(text(following, "EnquiryReference")).group(2) == (  # type: ignore[union-attr]
        f"{int(match.group(2)) + 1:06d}"
    )


def test_lodging_needs_the_hubs_assertion(
    unsigned: Gateway, gateway: Gateway, schema: etree.XMLSchema
) -> None:
    ticket = fresh_id()
    message = fault(
        unsigned.call("LodgeEnquiry", lodging(ticket)), "Client", "ASSERTION_REFUSED", schema
    )
    assert "LodgeEnquiry answers personal data" in message
    assert text(lodge(gateway, schema, ticket), "Duplicate") == "false"  # nothing was lodged


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"HubTicketId": None}, "HubTicketId is required"),
        ({"HubTicketId": "t" * 65}, "HubTicketId is required"),
        ({"Subject": None}, "missing required element Subject"),
        ({"Details": "  "}, "missing required element Details"),
        ({"Subject": "s" * 201}, "Subject holds at most 200 characters"),
        ({"EnquiryType": "PRAISE"}, "EnquiryType must be one of"),
        ({"Priority": "URGENT"}, "Priority must be one of P1, P2, P3, P4"),
        ({"SubmittedOn": None}, "missing required element SubmittedOn"),
        ({"Latitude": "north"}, "Latitude must be a decimal"),
        ({"Longitude": "181"}, "Longitude must be a decimal from -180 to 180"),
        ({"ContactPhone": "0" * 21}, "ContactPhone holds at most 20"),
    ],
)
def test_a_bad_enquiry_is_a_client_fault(
    gateway: Gateway, schema: etree.XMLSchema, changes: dict[str, str | None], words: str
) -> None:
    ticket = changes.get("HubTicketId") or fresh_id()
    response = gateway.call("LodgeEnquiry", lodging(ticket, **changes))
    assert words in fault(response, "Client", "INVALID_ENQUIRY", schema)


def test_an_unknown_element_is_a_client_fault(gateway: Gateway, schema: etree.XMLSchema) -> None:
    parameters = [*lodging(fresh_id()), ("Colour", "red")]
    message = fault(gateway.call("LodgeEnquiry", parameters), "Client", "INVALID_REQUEST", schema)
    assert "unexpected element Colour" in message


# --------------------------------------------------------------- updates and staff


def test_updates_come_in_order_after_since(
    standin: RunningStandIn, gateway: Gateway, schema: etree.XMLSchema
) -> None:
    reference = text(lodge(gateway, schema, fresh_id()), "EnquiryReference")
    first = move(standin, reference=reference, remarks="Received by the desk")
    assert first.status_code == 200, first.text
    since = first.json()["updated_at"]
    for status in ("ASSIGNED", "WORK IN PROGRESS"):
        assert move(standin, reference=reference, status=status, remarks=status).status_code == 200
    assert move(standin, reference=reference, status="RESOLVED").status_code == 200

    found = answer(
        gateway.call("GetEnquiryUpdates", [("Since", since)]), "GetEnquiryUpdates", schema
    )
    updates = records(found, "Updates", "Update")
    assert [
        (text(u, "EnquiryReference"), u.findtext(ra("Status")), u.findtext(ra("Remarks")))
        for u in updates
    ] == [
        (reference, "ASSIGNED", "ASSIGNED"),
        (reference, "WORK IN PROGRESS", "WORK IN PROGRESS"),
        (reference, "RESOLVED", None),
    ]
    times = [local_time(u, "UpdatedAt") for u in updates]
    assert times == sorted(set(times))
    assert times[0] > datetime.fromisoformat(since)
    with_offset = datetime.fromisoformat(since).isoformat() + "+03:00"
    assert len(_updates(gateway, schema, with_offset)) == 3
    assert _updates(gateway, schema, times[-1].isoformat()) == []


def test_updates_need_since(gateway: Gateway, schema: etree.XMLSchema) -> None:
    assert "missing required element Since" in fault(
        gateway.call("GetEnquiryUpdates"), "Client", "INVALID_REQUEST", schema
    )
    assert "must be an xsd:dateTime" in fault(
        gateway.call("GetEnquiryUpdates", [("Since", "yesterday")]),
        "Client",
        "INVALID_REQUEST",
        schema,
    )


def test_officers_may_set_every_status_word(
    standin: RunningStandIn, gateway: Gateway, schema: etree.XMLSchema
) -> None:
    reference = text(lodge(gateway, schema, fresh_id()), "EnquiryReference")
    for word in ENQUIRY_STATUSES:
        response = move(standin, reference=reference, status=word)
        assert response.status_code == 200
        assert response.json()["status"] == word


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"reference": "ENQ/2020/999999", "status": "CLOSED"}, 404, "no enquiry"),
        ({"reference": "ENQ-2020-1", "status": "CLOSED"}, 400, "reference must be like"),
        ({"status": "CLOSED"}, 400, "reference must be like"),
        ({"reference": "ENQ/2020/999999", "status": "SOLVED"}, 400, "status must be one of"),
        ({"reference": "ENQ/2020/999999"}, 400, "a new status, remarks, or both"),
        ({"reference": "ENQ/2020/999999", "remarks": 5}, 400, "remarks must be text"),
        ([], 400, "JSON object"),
    ],
)
def test_the_desk_refuses_bad_moves(
    standin: RunningStandIn, body: Any, status: int, words: str
) -> None:
    response = httpx.post(f"{standin.url}/_staff/enquiries/status", json=body, timeout=5)
    assert response.status_code == status
    assert words in response.json()["error"]


# --------------------------------------------------------------------- fault knobs


def test_the_knobs_fail_and_count_lodging_but_not_the_desk(
    faulty: RunningStandIn, gateway: Gateway, schema: etree.XMLSchema
) -> None:
    reference = text(lodge(gateway, schema, fresh_id()), "EnquiryReference")
    faulty.reset_served()
    faulty.set_faults(down=True)
    response = gateway.call("LodgeEnquiry", lodging(fresh_id()))
    assert response.status_code == 503
    assert "503 Service Temporarily Unavailable" in response.text
    assert move(faulty, reference=reference, status="ASSIGNED").status_code == 200
    assert faulty.stats()["served"] == faulty.stats()["failed"] == 1
    faulty.set_faults(down=False, fail_next=1)
    fault(
        gateway.call("GetEnquiryUpdates", [("Since", "2026-01-01T00:00:00")]),
        "Server",
        "INTERNAL_ERROR",
        schema,
    )
    assert faulty.stats()["failed"] == 2


def _updates(gateway: Gateway, schema: etree.XMLSchema, since: str) -> list[etree._Element]:
    found = answer(
        gateway.call("GetEnquiryUpdates", [("Since", since)]), "GetEnquiryUpdates", schema
    )
    return records(found, "Updates", "Update")
