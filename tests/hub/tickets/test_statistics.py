"""Ticket statistics on a small dataset computed by hand, on SQLite and PostgreSQL.

The dataset (hours after ``NOW``; police crime is due a first response within 1 h,
traffic within 4 h, revenue within 24 h; resolutions are due days later)::

    P1 police/crime    Westlands  ack 0.5  resolved 10         rated 5
    P2 police/crime    Westlands  ack 2    resolved 20         rated 3   breached (late answer)
    P3 police/crime    CBD        in progress at 1                        (on the deadline)
    P4 police/crime    CBD        rejected at 4                           breached
    P5 police/crime    -          received
    P6 police/traffic  Westlands  resolved 2 (answer and resolution)      rated 1
    R1 revenue/tax     CBD        resolved 6                  rated 4
    R2 revenue/tax     CBD        ack 12   resolved 30
    R3 revenue/tax     Westlands  ack 3
    R4 revenue/tax     -          received, submitted 10 days before NOW

Percentiles are nearest-rank: the value at position ceil(p * n) of the sorted values.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hub.identity import Caller
from hub.tickets import (
    Durations,
    GroupBy,
    GroupStatistics,
    StatisticsFilter,
    TicketStatus,
    TicketStore,
    TicketView,
    ticket_statistics,
)
from tests.hub.tickets.test_store_support import NOW, THEFT, VAT, opened_store, ticket
from tests.support.callers import citizen, resolver

OWNER = citizen("amina")
POLICE = resolver("police")
REVENUE = resolver("revenue")
S = TicketStatus


def hours(value: float) -> datetime:
    return NOW + timedelta(hours=value)


@pytest.fixture
async def store(url: str) -> AsyncIterator[TicketStore]:
    async with opened_store(url) as opened:
        await _dataset(opened)
        yield opened


async def _dataset(store: TicketStore) -> None:
    async def report(area: str | None, **changes: str) -> TicketView:
        return await store.submit(ticket(THEFT, area=area, **changes), OWNER, now=NOW)

    async def enquiry(area: str | None, at: datetime = NOW) -> TicketView:
        return await store.submit(ticket(VAT, area=area), OWNER, now=at)

    async def resolve(view: TicketView, staff: Caller, at: datetime, rating: int | None) -> None:
        await store.set_status(view.tracking_number, staff, S.RESOLVED, resolution="Done", now=at)
        if rating is not None:
            await store.rate(view.tracking_number, OWNER, rating, now=at)

    p1 = await report("Westlands")
    await store.acknowledge(p1.tracking_number, POLICE, now=hours(0.5))
    await resolve(p1, POLICE, hours(10), 5)
    p2 = await report("Westlands")
    await store.acknowledge(p2.tracking_number, POLICE, now=hours(2))
    await resolve(p2, POLICE, hours(20), 3)
    p3 = await report("CBD")
    await store.set_status(p3.tracking_number, POLICE, S.IN_PROGRESS, now=hours(1))
    p4 = await report("CBD")
    await store.set_status(p4.tracking_number, POLICE, S.REJECTED, reason="No", now=hours(4))
    await report(None)
    p6 = await report("Westlands", title="Accident", description="A crash on Mombasa road")
    assert p6.category == "traffic"
    await resolve(p6, POLICE, hours(2), 1)

    r1 = await enquiry("CBD")
    await resolve(r1, REVENUE, hours(6), 4)
    r2 = await enquiry("CBD")
    await store.acknowledge(r2.tracking_number, REVENUE, now=hours(12))
    await resolve(r2, REVENUE, hours(30), None)
    r3 = await enquiry("Westlands")
    await store.acknowledge(r3.tracking_number, REVENUE, now=hours(3))
    await enquiry(None, NOW - timedelta(days=10))


def statuses(**counts: int) -> dict[TicketStatus, int]:
    return {status: counts.get(status.value, 0) for status in TicketStatus}


def durations(count: int, median: float | None, p90: float | None) -> Durations:
    return Durations(count=count, median_hours=median, p90_hours=p90)


POLICE_STATS = GroupStatistics(
    key="police",
    total=6,
    by_status=statuses(RECEIVED=1, IN_PROGRESS=1, RESOLVED=3, REJECTED=1),
    first_response=durations(5, 2.0, 4.0),  # 0.5 1 2 2 4
    resolution=durations(3, 10.0, 20.0),  # 2 10 20
    resolved=3,
    sla_compliance_percent=round(200 / 3, 6),
    rated=3,
    average_rating=3.0,
)
REVENUE_STATS = GroupStatistics(
    key="revenue",
    total=4,
    by_status=statuses(RECEIVED=1, ACKNOWLEDGED=1, RESOLVED=2),
    first_response=durations(3, 6.0, 12.0),  # 3 6 12
    resolution=durations(2, 6.0, 30.0),  # 6 30
    resolved=2,
    sla_compliance_percent=100.0,
    rated=1,
    average_rating=4.0,
)
CRIME_STATS = GroupStatistics(
    key="police/crime",
    total=5,
    by_status=statuses(RECEIVED=1, IN_PROGRESS=1, RESOLVED=2, REJECTED=1),
    first_response=durations(4, 1.0, 4.0),  # 0.5 1 2 4
    resolution=durations(2, 10.0, 20.0),
    resolved=2,
    sla_compliance_percent=50.0,
    rated=2,
    average_rating=4.0,
)
TRAFFIC_STATS = GroupStatistics(
    key="police/traffic",
    total=1,
    by_status=statuses(RESOLVED=1),
    first_response=durations(1, 2.0, 2.0),
    resolution=durations(1, 2.0, 2.0),
    resolved=1,
    sla_compliance_percent=100.0,
    rated=1,
    average_rating=1.0,
)


async def test_statistics_by_agency(store: TicketStore) -> None:
    assert await ticket_statistics(store.engine, StatisticsFilter(), GroupBy.AGENCY) == [
        POLICE_STATS,
        REVENUE_STATS,
    ]


async def test_statistics_by_category(store: TicketStore) -> None:
    assert await ticket_statistics(store.engine, StatisticsFilter(), GroupBy.CATEGORY) == [
        CRIME_STATS,
        TRAFFIC_STATS,
        replace(REVENUE_STATS, key="revenue/tax-enquiries"),
    ]


async def test_statistics_by_area_put_tickets_without_one_last(store: TicketStore) -> None:
    assert await ticket_statistics(store.engine, StatisticsFilter(), GroupBy.AREA) == [
        GroupStatistics(
            key="CBD",
            total=4,
            by_status=statuses(IN_PROGRESS=1, REJECTED=1, RESOLVED=2),
            first_response=durations(4, 4.0, 12.0),  # 1 4 6 12
            resolution=durations(2, 6.0, 30.0),
            resolved=2,
            sla_compliance_percent=100.0,
            rated=1,
            average_rating=4.0,
        ),
        GroupStatistics(
            key="Westlands",
            total=4,
            by_status=statuses(ACKNOWLEDGED=1, RESOLVED=3),
            first_response=durations(4, 2.0, 3.0),  # 0.5 2 2 3
            resolution=durations(3, 10.0, 20.0),  # 2 10 20
            resolved=3,
            sla_compliance_percent=round(200 / 3, 6),
            rated=3,
            average_rating=3.0,
        ),
        GroupStatistics(
            key=None,
            total=2,
            by_status=statuses(RECEIVED=2),
            first_response=durations(0, None, None),
            resolution=durations(0, None, None),
            resolved=0,
            sla_compliance_percent=None,
            rated=0,
            average_rating=None,
        ),
    ]


async def test_filters_narrow_the_tickets_counted(store: TicketStore) -> None:
    async def keys_and_totals(filter: StatisticsFilter, group_by: GroupBy) -> list[object]:
        return [(g.key, g.total) for g in await ticket_statistics(store.engine, filter, group_by)]

    assert await keys_and_totals(StatisticsFilter(agency="police"), GroupBy.CATEGORY) == [
        ("police/crime", 5),
        ("police/traffic", 1),
    ]
    assert await keys_and_totals(StatisticsFilter(category="crime"), GroupBy.AGENCY) == [
        ("police", 5)
    ]
    assert await keys_and_totals(
        StatisticsFilter(category="revenue/tax-enquiries"), GroupBy.AGENCY
    ) == [("revenue", 4)]
    assert await keys_and_totals(StatisticsFilter(category="police/refunds"), GroupBy.AGENCY) == []
    assert await keys_and_totals(
        StatisticsFilter(since=NOW - timedelta(days=1)), GroupBy.AGENCY
    ) == [
        ("police", 6),
        ("revenue", 3),
    ]
    assert await keys_and_totals(StatisticsFilter(until=NOW), GroupBy.AREA) == [(None, 1)]

    [cbd_police, _] = await ticket_statistics(
        store.engine, StatisticsFilter(area="CBD"), GroupBy.AGENCY
    )
    assert (cbd_police.key, cbd_police.first_response) == ("police", durations(2, 1.0, 4.0))


def test_a_filter_with_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match=r"StatisticsFilter\.since"):
        StatisticsFilter(since=datetime(2026, 1, 1))
    assert StatisticsFilter(until=datetime(2026, 1, 1, tzinfo=UTC)).until is not None
