"""Tickets lodged with the immigration complaints desk and its officers' updates read back."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from connectors.immigration import ImmigrationConnector
from hub.connector import (
    AgencyRejected,
    AgencyTimeout,
    AgencyUnavailable,
    TicketDelivery,
    TicketUpdate,
)
from hub.identity import ASSERTION_HEADER
from legacy import StandInOptions
from legacy.running import RunningStandIn, running_standin
from tests.connectors.test_immigration import AGENCY, TODAY
from tests.support.connectors import is_utc, open_with
from tests.support.keys import HubKeys, assertion_for
from tests.support.recording import Recorder
from tests.support.tickets import KINDS, delivery, move_case

CASE = re.compile(r"IMC-\d{4}-(\d{6})")
EXPECTED = {
    "RECEIVED": "ACKNOWLEDGED",
    "ASSIGNED": "ACKNOWLEDGED",
    "UNDER REVIEW": "IN_PROGRESS",
    "AWAITING CUSTOMER": "IN_PROGRESS",
    "ESCALATED": "IN_PROGRESS",
    "RESOLVED": "RESOLVED",
    "CLOSED": "RESOLVED",
    "DECLINED": "REJECTED",
}


@pytest.fixture(scope="module")
def standin(hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    options = StandInOptions(today=TODAY, hub_public_key=hub_keys.public_pem)
    with running_standin("immigration", options) as running:
        yield running


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def connector(
    standin: RunningStandIn, recorder: Recorder, hub_keys: HubKeys
) -> AsyncIterator[ImmigrationConnector]:
    async with httpx.AsyncClient(timeout=5, event_hooks={"request": [recorder]}) as http:
        opened = await open_with(
            ImmigrationConnector, AGENCY, standin.connector_settings, http, hub_keys.signer
        )
        yield opened
        await opened.close()
    standin.reset_faults()


def lodged_case(standin: RunningStandIn, keys: HubKeys, ticket: TicketDelivery) -> dict[str, Any]:
    """The case lodged for ``ticket``, as the desk answers a repeated key: whole."""
    request = httpx.Request(
        "POST",
        f"{standin.url}/api/v1/complaints",
        json={
            "case_type": "ENQUIRY",
            "category": "x",
            "priority": "LOW",
            "subject": "x",
            "details": "x",
            "submitted_at": "2026-03-10T09:00:00+03:00",
        },
        headers={"X-API-Key": standin.options.api_key, "Idempotency-Key": ticket.ticket_id},
    )
    request.headers[ASSERTION_HEADER] = assertion_for(keys, request, "immigration")
    with httpx.Client(timeout=5) as http:
        response = http.send(request)
    assert response.status_code == 200, "the ticket should have been lodged already"
    case: dict[str, Any] = response.json()
    return case


def serial(reference: str) -> int:
    match = CASE.fullmatch(reference)
    assert match, reference
    return int(match.group(1))


def for_reference(updates: list[TicketUpdate], reference: str) -> list[TicketUpdate]:
    return [update for update in updates if update.reference == reference]


# ---------------------------------------------------------------------------- lodging


@pytest.mark.parametrize(
    ("kind", "case_type"),
    [
        ("ENQUIRY", "ENQUIRY"),
        ("COMPLAINT", "COMPLAINT"),
        ("COMMENDATION", "COMPLIMENT"),
        ("REPORT", "REPORT"),
        ("REQUEST", "SERVICE REQUEST"),
    ],
)
async def test_every_kind_is_lodged_as_a_case(
    connector: ImmigrationConnector,
    standin: RunningStandIn,
    hub_keys: HubKeys,
    kind: str,
    case_type: str,
) -> None:
    assert kind in KINDS
    ticket = delivery(kind=kind, priority="URGENT")
    receipt = await connector.submit_ticket(ticket)
    assert serial(receipt.reference) >= 1
    assert is_utc(receipt.filed_at)
    case = lodged_case(standin, hub_keys, ticket)
    assert case["case_no"] == receipt.reference
    assert datetime.fromisoformat(case["received_at"]) == receipt.filed_at
    assert (case["case_type"], case["priority"], case["category"]) == (
        case_type,
        "URGENT",
        "service-complaints",
    )
    assert (case["subject"], case["details"]) == (ticket.title, ticket.description)
    assert case["hub_reference"] == "CH-2026-000123"
    assert datetime.fromisoformat(case["submitted_at"]) == ticket.submitted_at
    assert case["location"] == {
        "area": "Nairobi",
        "address": "Nyayo House, Kenyatta Avenue",
        "latitude": -1.286389,
        "longitude": 36.817223,
    }
    assert case["complainant"] == {
        "name": "Achieng Otieno",
        "phone": "0712 345 678",
        "email": "achieng@example.com",
    }


async def test_a_ticket_without_contact_or_place_is_lodged(
    connector: ImmigrationConnector, standin: RunningStandIn, hub_keys: HubKeys
) -> None:
    ticket = delivery(
        area=None,
        address=None,
        latitude=None,
        longitude=None,
        contact_name=None,
        contact_phone=None,
        contact_email=None,
        submitted_at=datetime(2026, 3, 10, 6, 30),  # naive: the hub's UTC
    )
    await connector.submit_ticket(ticket)
    case = lodged_case(standin, hub_keys, ticket)
    assert case["complainant"] == {"name": None, "phone": None, "email": None}
    assert datetime.fromisoformat(case["submitted_at"]) == datetime(2026, 3, 10, 6, 30, tzinfo=UTC)


async def test_delivering_again_answers_the_same_case_and_lodges_nothing(
    connector: ImmigrationConnector,
) -> None:
    ticket = delivery()
    first = await connector.submit_ticket(ticket)
    assert await connector.submit_ticket(ticket) == first
    assert await connector.submit_ticket(delivery(ticket_id=ticket.ticket_id, title="New")) == first
    following = await connector.submit_ticket(delivery())
    assert serial(following.reference) == serial(first.reference) + 1


async def test_each_delivery_carries_the_hubs_own_assertion(
    connector: ImmigrationConnector, standin: RunningStandIn, recorder: Recorder
) -> None:
    standin.forget_assertions()
    ticket = delivery(tracking_number="CH-2026-000777")
    await connector.submit_ticket(ticket)
    await connector.submit_ticket(ticket)
    (request, again) = recorder.requests
    assert request.headers["Idempotency-Key"] == ticket.ticket_id
    assert request.headers[ASSERTION_HEADER] != again.headers[ASSERTION_HEADER]
    claims = standin.assertions()
    assert [(c["sub"], c["role"], c["purpose"], c["obo"]) for c in claims] == [
        ("citizen-hub", "anonymous", "tickets.deliver", {"ticket": "CH-2026-000777"})
    ] * 2
    await connector.ticket_updates(datetime.now(UTC))
    assert ASSERTION_HEADER not in recorder.requests[-1].headers


# ---------------------------------------------------------------------------- updates


async def test_every_status_word_is_read_in_the_hubs_words(
    connector: ImmigrationConnector, standin: RunningStandIn
) -> None:
    receipt = await connector.submit_ticket(delivery())
    since = datetime.now(UTC)
    for word in EXPECTED:
        await move_case(standin, receipt.reference, word, f"now {word.lower()}")
    await move_case(standin, receipt.reference, None, "  We called you.  ")
    updates = for_reference(await connector.ticket_updates(since), receipt.reference)
    assert [(u.status, u.status_text, u.note) for u in updates] == [
        *((status, word.capitalize(), f"now {word.lower()}") for word, status in EXPECTED.items()),
        (None, None, "We called you."),
    ]
    assert all(is_utc(u.updated_at) for u in updates)
    assert [u.updated_at for u in updates] == sorted({u.updated_at for u in updates})


async def test_updates_start_after_since_and_follow_every_page(
    standin: RunningStandIn, hub_keys: HubKeys
) -> None:
    async with httpx.AsyncClient(timeout=5) as http:
        settings = {**standin.connector_settings, "page_size": 2}
        connector = await open_with(ImmigrationConnector, AGENCY, settings, http, hub_keys.signer)
        receipt = await connector.submit_ticket(delivery())
        since = datetime.now(UTC)
        for word in ("ASSIGNED", "UNDER REVIEW", "ESCALATED", "RESOLVED", "CLOSED"):
            await move_case(standin, receipt.reference, word, word)
        every = for_reference(await connector.ticket_updates(since), receipt.reference)
        assert [u.note for u in every] == [
            "ASSIGNED",
            "UNDER REVIEW",
            "ESCALATED",
            "RESOLVED",
            "CLOSED",
        ]
        after_second = await connector.ticket_updates(every[1].updated_at)
        assert [u.note for u in for_reference(after_second, receipt.reference)] == [
            "ESCALATED",
            "RESOLVED",
            "CLOSED",
        ]
        naive = every[1].updated_at.replace(tzinfo=None)
        assert await connector.ticket_updates(naive) == after_second
        assert await connector.ticket_updates(every[-1].updated_at) == []


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "t" * 201}, "subject holds at most 200 characters"),
        ({"description": " "}, "details is required"),
        ({"contact_email": "not-an-address"}, "not an e-mail address"),
        ({"contact_phone": "call me"}, "not a phone number"),
        ({"latitude": 123.0}, "location.latitude"),
        ({"priority": "SOON"}, "priority must be one of"),
        ({"ticket_id": "has space"}, "Idempotency-Key"),
    ],
)
async def test_a_case_the_desk_refuses_is_rejected_with_its_reason(
    connector: ImmigrationConnector, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(AgencyRejected, match=re.escape(message)) as caught:
        await connector.submit_ticket(delivery(**changes))
    assert caught.value.agency == "immigration"


async def test_a_kind_the_desk_lacks_is_refused_before_any_request(
    connector: ImmigrationConnector, recorder: Recorder
) -> None:
    with pytest.raises(AgencyRejected, match="not 'PRAISE'"):
        await connector.submit_ticket(delivery(kind="PRAISE"))
    assert recorder.requests == []


async def test_without_an_assertion_key_nothing_is_sent(
    standin: RunningStandIn, recorder: Recorder
) -> None:
    async with httpx.AsyncClient(timeout=5, event_hooks={"request": [recorder]}) as http:
        connector = await open_with(ImmigrationConnector, AGENCY, standin.connector_settings, http)
        with pytest.raises(AgencyRejected, match="HUB_ASSERTION_KEY_FILE"):
            await connector.submit_ticket(delivery())
    assert recorder.requests == []


async def test_an_untrusted_key_is_rejected(hub_keys: HubKeys) -> None:
    with running_standin("immigration", StandInOptions(today=TODAY)) as keyless:
        async with httpx.AsyncClient(timeout=5) as http:
            connector = await open_with(
                ImmigrationConnector, AGENCY, keyless.connector_settings, http, hub_keys.signer
            )
            with pytest.raises(AgencyRejected, match="HUB_KEY_NOT_CONFIGURED"):
                await connector.submit_ticket(delivery())


# -------------------------------------------------------------------------- failures


async def test_a_desk_that_is_down_is_unavailable_and_counts_the_attempts(
    connector: ImmigrationConnector, standin: RunningStandIn
) -> None:
    ticket = delivery()
    standin.reset_served()
    standin.set_faults(down=True)
    for _ in range(2):
        with pytest.raises(AgencyUnavailable, match="retry after 120 s") as caught:
            await connector.submit_ticket(ticket)
        assert caught.value.agency == "immigration"
    with pytest.raises(AgencyUnavailable):
        await connector.ticket_updates(datetime.now(UTC))
    assert standin.stats()["failed"] == 3
    standin.set_faults(down=False)
    receipt = await connector.submit_ticket(ticket)
    assert await connector.submit_ticket(ticket) == receipt
    assert standin.stats()["served"] == 5


async def test_a_failed_delivery_retried_lodges_one_case(
    connector: ImmigrationConnector, standin: RunningStandIn
) -> None:
    before = await connector.submit_ticket(delivery())
    ticket = delivery()
    standin.set_faults(fail_next=1)
    with pytest.raises(AgencyUnavailable, match="HTTP 500"):
        await connector.submit_ticket(ticket)
    receipt = await connector.submit_ticket(ticket)
    assert serial(receipt.reference) == serial(before.reference) + 1


async def test_a_slow_desk_is_a_timeout(standin: RunningStandIn, hub_keys: HubKeys) -> None:
    standin.set_faults(latency=1.0)
    try:
        async with httpx.AsyncClient(timeout=0.1) as http:
            connector = await open_with(
                ImmigrationConnector, AGENCY, standin.connector_settings, http, hub_keys.signer
            )
            with pytest.raises(AgencyTimeout):
                await connector.submit_ticket(delivery())
            with pytest.raises(AgencyTimeout):
                await connector.ticket_updates(datetime.now(UTC))
    finally:
        standin.reset_faults()
