"""Tickets lodged in the revenue gateway's enquiry register and its officers' updates read
back; every request the connector sends is checked against the gateway's WSDL."""

from __future__ import annotations

import copy
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from lxml import etree

from connectors.revenue import RevenueConnector
from hub.connector import (
    AgencyRejected,
    AgencyTimeout,
    AgencyUnavailable,
    TicketUpdate,
)
from hub.identity import ASSERTION_HEADER
from legacy import StandInOptions
from legacy.running import RunningStandIn, running_standin
from tests.connectors.test_revenue import AGENCY, NAIROBI, TODAY, SoapRecorder
from tests.support.connectors import is_utc, open_with
from tests.support.keys import HubKeys
from tests.support.tickets import delivery, move_case

REFERENCE = re.compile(r"ENQ/\d{4}/(\d{6})")
EXPECTED = {
    "LOGGED": "ACKNOWLEDGED",
    "ASSIGNED": "ACKNOWLEDGED",
    "WORK IN PROGRESS": "IN_PROGRESS",
    "PENDING TAXPAYER": "IN_PROGRESS",
    "ESCALATED": "IN_PROGRESS",
    "RESOLVED": "RESOLVED",
    "CLOSED": "RESOLVED",
    "REJECTED": "REJECTED",
}


@pytest.fixture(scope="module")
def standin(hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    options = StandInOptions(today=TODAY, hub_public_key=hub_keys.public_pem)
    with running_standin("revenue", options) as running:
        yield running


@pytest.fixture(scope="module")
def schema(standin: RunningStandIn) -> etree.XMLSchema:
    """The XML Schema in the gateway's WSDL, to check what the connector sends."""
    wsdl = etree.fromstring(httpx.get(f"{standin.url}/soap?wsdl", timeout=5).content)
    embedded = wsdl.find(
        "{http://schemas.xmlsoap.org/wsdl/}types/{http://www.w3.org/2001/XMLSchema}schema"
    )
    assert embedded is not None
    return etree.XMLSchema(copy.deepcopy(embedded))


@pytest.fixture
def recorder() -> SoapRecorder:
    return SoapRecorder()


@pytest.fixture
async def connector(
    standin: RunningStandIn, recorder: SoapRecorder, hub_keys: HubKeys
) -> AsyncIterator[RevenueConnector]:
    async with httpx.AsyncClient(timeout=5, event_hooks={"request": [recorder]}) as http:
        opened = await open_with(
            RevenueConnector, AGENCY, standin.connector_settings, http, hub_keys.signer
        )
        yield opened
        await opened.close()
    standin.reset_faults()


def serial(reference: str) -> int:
    match = REFERENCE.fullmatch(reference)
    assert match, reference
    return int(match.group(1))


def for_reference(updates: list[TicketUpdate], reference: str) -> list[TicketUpdate]:
    return [update for update in updates if update.reference == reference]


# ---------------------------------------------------------------------------- lodging


@pytest.mark.parametrize(
    ("kind", "priority", "enquiry_type", "code"),
    [
        ("ENQUIRY", "LOW", "GENERAL ENQUIRY", "P4"),
        ("COMPLAINT", "NORMAL", "COMPLAINT", "P3"),
        ("COMMENDATION", "NORMAL", "COMPLIMENT", "P3"),
        ("REPORT", "URGENT", "INFORMANT REPORT", "P1"),
        ("REQUEST", "HIGH", "SERVICE REQUEST", "P2"),
    ],
)
async def test_every_kind_is_lodged_as_the_wsdl_says(
    connector: RevenueConnector,
    recorder: SoapRecorder,
    schema: etree.XMLSchema,
    kind: str,
    priority: str,
    enquiry_type: str,
    code: str,
) -> None:
    ticket = delivery(kind=kind, priority=priority)
    receipt = await connector.submit_ticket(ticket)
    assert serial(receipt.reference) >= 1
    assert is_utc(receipt.filed_at)
    (operation,) = recorder.operations()
    schema.assertValid(copy.deepcopy(operation))
    assert recorder.last() == {
        "HubTicketId": [ticket.ticket_id],
        "HubReference": ["CH-2026-000123"],
        "EnquiryType": [enquiry_type],
        "Category": ["service-complaints"],
        "Priority": [code],
        "Subject": [ticket.title],
        "Details": [ticket.description],
        "SubmittedOn": ["2026-03-10T09:30:15.250000"],
        "Area": ["Nairobi"],
        "Address": ["Nyayo House, Kenyatta Avenue"],
        "Latitude": ["-1.286389"],
        "Longitude": ["36.817223"],
        "ContactName": ["Achieng Otieno"],
        "ContactPhone": ["0712 345 678"],
        "ContactEmail": ["achieng@example.com"],
    }


async def test_what_the_ticket_lacks_is_left_out(
    connector: RevenueConnector, recorder: SoapRecorder, schema: etree.XMLSchema
) -> None:
    ticket = delivery(area=None, address=None, latitude=None, longitude=None, contact_email=None)
    await connector.submit_ticket(ticket)
    (operation,) = recorder.operations()
    schema.assertValid(copy.deepcopy(operation))
    sent = recorder.last()
    assert {"Area", "Address", "Latitude", "Longitude", "ContactEmail"}.isdisjoint(sent)
    assert sent["ContactName"] == ["Achieng Otieno"]


async def test_delivering_again_answers_the_same_enquiry_and_lodges_nothing(
    connector: RevenueConnector,
) -> None:
    ticket = delivery()
    first = await connector.submit_ticket(ticket)
    assert await connector.submit_ticket(ticket) == first
    assert await connector.submit_ticket(delivery(ticket_id=ticket.ticket_id, title="New")) == first
    following = await connector.submit_ticket(delivery())
    assert serial(following.reference) == serial(first.reference) + 1


async def test_each_delivery_carries_the_hubs_own_assertion(
    connector: RevenueConnector, standin: RunningStandIn, recorder: SoapRecorder
) -> None:
    standin.forget_assertions()
    await connector.submit_ticket(delivery(tracking_number="CH-2026-000888"))
    claims = standin.assertions()
    assert [(c["aud"], c["sub"], c["role"], c["purpose"], c["obo"]) for c in claims] == [
        ("revenue", "citizen-hub", "anonymous", "tickets.deliver", {"ticket": "CH-2026-000888"})
    ]
    await connector.ticket_updates(datetime.now(UTC))
    assert ASSERTION_HEADER not in recorder.requests[-1].headers


# ---------------------------------------------------------------------------- updates


async def test_every_status_word_is_read_in_the_hubs_words(
    connector: RevenueConnector, standin: RunningStandIn
) -> None:
    receipt = await connector.submit_ticket(delivery())
    since = datetime.now(UTC)
    for word in EXPECTED:
        await move_case(standin, receipt.reference, word, f"now {word.lower()}")
    await move_case(standin, receipt.reference, None, "We wrote to you.")
    updates = for_reference(await connector.ticket_updates(since), receipt.reference)
    assert [(u.status, u.status_text, u.note) for u in updates] == [
        *((status, word.capitalize(), f"now {word.lower()}") for word, status in EXPECTED.items()),
        (None, None, "We wrote to you."),
    ]
    assert all(is_utc(u.updated_at) for u in updates)
    assert [u.updated_at for u in updates] == sorted({u.updated_at for u in updates})


async def test_updates_start_after_since(
    connector: RevenueConnector, standin: RunningStandIn, recorder: SoapRecorder
) -> None:
    receipt = await connector.submit_ticket(delivery())
    since = datetime.now(UTC)
    for word in ("ASSIGNED", "ESCALATED", "RESOLVED"):
        await move_case(standin, receipt.reference, word, word)
    every = for_reference(await connector.ticket_updates(since), receipt.reference)
    assert [u.note for u in every] == ["ASSIGNED", "ESCALATED", "RESOLVED"]
    after_first = await connector.ticket_updates(every[0].updated_at)
    sent = recorder.last()["Since"]
    local = every[0].updated_at.astimezone(NAIROBI).replace(tzinfo=None)
    assert sent == [local.isoformat(timespec="microseconds")]
    assert [u.note for u in for_reference(after_first, receipt.reference)] == [
        "ESCALATED",
        "RESOLVED",
    ]
    assert await connector.ticket_updates(every[0].updated_at.replace(tzinfo=None)) == after_first
    assert await connector.ticket_updates(every[-1].updated_at) == []


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "t" * 201}, "Subject holds at most 200 characters"),
        ({"description": "  "}, "missing required element Details"),
        ({"category": ""}, "missing required element Category"),
        ({"latitude": 123.0}, "Latitude must be a decimal from -90 to 90"),
        ({"ticket_id": "has space"}, "HubTicketId is required"),
    ],
)
async def test_an_enquiry_the_register_refuses_is_rejected_with_its_reason(
    connector: RevenueConnector, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(AgencyRejected, match=re.escape(message)) as caught:
        await connector.submit_ticket(delivery(**changes))
    assert caught.value.agency == "revenue"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "PRAISE"}, "not 'PRAISE'"),
        ({"priority": "SOON"}, "not 'SOON'"),
        ({"description": "a \x07 bell"}, "Details holds control characters"),
    ],
)
async def test_a_ticket_soap_cannot_carry_is_refused_before_any_request(
    connector: RevenueConnector, recorder: SoapRecorder, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(AgencyRejected, match=re.escape(message)):
        await connector.submit_ticket(delivery(**changes))
    assert recorder.requests == []


async def test_without_an_assertion_key_nothing_is_sent(
    standin: RunningStandIn, recorder: SoapRecorder
) -> None:
    async with httpx.AsyncClient(timeout=5, event_hooks={"request": [recorder]}) as http:
        connector = await open_with(RevenueConnector, AGENCY, standin.connector_settings, http)
        with pytest.raises(AgencyRejected, match="HUB_ASSERTION_KEY_FILE"):
            await connector.submit_ticket(delivery())
    assert recorder.requests == []


async def test_an_untrusted_key_is_rejected(hub_keys: HubKeys) -> None:
    with running_standin("revenue", StandInOptions(today=TODAY)) as keyless:
        async with httpx.AsyncClient(timeout=5) as http:
            connector = await open_with(
                RevenueConnector, AGENCY, keyless.connector_settings, http, hub_keys.signer
            )
            with pytest.raises(AgencyRejected, match="assertion was refused"):
                await connector.submit_ticket(delivery())


# -------------------------------------------------------------------------- failures


async def test_a_gateway_that_is_down_is_unavailable_and_counts_the_attempts(
    connector: RevenueConnector, standin: RunningStandIn
) -> None:
    ticket = delivery()
    standin.reset_served()
    standin.set_faults(down=True)
    with pytest.raises(AgencyUnavailable, match="503") as caught:
        await connector.submit_ticket(ticket)
    assert caught.value.agency == "revenue"
    with pytest.raises(AgencyUnavailable):
        await connector.ticket_updates(datetime.now(UTC))
    assert standin.stats()["failed"] == 2
    standin.set_faults(down=False)
    receipt = await connector.submit_ticket(ticket)
    assert await connector.submit_ticket(ticket) == receipt
    assert standin.stats()["served"] == 4


async def test_a_failed_delivery_retried_lodges_one_enquiry(
    connector: RevenueConnector, standin: RunningStandIn
) -> None:
    before = await connector.submit_ticket(delivery())
    ticket = delivery()
    standin.set_faults(fail_next=1)
    with pytest.raises(AgencyUnavailable, match="INTERNAL_ERROR"):
        await connector.submit_ticket(ticket)
    receipt = await connector.submit_ticket(ticket)
    assert serial(receipt.reference) == serial(before.reference) + 1


async def test_a_slow_gateway_is_a_timeout(standin: RunningStandIn, hub_keys: HubKeys) -> None:
    standin.set_faults(latency=1.0)
    try:
        async with httpx.AsyncClient(timeout=0.1) as http:
            connector = await open_with(
                RevenueConnector, AGENCY, standin.connector_settings, http, hub_keys.signer
            )
            with pytest.raises(AgencyTimeout):
                await connector.submit_ticket(delivery())
            with pytest.raises(AgencyTimeout):
                await connector.ticket_updates(datetime.now(UTC))
    finally:
        standin.reset_faults()
