"""What citizens and staff do with tickets: each action allowed, and refused when it must
be, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from hub.errors import Forbidden, HubError, InvalidInput, NotFound, Unauthenticated
from hub.identity import ANONYMOUS, Caller
from hub.tickets import (
    Priority,
    TicketEventKind,
    TicketStatus,
    TicketStore,
    TicketView,
)
from hub.tickets.lifecycle import STAFF_MOVES
from tests.hub.tickets.test_store_support import (
    NOW,
    THEFT,
    VAT,
    audit_rows,
    counts,
    outbox_rows,
    ticket,
)
from tests.support.callers import admin, citizen, resolver

OWNER = citizen("amina")
POLICE = resolver("police", "officer@police")
LATER = NOW + timedelta(minutes=30)


@pytest.fixture
async def theft(store: TicketStore) -> TicketView:
    """A police crime report by ``OWNER``, just received."""
    return await store.submit(THEFT, OWNER, now=NOW)


async def resolved(store: TicketStore, view: TicketView) -> TicketView:
    return await store.set_status(
        view.tracking_number,
        POLICE,
        TicketStatus.RESOLVED,
        resolution="We found your bicycle.",
        now=NOW + timedelta(hours=5),
    )


async def refused_without_writing(
    store: TicketStore, error: type[HubError], match: str, action: Awaitable[object]
) -> HubError:
    """Await ``action``; it must raise ``error`` and leave the tickets as they were (a
    refusal other than bad input adds its audit row)."""
    before = await counts(store)
    with pytest.raises(error, match=match) as raised:
        await action
    after = await counts(store)
    refusal_rows = 0 if issubclass(error, InvalidInput) else 1
    assert after == before | {"audit_log": before["audit_log"] + refusal_rows}
    return raised.value


# --------------------------------------------------------------------------- rating


async def test_the_owner_rates_a_resolved_ticket_once(
    store: TicketStore, theft: TicketView
) -> None:
    await resolved(store, theft)

    rated = await store.rate(theft.tracking_number, OWNER, 4, " Quick work ", now=LATER)

    assert (rated.rating, rated.rating_comment) == (4, "Quick work")
    [event] = [
        e for e in await store.timeline(theft.tracking_number, OWNER) if e.kind.value == "RATED"
    ]
    assert (event.public, event.data, event.message) == (True, {"score": 4}, "Quick work")
    assert (await audit_rows(store))[-1] == (
        "rateTicket",
        theft.tracking_number,
        "police",
        "citizen",
        "amina",
        "OK",
    )
    await refused_without_writing(
        store, InvalidInput, "already rated 4/5", store.rate(theft.tracking_number, OWNER, 5)
    )


async def test_a_rejected_ticket_can_be_rated(store: TicketStore, theft: TicketView) -> None:
    await store.set_status(
        theft.tracking_number, POLICE, TicketStatus.REJECTED, reason="Not a crime.", now=LATER
    )
    assert (await store.rate(theft.tracking_number, OWNER, 2)).rating == 2


async def test_an_open_ticket_cannot_be_rated(store: TicketStore, theft: TicketView) -> None:
    error = await refused_without_writing(
        store,
        InvalidInput,
        "is RECEIVED; a ticket can be rated once it is RESOLVED, REJECTED or CLOSED",
        store.rate(theft.tracking_number, OWNER, 5),
    )
    assert isinstance(error, InvalidInput)
    assert error.argument == "trackingNumber"


@pytest.mark.parametrize("score", [0, 6, -1, True, 3.5, "5"])
async def test_a_score_outside_1_to_5_is_refused(
    store: TicketStore, theft: TicketView, score: Any
) -> None:
    await resolved(store, theft)
    error = await refused_without_writing(
        store, InvalidInput, "from 1 to 5", store.rate(theft.tracking_number, OWNER, score)
    )
    assert isinstance(error, InvalidInput)
    assert error.argument == "score"


async def test_a_long_rating_comment_is_refused(store: TicketStore, theft: TicketView) -> None:
    await resolved(store, theft)
    await refused_without_writing(
        store,
        InvalidInput,
        "at most 2,000",
        store.rate(theft.tracking_number, OWNER, 3, "x" * 2001),
    )


@pytest.mark.parametrize(
    ("caller", "error", "match"),
    [
        (citizen("baraka"), Forbidden, "only the citizen who submitted"),
        (POLICE, Forbidden, "only the citizen who submitted"),
        (admin(), Forbidden, "only the citizen who submitted"),
        (ANONYMOUS, Unauthenticated, "bearer token"),
    ],
)
async def test_only_the_owner_may_rate_or_reopen(
    store: TicketStore, theft: TicketView, caller: Caller, error: type[HubError], match: str
) -> None:
    await resolved(store, theft)
    number = theft.tracking_number
    await refused_without_writing(store, error, match, store.rate(number, caller, 5))
    await refused_without_writing(store, error, match, store.reopen(number, caller, "Not fixed"))
    assert (await audit_rows(store))[-2:] == [
        (field, number, "police", caller.primary_role, caller.subject, error.code)
        for field in ("rateTicket", "reopenTicket")
    ]


async def test_an_anonymous_ticket_has_no_owner_to_rate_or_reopen_it(store: TicketStore) -> None:
    anonymous = await store.submit(THEFT, ANONYMOUS, now=NOW)
    await resolved(store, anonymous)
    await refused_without_writing(
        store, Forbidden, "submitted anonymously", store.rate(anonymous.tracking_number, OWNER, 5)
    )


async def test_unknown_and_malformed_tracking_numbers(store: TicketStore) -> None:
    await refused_without_writing(
        store, NotFound, "CH-2026-999999", store.rate("CH-2026-999999", OWNER, 5)
    )
    assert (await audit_rows(store))[-1][0::5] == ("rateTicket", "NOT_FOUND")
    error = await refused_without_writing(
        store, InvalidInput, "read like CH-2026-004217", store.rate("ticket 17", OWNER, 5)
    )
    assert isinstance(error, InvalidInput)
    assert error.argument == "trackingNumber"


# ------------------------------------------------------------------------- reopening


async def test_the_owner_reopens_a_resolved_ticket_within_the_window(
    store: TicketStore, theft: TicketView
) -> None:
    done = await resolved(store, theft)
    assert done.resolved_at is not None
    at = done.resolved_at + store.rules.reopen_window

    reopened = await store.reopen(theft.tracking_number, OWNER, "The bicycle is not mine.", now=at)

    assert reopened.status is TicketStatus.REOPENED
    assert (reopened.resolved_at, reopened.resolution, reopened.reopened_count) == (None, None, 1)
    assert reopened.resolution_due_at == at + timedelta(hours=168)
    last = (await store.timeline(theft.tracking_number, OWNER))[-1]
    assert (last.kind, last.message, last.data["previous_resolution"]) == (
        TicketEventKind.REOPENED,
        "The bicycle is not mine.",
        "We found your bicycle.",
    )
    assert (await audit_rows(store))[-1][:2] == ("reopenTicket", theft.tracking_number)
    # Staff take it up again.
    again = await store.acknowledge(theft.tracking_number, POLICE, now=at + timedelta(hours=1))
    assert again.status is TicketStatus.ACKNOWLEDGED


async def test_reopening_after_the_window_is_refused(store: TicketStore, theft: TicketView) -> None:
    done = await resolved(store, theft)
    assert done.resolved_at is not None
    too_late = done.resolved_at + store.rules.reopen_window + timedelta(seconds=1)
    await refused_without_writing(
        store,
        InvalidInput,
        "could be reopened for 14 days after",
        store.reopen(theft.tracking_number, OWNER, "Still broken", now=too_late),
    )


@pytest.mark.parametrize("status", [TicketStatus.RECEIVED, TicketStatus.REJECTED])
async def test_only_a_resolved_ticket_can_be_reopened(
    store: TicketStore, theft: TicketView, status: TicketStatus
) -> None:
    if status is TicketStatus.REJECTED:
        await store.set_status(theft.tracking_number, POLICE, status, reason="No.", now=LATER)
    await refused_without_writing(
        store,
        InvalidInput,
        f"is {status.value}; only a RESOLVED ticket can be reopened",
        store.reopen(theft.tracking_number, OWNER, "Please look again", now=LATER),
    )


async def test_a_blank_reason_to_reopen_is_refused(store: TicketStore, theft: TicketView) -> None:
    await resolved(store, theft)
    await refused_without_writing(
        store,
        InvalidInput,
        "reason: must not be empty",
        store.reopen(theft.tracking_number, OWNER, " "),
    )


# ---------------------------------------------------------------------- staff moves


async def test_acknowledging_is_the_first_response(store: TicketStore, theft: TicketView) -> None:
    acknowledged = await store.acknowledge(
        theft.tracking_number, POLICE, "We are on our way.", now=LATER
    )
    assert acknowledged.status is TicketStatus.ACKNOWLEDGED
    assert (acknowledged.first_responded_at, acknowledged.sla_breached) == (LATER, False)
    last = (await store.timeline(theft.tracking_number, OWNER))[-1]
    assert (last.kind, last.message, last.actor_subject, last.public) == (
        TicketEventKind.ACKNOWLEDGED,
        "We are on our way.",
        "officer@police",
        True,
    )
    assert (await audit_rows(store))[-1] == (
        "acknowledgeTicket",
        theft.tracking_number,
        "police",
        "resolver",
        "officer@police",
        "OK",
    )


async def test_a_late_first_response_marks_the_breach(
    store: TicketStore, theft: TicketView
) -> None:
    late = theft.first_response_due_at + timedelta(minutes=1)
    acknowledged = await store.acknowledge(theft.tracking_number, POLICE, now=late)
    assert acknowledged.sla_breached
    staff_view = await store.timeline(theft.tracking_number, POLICE)
    assert [e.kind for e in staff_view][-1] is TicketEventKind.SLA_BREACHED
    assert TicketEventKind.SLA_BREACHED not in [
        e.kind for e in await store.timeline(theft.tracking_number, OWNER)
    ]


async def test_a_response_exactly_at_the_deadline_is_in_time(
    store: TicketStore, theft: TicketView
) -> None:
    at = theft.first_response_due_at
    assert not (await store.acknowledge(theft.tracking_number, POLICE, now=at)).sla_breached


STATES = [
    TicketStatus.RECEIVED,
    TicketStatus.ACKNOWLEDGED,
    TicketStatus.IN_PROGRESS,
    TicketStatus.RESOLVED,
    TicketStatus.REJECTED,
    TicketStatus.REOPENED,
]
TARGETS = [
    TicketStatus.ACKNOWLEDGED,
    TicketStatus.IN_PROGRESS,
    TicketStatus.RESOLVED,
    TicketStatus.REJECTED,
]


async def ticket_in(store: TicketStore, status: TicketStatus) -> TicketView:
    """A fresh police ticket brought to ``status`` through the store's own actions."""
    view = await store.submit(THEFT, OWNER, now=NOW)
    number = view.tracking_number
    if status is TicketStatus.ACKNOWLEDGED:
        view = await store.acknowledge(number, POLICE, now=NOW)
    elif status is TicketStatus.IN_PROGRESS:
        view = await store.set_status(number, POLICE, status, now=NOW)
    elif status in (TicketStatus.RESOLVED, TicketStatus.REOPENED):
        view = await store.set_status(number, POLICE, TicketStatus.RESOLVED, resolution="Done")
        if status is TicketStatus.REOPENED:
            view = await store.reopen(number, OWNER, "Not done")
    elif status is TicketStatus.REJECTED:
        view = await store.set_status(number, POLICE, status, reason="No")
    assert view.status is status
    return view


async def move(store: TicketStore, view: TicketView, target: TicketStatus) -> TicketView:
    number = view.tracking_number
    if target is TicketStatus.ACKNOWLEDGED:
        return await store.acknowledge(number, POLICE)
    if target is TicketStatus.RESOLVED:
        return await store.set_status(number, POLICE, target, resolution="Fixed")
    if target is TicketStatus.REJECTED:
        return await store.set_status(number, POLICE, target, reason="Not ours")
    return await store.set_status(number, POLICE, target)


async def test_staff_move_a_ticket_along_the_legal_moves_only(store: TicketStore) -> None:
    outcomes: dict[tuple[TicketStatus, TicketStatus], bool] = {}
    for state in STATES:
        for target in TARGETS:
            view = await ticket_in(store, state)
            if target in STAFF_MOVES[state]:
                moved = await move(store, view, target)
                assert moved.status is target
                outcomes[state, target] = True
                continue
            with pytest.raises(InvalidInput, match=r"cannot move|is final"):
                await move(store, view, target)
            assert await store.get_by_tracking_number(view.tracking_number) == view
            outcomes[state, target] = False

    legal = sorted((s.value, t.value) for (s, t), ok in outcomes.items() if ok)
    assert legal == [
        ("ACKNOWLEDGED", "IN_PROGRESS"),
        ("ACKNOWLEDGED", "REJECTED"),
        ("ACKNOWLEDGED", "RESOLVED"),
        ("IN_PROGRESS", "REJECTED"),
        ("IN_PROGRESS", "RESOLVED"),
        ("RECEIVED", "ACKNOWLEDGED"),
        ("RECEIVED", "IN_PROGRESS"),
        ("RECEIVED", "REJECTED"),
        ("RECEIVED", "RESOLVED"),
        ("REOPENED", "ACKNOWLEDGED"),
        ("REOPENED", "IN_PROGRESS"),
        ("REOPENED", "REJECTED"),
        ("REOPENED", "RESOLVED"),
    ]


async def test_resolving_records_the_resolution_and_stops_the_clock(
    store: TicketStore, theft: TicketView
) -> None:
    done = await resolved(store, theft)
    assert (done.status, done.resolution) == (TicketStatus.RESOLVED, "We found your bicycle.")
    assert done.resolved_at == done.first_responded_at == NOW + timedelta(hours=5)
    assert done.sla_breached  # the first response was due within the hour
    last = (await store.timeline(theft.tracking_number, OWNER))[-1]
    assert (last.kind, last.data) == (
        TicketEventKind.STATUS_CHANGED,
        {"from": "RECEIVED", "to": "RESOLVED"},
    )
    assert (await audit_rows(store))[-1][:3] == ("setTicketStatus", theft.tracking_number, "police")


@pytest.mark.parametrize(
    ("status", "extra", "argument", "match"),
    [
        (TicketStatus.RESOLVED, {}, "resolution", "required to make a ticket RESOLVED"),
        (TicketStatus.REJECTED, {}, "reason", "required to make a ticket REJECTED"),
        (TicketStatus.RESOLVED, {"resolution": "  "}, "resolution", "must not be empty"),
        (
            TicketStatus.IN_PROGRESS,
            {"resolution": "Done"},
            "resolution",
            "only with the status RESOLVED",
        ),
        (
            TicketStatus.RESOLVED,
            {"resolution": "x", "reason": "y"},
            "reason",
            "only with the status REJECTED",
        ),
        (TicketStatus.ACKNOWLEDGED, {}, "status", "acknowledge a ticket"),
        (TicketStatus.REOPENED, {}, "status", "only its citizen may reopen"),
        (TicketStatus.CLOSED, {}, "status", "must be IN_PROGRESS, RESOLVED or REJECTED"),
    ],
)
async def test_set_status_checks_its_arguments_first(
    store: TicketStore,
    theft: TicketView,
    status: TicketStatus,
    extra: dict[str, str],
    argument: str,
    match: str,
) -> None:
    error = await refused_without_writing(
        store,
        InvalidInput,
        match,
        store.set_status(
            theft.tracking_number,
            citizen("not-staff"),
            status,
            resolution=extra.get("resolution"),
            reason=extra.get("reason"),
        ),
    )
    assert isinstance(error, InvalidInput)
    assert error.argument == argument


@pytest.mark.parametrize(
    ("caller", "error"),
    [
        (resolver("revenue"), Forbidden),
        (OWNER, Forbidden),
        (ANONYMOUS, Unauthenticated),
    ],
)
async def test_only_staff_of_the_agency_and_admins_act_on_a_ticket(
    store: TicketStore, theft: TicketView, caller: Caller, error: type[HubError]
) -> None:
    number = theft.tracking_number
    attempts: dict[str, Callable[[], Awaitable[TicketView]]] = {
        "acknowledgeTicket": lambda: store.acknowledge(number, caller),
        "commentOnTicket": lambda: store.comment(number, caller, "Hello", public=True),
        "setTicketStatus": lambda: store.set_status(number, caller, TicketStatus.IN_PROGRESS),
        "reassignTicket": lambda: store.reassign(number, caller, "immigration", "Not ours"),
    }
    for field, attempt in attempts.items():
        await refused_without_writing(store, error, r"staff of police|bearer token", attempt())
        assert (await audit_rows(store))[-1] == (
            field,
            number,
            "police",
            caller.primary_role,
            caller.subject,
            error.code,
        )
    assert (await store.acknowledge(number, admin(), now=LATER)).status is TicketStatus.ACKNOWLEDGED


# -------------------------------------------------------------------------- comments


async def test_public_comments_answer_the_citizen_and_internal_ones_stay_with_staff(
    store: TicketStore, theft: TicketView
) -> None:
    internal = await store.comment(
        theft.tracking_number, POLICE, "Check CCTV", public=False, now=LATER
    )
    assert internal.first_responded_at is None
    public = await store.comment(
        theft.tracking_number, POLICE, "We are looking into it.", public=True, now=LATER
    )
    assert (public.first_responded_at, public.status) == (LATER, TicketStatus.RECEIVED)

    seen_by_owner = [e.message for e in await store.timeline(theft.tracking_number, OWNER)]
    seen_by_staff = [e.message for e in await store.timeline(theft.tracking_number, POLICE)]
    seen_by_other_agency = [
        e.message for e in await store.timeline(theft.tracking_number, resolver("revenue"))
    ]
    assert "Check CCTV" not in seen_by_owner
    assert "Check CCTV" not in seen_by_other_agency
    assert "We are looking into it." in seen_by_owner
    assert seen_by_staff[-2:] == ["Check CCTV", "We are looking into it."]
    assert [row[0] for row in (await audit_rows(store))[-2:]] == ["commentOnTicket"] * 2


@pytest.mark.parametrize(
    ("message", "match"), [("", "must not be empty"), ("x" * 5001, "at most 5,000")]
)
async def test_a_bad_comment_is_refused(
    store: TicketStore, theft: TicketView, message: str, match: str
) -> None:
    await refused_without_writing(
        store,
        InvalidInput,
        match,
        store.comment(theft.tracking_number, POLICE, message, public=True),
    )


# ------------------------------------------------------------------------ reassigning


async def test_reassigning_starts_the_ticket_afresh_at_the_new_agency(
    store: TicketStore,
) -> None:
    lost = await store.submit(
        ticket(
            THEFT,
            title="Bag stolen",
            description="A theft at the bus stop: my bag was stolen, my passport was inside.",
        ),
        OWNER,
        now=NOW,
    )
    assert (lost.agency, lost.category, lost.priority) == ("police", "crime", Priority.HIGH)
    await store.acknowledge(lost.tracking_number, POLICE, now=NOW + timedelta(hours=2))
    at = NOW + timedelta(hours=3)

    moved = await store.reassign(
        lost.tracking_number, POLICE, "immigration", "A new passport is theirs to issue", now=at
    )

    assert (moved.agency, moved.category) == ("immigration", "passports")
    assert moved.priority is Priority.HIGH  # never lowered by the new category's NORMAL
    assert moved.status is TicketStatus.RECEIVED
    assert (moved.first_responded_at, moved.sla_breached, moved.agency_reference) == (
        None,
        False,
        None,
    )
    targets = store.rules.sla_targets("immigration", "passports")
    assert moved.first_response_due_at == at + timedelta(hours=targets.first_response_hours)
    assert moved.resolution_due_at == at + timedelta(hours=targets.resolution_hours)
    assert [(row["agency"], row["delivered_at"]) for row in await outbox_rows(store)] == [
        ("immigration", None)
    ]
    last = (await store.timeline(lost.tracking_number, OWNER))[-1]
    assert (last.kind, last.message) == (
        TicketEventKind.REASSIGNED,
        "A new passport is theirs to issue",
    )
    assert last.data["from_agency"] == "police"
    assert (await audit_rows(store))[-1][:3] == (
        "reassignTicket",
        lost.tracking_number,
        "immigration",
    )
    # Police staff no longer act on it; immigration staff do.
    with pytest.raises(Forbidden):
        await store.acknowledge(lost.tracking_number, POLICE)
    assert (await store.acknowledge(lost.tracking_number, resolver("immigration"))).status is (
        TicketStatus.ACKNOWLEDGED
    )


async def test_reassigning_into_a_named_category(store: TicketStore, theft: TicketView) -> None:
    moved = await store.reassign(
        theft.tracking_number, POLICE, "police", "Wrong category", category="lost-documents"
    )
    assert (moved.agency, moved.category) == ("police", "lost-documents")


@pytest.mark.parametrize(
    ("to_agency", "category", "argument", "match"),
    [
        ("no_such_agency", None, "agency", "unknown agency"),
        ("revenue", None, "agency", "takes no REPORT tickets"),
        ("police", None, "agency", "already at police in crime"),
        ("police", "refunds", "category", "unknown category"),
        ("", None, "agency", "must not be empty"),
    ],
)
async def test_a_reassignment_the_rules_cannot_honour_is_refused(
    store: TicketStore,
    theft: TicketView,
    to_agency: str,
    category: str | None,
    argument: str,
    match: str,
) -> None:
    error = await refused_without_writing(
        store,
        InvalidInput,
        match,
        store.reassign(theft.tracking_number, POLICE, to_agency, "Because", category=category),
    )
    assert isinstance(error, InvalidInput)
    assert error.argument == argument


async def test_a_finished_ticket_cannot_be_reassigned(
    store: TicketStore, theft: TicketView
) -> None:
    await resolved(store, theft)
    await refused_without_writing(
        store,
        InvalidInput,
        "only open tickets can be reassigned",
        store.reassign(theft.tracking_number, POLICE, "immigration", "Late thought"),
    )


async def test_triage_staff_route_a_ticket_by_hand(store: TicketStore) -> None:
    vague = await store.submit(
        ticket(VAT, title="Help", description="Who do I ask about my visa?"),
        OWNER,
        now=NOW,
    )
    unmatched = await store.submit(
        ticket(VAT, title="Help", description="Who do I ask?"), OWNER, now=NOW
    )
    assert vague.agency == "immigration"
    assert unmatched.agency == "hub_office"
    moved = await store.reassign(
        unmatched.tracking_number, resolver("hub_office"), "revenue", "Asked about tax by phone"
    )
    assert moved.agency == "revenue"
    assert moved.category == "tax-enquiries"  # the agency's first category for enquiries
