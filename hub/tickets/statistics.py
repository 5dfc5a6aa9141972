"""Ticket statistics per agency, category or area, computed by the database.

For each group of the tickets a filter keeps: how many are in each status; the median
and 90th percentile of the hours from submission to the first response and to the
resolution; the SLA compliance (the share of resolved tickets whose SLA was not
breached, in percent); and the average rating.

- "Resolved" means RESOLVED or CLOSED with a resolution time: rejected tickets count
  in their status only.
- Percentiles are nearest-rank: the value at row ``ceil(p * n)`` of the ``n`` durations
  in ascending order (so the median of an even count is the lower middle one). The
  rank is found with ``row_number()`` and integer arithmetic, the same SQL on SQLite
  (3.25 or later) and PostgreSQL; only the difference of two moments in hours is
  written per database.
- Nothing is loaded row by row: two queries, each answering one row per group.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    and_,
    case,
    func,
    literal,
    null,
    select,
)
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from hub.db import as_utc
from hub.tickets.kinds import TicketStatus
from hub.tickets.models import Ticket

_RESOLVED = (TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value)
_DIGITS = 6
"""Hours are rounded to this many decimals (about a millisecond)."""


class GroupBy(enum.Enum):
    """What the statistics are broken down by."""

    AGENCY = "AGENCY"
    CATEGORY = "CATEGORY"
    """By ``agency/category``; tickets without a category form the group ``None``."""
    AREA = "AREA"
    """By the area the citizen gave; tickets without one form the group ``None``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StatisticsFilter:
    """Which tickets count: those matching every condition given.

    ``category`` is ``agency/category`` or a bare category id (at any agency);
    ``since <= submitted_at < until``, both timezone-aware.
    """

    agency: str | None = None
    category: str | None = None
    area: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    as_utc(value)
                except ValueError as exc:
                    raise ValueError(f"StatisticsFilter.{name}: {exc}") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class Durations:
    """How long something took across a group's tickets, in hours."""

    count: int
    """How many tickets it happened to."""
    median_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupStatistics:
    """The statistics of one group."""

    key: str | None
    """The agency id, ``agency/category`` or area; ``None`` for tickets without one."""
    total: int
    by_status: dict[TicketStatus, int]
    """How many tickets are in each status; every status is present."""
    first_response: Durations
    """From submission to the agency's first response."""
    resolution: Durations
    """From submission to resolution, over resolved tickets."""
    resolved: int
    sla_compliance_percent: float | None
    """Resolved tickets whose SLA was not breached, per hundred resolved; ``None`` if none
    is resolved."""
    rated: int
    average_rating: float | None


class _HoursBetween(FunctionElement[float]):
    """The hours from the first argument's moment to the second's."""

    name = "hours_between"
    type = Float()
    inherit_cache = True


@compiles(_HoursBetween, "sqlite")
def _hours_sqlite(element: _HoursBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


@compiles(_HoursBetween, "postgresql")
def _hours_postgresql(element: _HoursBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION) / 3600.0)"


async def ticket_statistics(
    engine: AsyncEngine,
    filter: StatisticsFilter = StatisticsFilter(),
    group_by: GroupBy = GroupBy.AGENCY,
) -> list[GroupStatistics]:
    """The statistics of the tickets ``filter`` keeps, one entry per group, ordered by
    key (the group ``None`` last)."""
    base = _base(filter, group_by)
    summary = _summary(base)
    first_response = _percentiles(base, base.c.first_hours)
    resolution = _percentiles(base, base.c.resolution_hours)
    async with engine.connect() as connection:
        rows = (await connection.execute(summary)).mappings().all()
        firsts = {row.grp: row for row in (await connection.execute(first_response)).all()}
        resolutions = {row.grp: row for row in (await connection.execute(resolution)).all()}
    groups = [_group(row, firsts.get(row["grp"]), resolutions.get(row["grp"])) for row in rows]
    return sorted(groups, key=lambda group: (group.key is None, group.key or ""))


def _base(filter: StatisticsFilter, group_by: GroupBy) -> Any:
    keys: dict[GroupBy, ColumnElement[Any]] = {
        GroupBy.AGENCY: Ticket.agency.expression,
        GroupBy.CATEGORY: case(
            (Ticket.category.is_(None), null()),
            else_=Ticket.agency + literal("/") + Ticket.category,
        ),
        GroupBy.AREA: Ticket.area.expression,
    }
    resolved = and_(Ticket.status.in_(_RESOLVED), Ticket.resolved_at.is_not(None))
    statement = select(
        keys[group_by].label("grp"),
        Ticket.status.label("status"),
        case((resolved, 1), else_=0).label("resolved"),
        case((and_(resolved, Ticket.sla_breached.is_(False)), 1), else_=0).label("compliant"),
        Ticket.rating.label("rating"),
        case(
            (
                Ticket.first_responded_at.is_not(None),
                _HoursBetween(Ticket.submitted_at, Ticket.first_responded_at),
            ),
            else_=null(),
        ).label("first_hours"),
        case(
            (resolved, _HoursBetween(Ticket.submitted_at, Ticket.resolved_at)), else_=null()
        ).label("resolution_hours"),
    ).where(*_conditions(filter))
    return statement.cte("base")


def _conditions(filter: StatisticsFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filter.agency is not None:
        conditions.append(Ticket.agency == filter.agency)
    if filter.category is not None:
        agency, slash, category = filter.category.rpartition("/")
        if slash:
            conditions.extend([Ticket.agency == agency, Ticket.category == category])
        else:
            conditions.append(Ticket.category == category)
    if filter.area is not None:
        conditions.append(Ticket.area == filter.area)
    if filter.since is not None:
        conditions.append(Ticket.submitted_at >= as_utc(filter.since))
    if filter.until is not None:
        conditions.append(Ticket.submitted_at < as_utc(filter.until))
    return conditions


def _summary(base: Any) -> Any:
    per_status = [
        func.sum(case((base.c.status == status.value, 1), else_=0)).label(status.value)
        for status in TicketStatus
    ]
    return select(
        base.c.grp,
        func.count().label("total"),
        *per_status,
        func.sum(base.c.resolved).label("resolved"),
        func.sum(base.c.compliant).label("compliant"),
        func.count(base.c.rating).label("rated"),
        func.avg(base.c.rating).label("average_rating"),
    ).group_by(base.c.grp)


def _percentiles(base: Any, measure: Any) -> Any:
    """Per group: how many values ``measure`` has, and its values at the nearest ranks
    ``ceil(n / 2)`` and ``ceil(9n / 10)``, in integer arithmetic."""
    ranked = (
        select(
            base.c.grp,
            measure.label("value"),
            func.row_number().over(partition_by=base.c.grp, order_by=measure).label("rank"),
            func.count().over(partition_by=base.c.grp).label("n"),
        )
        .where(measure.is_not(None))
        .subquery("ranked")
    )
    n = ranked.c.n
    median_rank = (n + 1) // 2
    p90_rank = (n * 9 + 9) // 10
    return select(
        ranked.c.grp,
        n.cast(Integer).label("count"),
        func.max(case((ranked.c.rank == median_rank, ranked.c.value), else_=null())).label(
            "median"
        ),
        func.max(case((ranked.c.rank == p90_rank, ranked.c.value), else_=null())).label("p90"),
    ).group_by(ranked.c.grp, n)


def _group(summary: Any, first: Any, resolution: Any) -> GroupStatistics:
    resolved = int(summary["resolved"] or 0)
    compliant = int(summary["compliant"] or 0)
    average = summary["average_rating"]
    return GroupStatistics(
        key=summary["grp"],
        total=int(summary["total"]),
        by_status={status: int(summary[status.value] or 0) for status in TicketStatus},
        first_response=_durations(first),
        resolution=_durations(resolution),
        resolved=resolved,
        sla_compliance_percent=round(100 * compliant / resolved, _DIGITS) if resolved else None,
        rated=int(summary["rated"]),
        average_rating=None if average is None else round(float(average), _DIGITS),
    )


def _durations(row: Any) -> Durations:
    if row is None:
        return Durations(count=0, median_hours=None, p90_hours=None)
    return Durations(
        count=int(row.count),
        median_hours=round(float(row.median), _DIGITS),
        p90_hours=round(float(row.p90), _DIGITS),
    )


__all__ = [
    "Durations",
    "GroupBy",
    "GroupStatistics",
    "StatisticsFilter",
    "ticket_statistics",
]
