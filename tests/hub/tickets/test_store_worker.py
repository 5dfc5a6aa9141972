"""What the workers do through the store: claim and report deliveries, apply agencies'
updates, sweep for SLA breaches; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from hub.connector import AgencyReceipt, TicketUpdate
from hub.errors import NotFound
from hub.tickets import Priority, TicketEventKind, TicketStatus, TicketStore, TicketView
from tests.hub.tickets.test_store_support import (
    NOW,
    THEFT,
    VAT,
    audit_rows,
    counts,
    opened_store,
    outbox_rows,
    ticket,
)
from tests.support.callers import admin, citizen, resolver
from tests.support.databases import migrated_database

LEASE = timedelta(minutes=5)
OWNER = citizen("amina")
POLICE = resolver("police")


@pytest.fixture
async def postgres_store(tmp_path: Path) -> AsyncIterator[TicketStore]:
    with migrated_database("postgres", tmp_path) as url:
        async with opened_store(url) as opened:
            yield opened


async def delivered(store: TicketStore, view: TicketView, reference: str) -> TicketView:
    return await store.mark_delivered(
        view.id, AgencyReceipt(reference=reference, filed_at=NOW), now=NOW
    )


# ------------------------------------------------------------------------ the outbox


async def test_due_deliveries_are_claimed_once_per_lease(store: TicketStore) -> None:
    theft = await store.submit(THEFT, OWNER, now=NOW)
    vat = await store.submit(VAT, OWNER, now=NOW + timedelta(seconds=1))
    later = await store.submit(VAT, OWNER, now=NOW + timedelta(hours=1))

    claimed = await store.claim_due(10, LEASE, now=NOW + timedelta(minutes=1))

    assert [(item.ticket_id, item.agency, item.attempts) for item in claimed] == [
        (theft.id, "police", 1),
        (vat.id, "revenue", 1),
    ]
    assert claimed[0].ticket == theft
    assert claimed[0].claimed_until == NOW + timedelta(minutes=1) + LEASE
    assert claimed[0].ticket.delivery().tracking_number == theft.tracking_number
    # Claimed rows are not due again while their lease runs...
    assert await store.claim_due(10, LEASE, now=NOW + timedelta(minutes=2)) == []
    # ...and are due again once it has run out (a worker died holding them).
    again = await store.claim_due(10, LEASE, now=NOW + timedelta(minutes=6))
    assert [(item.ticket_id, item.attempts) for item in again] == [(theft.id, 2), (vat.id, 2)]
    everything = await store.claim_due(10, LEASE, now=NOW + timedelta(hours=2))
    assert [(item.ticket_id, item.attempts) for item in everything] == [
        (theft.id, 3),
        (vat.id, 3),
        (later.id, 1),
    ]


async def test_claims_take_at_most_the_limit(store: TicketStore) -> None:
    for _ in range(3):
        await store.submit(VAT, OWNER, now=NOW)
    assert len(await store.claim_due(2, LEASE, now=NOW)) == 2
    assert len(await store.claim_due(2, LEASE, now=NOW)) == 1
    with pytest.raises(ValueError, match="limit"):
        await store.claim_due(0, LEASE, now=NOW)
    with pytest.raises(ValueError, match="lease"):
        await store.claim_due(1, timedelta(0), now=NOW)


async def test_a_failed_delivery_is_retried_when_its_time_comes(store: TicketStore) -> None:
    await store.submit(THEFT, OWNER, now=NOW)
    [item] = await store.claim_due(10, LEASE, now=NOW)

    retry_at = NOW + timedelta(seconds=30)
    assert await store.release_failed(item.id, "police: connection refused", retry_at)

    assert await store.claim_due(10, LEASE, now=retry_at - timedelta(seconds=1)) == []
    [again] = await store.claim_due(10, LEASE, now=retry_at)
    assert (again.id, again.attempts, again.last_error) == (
        item.id,
        2,
        "police: connection refused",
    )
    assert not await store.release_failed(12345, "no such delivery", retry_at)


async def test_a_receipt_files_the_ticket_under_the_agencys_reference(
    store: TicketStore,
) -> None:
    theft = await store.submit(THEFT, OWNER, now=NOW)
    [item] = await store.claim_due(10, LEASE, now=NOW)

    filed = await delivered(store, theft, "OB/12/2026")

    assert (filed.agency_reference, filed.delivered_at) == ("OB/12/2026", NOW)
    [row] = await outbox_rows(store)
    assert row["delivered_at"] is not None
    assert row["claimed_until"] is None
    assert await store.claim_due(10, LEASE, now=NOW + timedelta(hours=1)) == []
    assert not await store.release_failed(item.id, "late failure", NOW)
    last = (await store.timeline(theft.tracking_number, OWNER))[-1]
    assert (last.kind, last.message) == (
        TicketEventKind.DELIVERED,
        "Filed by police under its reference OB/12/2026.",
    )
    assert (await audit_rows(store))[-1][:5] == (
        "deliverTicket",
        theft.tracking_number,
        "police",
        "system",
        "hub",
    )
    # The same receipt again (a worker retrying its report) changes nothing.
    before = await counts(store)
    assert await delivered(store, theft, "OB/12/2026") == filed
    assert await counts(store) == before


async def test_a_receipt_for_an_unknown_ticket_or_without_reference_is_refused(
    store: TicketStore,
) -> None:
    theft = await store.submit(THEFT, OWNER, now=NOW)
    with pytest.raises(NotFound, match="no ticket has the id"):
        await store.mark_delivered("no-such-id", AgencyReceipt(reference="X1", filed_at=NOW))
    with pytest.raises(ValueError, match="1 to 100 characters"):
        await delivered(store, theft, " ")


async def test_a_receipt_from_the_agency_a_ticket_left_is_only_noted(store: TicketStore) -> None:
    theft = await store.submit(THEFT, OWNER, now=NOW)
    [old] = await store.claim_due(10, LEASE, now=NOW)
    await store.reassign(theft.tracking_number, POLICE, "immigration", "Passport matter", now=NOW)
    assert [row["agency"] for row in await outbox_rows(store)] == ["immigration"]

    # The police worker's delivery had gone through before the reassignment.
    late = await store.mark_delivered(
        theft.id, AgencyReceipt(reference="OB/1", filed_at=NOW), agency="police", now=NOW
    )

    assert (late.agency, late.agency_reference, late.delivered_at) == ("immigration", None, None)
    assert not await store.release_failed(old.id, "gone", NOW)
    [pending] = await store.claim_due(10, LEASE, now=NOW)
    assert (pending.agency, pending.ticket.agency) == ("immigration", "immigration")
    staff_view = await store.timeline(theft.tracking_number, admin())
    assert (staff_view[-1].kind, staff_view[-1].public, staff_view[-1].data["agency"]) == (
        TicketEventKind.DELIVERED,
        False,
        "police",
    )


@pytest.mark.postgres
async def test_concurrent_claims_never_take_the_same_delivery(
    postgres_store: TicketStore,
) -> None:
    store = postgres_store
    for _ in range(60):
        await store.submit(VAT, OWNER, now=NOW)

    batches = await asyncio.gather(*(store.claim_due(7, LEASE, now=NOW) for _ in range(12)))

    ids = [item.id for batch in batches for item in batch]
    assert len(ids) == len(set(ids)) == 60
    assert {item.attempts for batch in batches for item in batch} == {1}


@pytest.mark.postgres
async def test_a_claim_skips_rows_another_worker_holds_instead_of_waiting(
    postgres_store: TicketStore,
) -> None:
    store = postgres_store
    first = await store.submit(VAT, OWNER, now=NOW)
    second = await store.submit(VAT, OWNER, now=NOW + timedelta(seconds=1))
    async with store.engine.connect() as holder:
        await holder.execute(
            text("SELECT id FROM outbox WHERE ticket_id = :id FOR UPDATE"), {"id": first.id}
        )
        claimed = await asyncio.wait_for(store.claim_due(10, LEASE, now=NOW + LEASE), 30)
        await holder.rollback()
    assert [item.ticket_id for item in claimed] == [second.id]


# ------------------------------------------------------------------- agency updates


async def test_an_agency_update_moves_the_ticket_and_is_applied_once(
    store: TicketStore,
) -> None:
    theft = await store.submit(THEFT, OWNER, now=NOW)
    await delivered(store, theft, "OB/7")
    update = TicketUpdate(
        reference="OB/7",
        updated_at=NOW + timedelta(minutes=20),
        status="IN_PROGRESS",
        note="An officer has been assigned.",
    )

    applied = await store.apply_agency_update("police", update, now=NOW + timedelta(minutes=25))
    before = await counts(store)
    again = await store.apply_agency_update("police", update, now=NOW + timedelta(minutes=30))

    assert applied is not None
    assert applied.status is TicketStatus.IN_PROGRESS
    assert applied.first_responded_at == NOW + timedelta(minutes=20)
    assert not applied.sla_breached
    assert again == applied
    assert await counts(store) == before
    updates = [
        e
        for e in await store.timeline(theft.tracking_number, OWNER)
        if e.kind is TicketEventKind.AGENCY_UPDATE
    ]
    assert [(e.message, e.actor_role, e.data["applied"], e.data["to"]) for e in updates] == [
        ("An officer has been assigned.", "agency", True, "IN_PROGRESS")
    ]
    assert (await audit_rows(store))[-1][:4] == (
        "applyAgencyUpdate",
        theft.tracking_number,
        "police",
        "system",
    )


async def test_an_agency_resolving_a_ticket_records_its_resolution(store: TicketStore) -> None:
    theft = await store.submit(THEFT, OWNER, now=NOW)
    await delivered(store, theft, "OB/8")
    update = TicketUpdate(
        reference="OB/8",
        updated_at=NOW + timedelta(minutes=50),
        status="RESOLVED",
        note="Bicycle recovered.",
    )
    done = await store.apply_agency_update("police", update, now=NOW + timedelta(hours=2))
    assert done is not None
    assert (done.status, done.resolution, done.resolved_at) == (
        TicketStatus.RESOLVED,
        "Bicycle recovered.",
        NOW + timedelta(minutes=50),
    )
    assert not done.sla_breached


async def test_an_update_that_cannot_move_the_ticket_is_recorded_but_moves_nothing(
    store: TicketStore,
) -> None:
    theft = await store.submit(THEFT, OWNER, now=NOW)
    await delivered(store, theft, "OB/9")
    await store.set_status(
        theft.tracking_number, POLICE, TicketStatus.RESOLVED, resolution="Done", now=NOW
    )
    for status in ("ACKNOWLEDGED", "ARCHIVED", None):
        update = TicketUpdate(
            reference="OB/9", updated_at=NOW, status=status, note=f"note {status}"
        )
        view = await store.apply_agency_update("police", update, now=NOW)
        assert view is not None
        assert view.status is TicketStatus.RESOLVED
    updates = [
        e
        for e in await store.timeline(theft.tracking_number, OWNER)
        if e.kind is TicketEventKind.AGENCY_UPDATE
    ]
    assert [(e.message, e.data["applied"]) for e in updates] == [
        ("note ACKNOWLEDGED", False),
        ("note ARCHIVED", False),
        ("note None", False),
    ]


async def test_an_update_for_a_case_the_hub_did_not_file_is_ignored(store: TicketStore) -> None:
    theft = await store.submit(THEFT, OWNER, now=NOW)
    await delivered(store, theft, "OB/10")
    before = await counts(store)
    other_agency = TicketUpdate(reference="OB/10", updated_at=NOW, status="IN_PROGRESS")
    unknown = TicketUpdate(reference="OB/404", updated_at=NOW, status="IN_PROGRESS")
    assert await store.apply_agency_update("immigration", other_agency, now=NOW) is None
    assert await store.apply_agency_update("police", unknown, now=NOW) is None
    assert await counts(store) == before


# ------------------------------------------------------------------------- the sweep


async def test_the_sweep_marks_and_escalates_overdue_tickets_once(store: TicketStore) -> None:
    overdue = await store.submit(THEFT, OWNER, now=NOW)  # first response due in 1 h
    answered = await store.submit(THEFT, OWNER, now=NOW)
    await store.acknowledge(answered.tracking_number, POLICE, now=NOW)
    done = await store.submit(THEFT, OWNER, now=NOW)
    await store.set_status(
        done.tracking_number, POLICE, TicketStatus.REJECTED, reason="No", now=NOW
    )
    vat = await store.submit(VAT, OWNER, now=NOW)  # due in 24 h

    assert await store.mark_breaches(NOW + timedelta(hours=1)) == []  # due, not yet past
    marked = await store.mark_breaches(NOW + timedelta(hours=1, seconds=1))

    assert [(t.id, t.sla_breached, t.priority) for t in marked] == [
        (overdue.id, True, Priority.URGENT)
    ]
    staff_view = await store.timeline(overdue.tracking_number, admin())
    assert [(e.kind, e.public) for e in staff_view[-2:]] == [
        (TicketEventKind.SLA_BREACHED, False),
        (TicketEventKind.ESCALATED, False),
    ]
    assert staff_view[-2].data["deadline"] == "first_response"
    assert staff_view[-1].data == {"from": "HIGH", "to": "URGENT"}
    assert (await audit_rows(store))[-1][:4] == (
        "markSlaBreach",
        overdue.tracking_number,
        "police",
        "system",
    )
    # Swept once only; later sweeps find the next deadlines to pass.
    assert await store.mark_breaches(NOW + timedelta(hours=2)) == []
    week = await store.mark_breaches(NOW + timedelta(days=8))
    assert {t.id for t in week} == {answered.id, vat.id}
    escalated = {t.id: t.priority for t in week}
    assert escalated == {answered.id: Priority.URGENT, vat.id: Priority.HIGH}


async def test_an_urgent_ticket_stays_urgent_when_escalated(store: TicketStore) -> None:
    urgent = await store.submit(
        ticket(THEFT, description="A robbery is happening now on Kenyatta Avenue"),
        OWNER,
        now=NOW,
    )
    assert urgent.priority is Priority.URGENT
    [marked] = await store.mark_breaches(NOW + timedelta(days=1))
    assert marked.priority is Priority.URGENT
