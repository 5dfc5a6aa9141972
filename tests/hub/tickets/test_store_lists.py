"""Reading tickets: by tracking number, a citizen's list, an agency's queue, keyset pages
and their cursors, the SLA state; on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from hub.errors import InvalidInput, NotFound
from hub.tickets import (
    AgencySort,
    Priority,
    SlaState,
    TicketKind,
    TicketPage,
    TicketStatus,
    TicketStore,
    TicketView,
)
from tests.hub.tickets.test_store_support import NOW, THEFT, VAT, ticket
from tests.support.callers import citizen, resolver

POLICE = resolver("police")


async def every_page(fetch: Callable[[str | None], Awaitable[TicketPage]]) -> list[TicketPage]:
    """All pages of a list, each fetched after the ``end_cursor`` of the one before."""
    pages = [await fetch(None)]
    while pages[-1].has_next_page:
        pages.append(await fetch(pages[-1].end_cursor))
    return pages


async def test_a_ticket_is_found_by_its_tracking_number_in_any_case(store: TicketStore) -> None:
    stored = await store.submit(THEFT, citizen(), now=NOW)
    assert await store.get_by_tracking_number(" ch-2026-000001") == stored
    with pytest.raises(NotFound, match="CH-2026-000002"):
        await store.get_by_tracking_number("CH-2026-000002")
    with pytest.raises(InvalidInput, match="not a tracking number") as refused:
        await store.get_by_tracking_number("CH-26-1")
    assert refused.value.argument == "trackingNumber"


async def test_a_citizen_lists_their_own_tickets_newest_first_page_by_page(
    store: TicketStore,
) -> None:
    mine = [
        await store.submit(VAT, citizen("amina"), now=NOW + timedelta(minutes=i)) for i in range(7)
    ]
    # Two at the very same moment: the id breaks the tie.
    for _ in range(2):
        mine.append(await store.submit(THEFT, citizen("amina"), now=NOW + timedelta(hours=1)))
    await store.submit(VAT, citizen("baraka"), now=NOW)

    pages = await every_page(lambda after: store.list_for_owner("amina", first=3, after=after))

    assert [len(page.edges) for page in pages] == [3, 3, 3]
    assert {page.total_count for page in pages} == {9}
    listed = [t for page in pages for t in page.tickets]
    expected = sorted(mine, key=lambda t: (t.submitted_at, t.id), reverse=True)
    assert [t.id for t in listed] == [t.id for t in expected]


async def test_a_page_stays_right_when_newer_tickets_arrive(store: TicketStore) -> None:
    for i in range(4):
        await store.submit(VAT, citizen("amina"), now=NOW + timedelta(minutes=i))
    first = await store.list_for_owner("amina", first=2)
    await store.submit(VAT, citizen("amina"), now=NOW + timedelta(hours=2))

    second = await store.list_for_owner("amina", first=2, after=first.end_cursor)

    assert [t.submitted_at for t in second.tickets] == [NOW + timedelta(minutes=1), NOW]
    assert not second.has_next_page


async def test_a_citizens_list_filters_by_status_and_kind(store: TicketStore) -> None:
    theft = await store.submit(THEFT, citizen("amina"), now=NOW)
    await store.submit(VAT, citizen("amina"), now=NOW)
    await store.acknowledge(theft.tracking_number, POLICE, now=NOW)

    acknowledged = await store.list_for_owner("amina", status=TicketStatus.ACKNOWLEDGED)
    reports = await store.list_for_owner("amina", kind=TicketKind.REPORT)
    open_enquiries = await store.list_for_owner(
        "amina", status={TicketStatus.RECEIVED, TicketStatus.IN_PROGRESS}, kind=TicketKind.ENQUIRY
    )
    nothing = await store.list_for_owner("amina", status=[])

    assert [t.id for t in acknowledged.tickets] == [theft.id]
    assert [t.id for t in reports.tickets] == [theft.id]
    assert [t.kind for t in open_enquiries.tickets] == [TicketKind.ENQUIRY]
    assert (nothing.tickets, nothing.total_count, nothing.has_next_page) == ([], 0, False)


async def test_an_agencys_queue_by_due_date_puts_the_next_deadline_first(
    store: TicketStore,
) -> None:
    # Police crime: first response within 1 h; traffic: 4 h.
    traffic = await store.submit(
        ticket(THEFT, title="Accident", description="A crash on Mombasa road"), citizen(), now=NOW
    )
    crime = await store.submit(THEFT, citizen(), now=NOW + timedelta(minutes=10))
    answered = await store.submit(THEFT, citizen(), now=NOW - timedelta(minutes=10))
    await store.acknowledge(answered.tracking_number, POLICE, now=NOW)
    await store.submit(VAT, citizen(), now=NOW)  # revenue's, not listed

    queue = await store.list_for_agency("police", sort=AgencySort.DUE_DATE)

    assert [t.id for t in queue.tickets] == [crime.id, traffic.id, answered.id]
    assert [t.next_due_at for t in queue.tickets] == sorted(t.next_due_at for t in queue.tickets)
    assert queue.total_count == 3


async def test_an_agencys_queue_by_priority_puts_urgent_tickets_first(store: TicketStore) -> None:
    normal = await store.submit(
        ticket(THEFT, title="Accident", description="A crash on Mombasa road"), citizen(), now=NOW
    )
    high = await store.submit(THEFT, citizen(), now=NOW)
    urgent = await store.submit(
        ticket(THEFT, description="A robbery is happening now outside the bank"),
        citizen(),
        now=NOW,
    )
    high_later = await store.submit(THEFT, citizen(), now=NOW + timedelta(minutes=5))
    assert [normal.priority, high.priority, urgent.priority] == [
        Priority.NORMAL,
        Priority.HIGH,
        Priority.URGENT,
    ]

    pages = await every_page(
        lambda after: store.list_for_agency(
            "police", sort=AgencySort.PRIORITY, first=1, after=after
        )
    )

    assert [t.id for page in pages for t in page.tickets] == [
        urgent.id,
        high.id,
        high_later.id,
        normal.id,
    ]


async def test_an_agencys_queue_filters_by_status(store: TicketStore) -> None:
    done = await store.submit(THEFT, citizen(), now=NOW)
    waiting = await store.submit(THEFT, citizen(), now=NOW)
    await store.set_status(
        done.tracking_number, POLICE, TicketStatus.RESOLVED, resolution="Found", now=NOW
    )
    open_ones = await store.list_for_agency(
        "police", status=[TicketStatus.RECEIVED, TicketStatus.ACKNOWLEDGED]
    )
    assert [t.id for t in open_ones.tickets] == [waiting.id]


async def test_cursors_work_only_where_they_were_issued(store: TicketStore) -> None:
    for _ in range(3):
        await store.submit(THEFT, citizen("amina"), now=NOW)
    owner_cursor = (await store.list_for_owner("amina", first=1)).end_cursor
    due_cursor = (await store.list_for_agency("police", first=1)).end_cursor
    assert owner_cursor is not None
    assert due_cursor is not None
    forged = base64.urlsafe_b64encode(json.dumps([1, "owner", 5, "x"]).encode()).decode()

    for bad in ["", "not a cursor", due_cursor, forged, owner_cursor + "x"]:
        with pytest.raises(InvalidInput, match="not a cursor of this list") as refused:
            await store.list_for_owner("amina", after=bad)
        assert refused.value.argument == "after"
    with pytest.raises(InvalidInput, match="not a cursor of this list"):
        await store.list_for_agency("police", sort=AgencySort.PRIORITY, after=due_cursor)


@pytest.mark.parametrize("first", [-1, 101])
async def test_page_sizes_are_bounded(store: TicketStore, first: int) -> None:
    with pytest.raises(InvalidInput, match="between 0 and 100") as refused:
        await store.list_for_owner("amina", first=first)
    assert refused.value.argument == "first"


async def test_a_page_of_none_still_counts(store: TicketStore) -> None:
    await store.submit(THEFT, citizen("amina"), now=NOW)
    page = await store.list_for_owner("amina", first=0)
    assert (page.edges, page.has_next_page, page.total_count, page.end_cursor) == (
        [],
        True,
        1,
        None,
    )


async def test_the_sla_state_follows_the_clock(store: TicketStore) -> None:
    view: TicketView = await store.submit(THEFT, citizen(), now=NOW)
    # Police: at risk from 75 % of the 1-hour first-response target.
    assert store.sla_state(view, NOW + timedelta(minutes=44)) is SlaState.ON_TRACK
    assert store.sla_state(view, NOW + timedelta(minutes=45)) is SlaState.AT_RISK
    assert store.sla_state(view, NOW + timedelta(minutes=61)) is SlaState.BREACHED
    done = await store.set_status(
        view.tracking_number,
        POLICE,
        TicketStatus.RESOLVED,
        resolution="Found",
        now=NOW + timedelta(minutes=30),
    )
    assert store.sla_state(done, NOW + timedelta(days=30)) is SlaState.MET
