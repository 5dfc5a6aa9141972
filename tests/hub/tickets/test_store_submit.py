"""Submitting tickets: checks, routing, deadlines, tracking numbers and idempotency, on
SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hub.errors import InvalidInput
from hub.identity import ANONYMOUS
from hub.tickets import NewTicket, Priority, TicketEventKind, TicketKind, TicketStatus, TicketStore
from tests.hub.tickets.test_store_support import (
    NOW,
    THEFT,
    UNMATCHED,
    VAT,
    audit_rows,
    counts,
    outbox_rows,
    ticket,
)
from tests.support.callers import admin, citizen


async def test_a_submission_is_routed_given_deadlines_and_stored_with_its_timeline(
    store: TicketStore,
) -> None:
    stored = await store.submit(THEFT, citizen("amina"), idempotency_key="key-00000001", now=NOW)

    assert stored.tracking_number == "CH-2026-000001"
    assert (stored.agency, stored.category, stored.priority) == ("police", "crime", Priority.HIGH)
    assert stored.category_id == "police/crime"
    assert stored.matched_keywords == ("stolen",)
    assert "crime" in stored.routing_reason
    assert stored.status is TicketStatus.RECEIVED
    assert stored.owner_subject == "amina"
    assert stored.first_response_due_at == NOW + timedelta(hours=1)
    assert stored.resolution_due_at == NOW + timedelta(hours=168)
    assert (stored.submitted_at, stored.updated_at) == (NOW, NOW)
    assert (stored.first_responded_at, stored.resolved_at, stored.delivered_at) == (None,) * 3
    assert (stored.rating, stored.reopened_count, stored.sla_breached) == (None, 0, False)
    assert (stored.area, stored.latitude, stored.contact_email) == (
        "Nairobi CBD",
        -1.2833,
        "amina@example.org",
    )
    assert await store.get_by_tracking_number("ch-2026-000001 ") == stored

    events = await store.timeline(stored.tracking_number, admin())
    assert [(e.kind, e.actor_subject, e.actor_role, e.public) for e in events] == [
        (TicketEventKind.SUBMITTED, "amina", "citizen", True),
        (TicketEventKind.ROUTED, "hub", "system", True),
    ]
    assert events[1].message == stored.routing_reason
    assert events[1].data["agency"] == "police"

    [delivery] = await outbox_rows(store)
    assert (delivery["ticket_id"], delivery["agency"], delivery["topic"]) == (
        stored.id,
        "police",
        "deliver",
    )
    assert (delivery["attempts"], delivery["delivered_at"], delivery["claimed_until"]) == (
        0,
        None,
        None,
    )
    assert await audit_rows(store) == [
        ("submitTicket", "CH-2026-000001", "police", "citizen", "amina", "OK")
    ]


async def test_text_is_stripped_and_blank_optional_fields_are_left_out(
    store: TicketStore,
) -> None:
    stored = await store.submit(
        ticket(title="  My bicycle was stolen \n", area="  ", contact_email=" "),
        citizen(),
        now=NOW,
    )
    assert (stored.title, stored.area, stored.contact_email) == (
        "My bicycle was stolen",
        None,
        None,
    )


async def test_an_anonymous_submission_has_no_owner(store: TicketStore) -> None:
    stored = await store.submit(VAT, ANONYMOUS, idempotency_key="anon-key-1", now=NOW)
    assert (stored.owner_subject, stored.agency, stored.category) == (
        None,
        "revenue",
        "tax-enquiries",
    )
    assert (await audit_rows(store))[0][3:5] == ("anonymous", None)


async def test_an_unmatched_ticket_goes_to_the_triage_office(store: TicketStore) -> None:
    stored = await store.submit(UNMATCHED, citizen(), now=NOW)
    assert (stored.agency, stored.category, stored.category_id) == ("hub_office", None, None)
    targets = store.rules.sla_targets("hub_office")
    assert stored.first_response_due_at == NOW + timedelta(hours=targets.first_response_hours)
    assert [row["agency"] for row in await outbox_rows(store)] == ["hub_office"]


async def test_tracking_numbers_count_per_year_of_submission(store: TicketStore) -> None:
    new_year = datetime(2027, 1, 1, 0, 0, 1, tzinfo=UTC)
    numbers = [
        (await store.submit(VAT, citizen(), now=moment)).tracking_number
        for moment in (NOW, NOW, new_year, NOW, new_year)
    ]
    assert numbers == [
        "CH-2026-000001",
        "CH-2026-000002",
        "CH-2027-000001",
        "CH-2026-000003",
        "CH-2027-000002",
    ]


BAD_INPUT: list[tuple[str, dict[str, Any], str]] = [
    ("title", {"title": ""}, "empty"),
    ("title", {"title": "   \n "}, "blank"),
    ("title", {"title": "x" * 201}, "at most 200"),
    ("title", {"title": "bad\x00title"}, "control characters"),
    ("title", {"title": "two\nlines"}, "single line"),
    ("description", {"description": ""}, "empty"),
    ("description", {"description": "x" * 10_001}, "at most 10,000"),
    ("description", {"description": "x" * 100_000}, "got 100,000"),
    ("description", {"description": "a bell \x07"}, "control characters"),
    ("latitude", {"latitude": 91.0}, "between -90 and 90"),
    ("latitude", {"latitude": -90.5}, "between -90 and 90"),
    ("longitude", {"longitude": 180.01}, "between -180 and 180"),
    ("latitude", {"latitude": float("nan")}, "between -90 and 90"),
    ("longitude", {"longitude": None}, "together"),
    ("latitude", {"latitude": None}, "together"),
    ("contactEmail", {"contact_email": "amina.example.org"}, "e-mail"),
    ("contactEmail", {"contact_email": "amina@example"}, "e-mail"),
    ("contactEmail", {"contact_email": "a b@example.org"}, "e-mail"),
    ("contactPhone", {"contact_phone": "call me"}, "phone"),
    ("contactPhone", {"contact_phone": "12345"}, "7 to 15 digits"),
    ("contactPhone", {"contact_phone": "+1234567890123456"}, "7 to 15 digits"),
    ("area", {"area": "x" * 101}, "at most 100"),
    ("address", {"address": "x" * 501}, "at most 500"),
    ("contactName", {"contact_name": "x" * 201}, "at most 200"),
    ("category", {"category": "no-such-category"}, "unknown category"),
    ("category", {"category": "revenue/refunds"}, "takes only"),
    ("agency", {"agency": "no_such_agency"}, "unknown agency"),
    ("agency", {"agency": "revenue"}, "takes no REPORT tickets"),
]


@pytest.mark.parametrize(
    ("argument", "changes", "message"), BAD_INPUT, ids=[f"{a}-{m}" for a, _, m in BAD_INPUT]
)
async def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    store: TicketStore, argument: str, changes: dict[str, Any], message: str
) -> None:
    await store.submit(VAT, citizen(), now=NOW)
    before = await counts(store)

    with pytest.raises(InvalidInput, match=message) as refused:
        await store.submit(ticket(**changes), citizen(), idempotency_key="key-00000002", now=NOW)

    assert refused.value.argument == argument
    assert await counts(store) == before


@pytest.mark.parametrize("key", ["short", "x" * 101, "has space", "tab\tkey1", "ключ-12345"])
async def test_a_malformed_idempotency_key_is_refused(store: TicketStore, key: str) -> None:
    with pytest.raises(InvalidInput, match="8 to 100 printable ASCII") as refused:
        await store.submit(THEFT, citizen(), idempotency_key=key, now=NOW)
    assert refused.value.argument == "idempotencyKey"
    assert (await counts(store))["tickets"] == 0


async def test_the_same_key_from_the_same_citizen_returns_the_first_ticket(
    store: TicketStore,
) -> None:
    first = await store.submit(THEFT, citizen("amina"), idempotency_key="retry-me-1", now=NOW)
    after_first = await counts(store)

    again = await store.submit(
        THEFT, citizen("amina"), idempotency_key="retry-me-1", now=NOW + timedelta(minutes=5)
    )

    assert again == first
    assert await counts(store) == after_first


async def test_keys_belong_to_their_citizen(store: TicketStore) -> None:
    amina = await store.submit(THEFT, citizen("amina"), idempotency_key="shared-key-1", now=NOW)
    baraka = await store.submit(THEFT, citizen("baraka"), idempotency_key="shared-key-1", now=NOW)
    anonymous = await store.submit(THEFT, ANONYMOUS, idempotency_key="shared-key-1", now=NOW)

    assert len({amina.id, baraka.id, anonymous.id}) == 3
    assert (baraka.owner_subject, anonymous.owner_subject) == ("baraka", None)


async def test_a_key_reused_for_a_different_ticket_is_refused(store: TicketStore) -> None:
    await store.submit(THEFT, citizen("amina"), idempotency_key="used-once-1", now=NOW)
    before = await counts(store)

    with pytest.raises(InvalidInput, match="already used for a different ticket") as refused:
        await store.submit(VAT, citizen("amina"), idempotency_key="used-once-1", now=NOW)

    assert refused.value.argument == "idempotencyKey"
    assert await counts(store) == before


async def test_an_anonymous_retry_returns_the_ticket_only_for_the_very_same_submission(
    store: TicketStore,
) -> None:
    first = await store.submit(THEFT, ANONYMOUS, idempotency_key="anon-retry-1", now=NOW)
    assert await store.submit(THEFT, ANONYMOUS, idempotency_key="anon-retry-1", now=NOW) == first
    with pytest.raises(InvalidInput, match="already used"):
        await store.submit(
            ticket(contact_email="someone@else.org"),
            ANONYMOUS,
            idempotency_key="anon-retry-1",
            now=NOW,
        )


async def test_without_a_key_each_submission_is_a_new_ticket(store: TicketStore) -> None:
    first = await store.submit(THEFT, citizen(), now=NOW)
    second = await store.submit(THEFT, citizen(), now=NOW)
    assert first.id != second.id


async def test_a_naive_time_is_refused(store: TicketStore) -> None:
    with pytest.raises(ValueError, match="time zone"):
        await store.submit(THEFT, citizen(), now=datetime(2026, 3, 2, 9, 0))


async def test_concurrent_submissions_with_reused_keys_store_each_ticket_once(
    store: TicketStore,
) -> None:
    """200 submissions at once; every fourth reuses the key (and ticket) of another."""

    def nth(i: int) -> tuple[NewTicket, str, str]:
        original = i - 1 if i % 4 == 3 else i
        owner = f"citizen-{original % 10}"
        submission = NewTicket(
            kind=TicketKind.ENQUIRY,
            title=f"VAT question {original}",
            description="Is VAT due on exports?",
        )
        return submission, owner, f"concurrent-key-{original:04d}"

    calls = [nth(i) for i in range(200)]
    results = await asyncio.gather(
        *(
            store.submit(submission, citizen(owner), idempotency_key=key, now=NOW)
            for submission, owner, key in calls
        )
    )

    distinct = {(owner, key) for _, owner, key in calls}
    assert len(distinct) == 150
    by_key: dict[tuple[str, str], set[str]] = {}
    for (_, owner, key), result in zip(calls, results, strict=True):
        by_key.setdefault((owner, key), set()).add(result.tracking_number)
        assert result.owner_subject == owner
    assert all(len(numbers) == 1 for numbers in by_key.values())
    numbers = sorted(number for numbers in by_key.values() for number in numbers)
    assert numbers == [f"CH-2026-{n:06d}" for n in range(1, 151)]
    assert await counts(store) == {
        "tickets": 150,
        "ticket_events": 300,
        "outbox": 150,
        "ticket_sequences": 1,
        "audit_log": 150,
    }


async def test_the_kind_of_ticket_decides_its_category(store: TicketStore) -> None:
    praise = await store.submit(
        NewTicket(
            kind=TicketKind.COMMENDATION,
            title="A helpful officer",
            description="Officer Otieno was very helpful when I reported my loss.",
        ),
        citizen(),
        now=NOW,
    )
    assert (praise.agency, praise.category) == ("police", "commendations")
