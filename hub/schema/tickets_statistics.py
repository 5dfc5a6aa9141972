"""Ticket statistics in the graph: counts, response and resolution times, SLA compliance
and ratings, per agency, category or area.

Admins see every agency's; agency staff see their own agency's only (the filter's
agency defaults to theirs). Statistics hold no personal data, so reading them is not
audited.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

import strawberry

from hub.errors import Forbidden, InvalidInput
from hub.identity import Caller, Role, require_authenticated
from hub.schema.agencies import Info
from hub.schema.tickets_access import store_of
from hub.schema.tickets_enums import GroupBy, TicketStatus
from hub.tickets import Durations, GroupStatistics, StatisticsFilter, ticket_statistics

MAX_TEXT = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@strawberry.input(description="Which tickets count; every condition given must hold.")
class TicketStatisticsFilter:
    agency: str | None = strawberry.field(
        default=None,
        description="Only this agency's tickets, by key. Agency staff may name only their own "
        "agency, which is also the default for them.",
    )
    category: str | None = strawberry.field(
        default=None, description="Only this category: agency/category, or its id alone."
    )
    area: str | None = strawberry.field(default=None, description="Only tickets from this area.")
    since: datetime | None = strawberry.field(
        default=None, description="Only tickets submitted at or after this moment (with a zone)."
    )
    until: datetime | None = strawberry.field(
        default=None, description="Only tickets submitted before this moment (with a zone)."
    )

    def to_filter(self, agency: str | None) -> StatisticsFilter:
        """The store's filter, for ``agency``; :class:`InvalidInput` on a bad value."""
        values: dict[str, Any] = {"agency": agency}
        for name in ("category", "area"):
            value = getattr(self, name)
            if value is not None and (len(value) > MAX_TEXT or _CONTROL.search(value)):
                raise InvalidInput(
                    f"filter.{name}", f"must be at most {MAX_TEXT} characters of plain text"
                )
            values[name] = value
        try:
            return StatisticsFilter(**values, since=self.since, until=self.until)
        except ValueError as exc:
            raise InvalidInput("filter", f"{exc}; give moments with a time zone") from None


@strawberry.type(description="How long something took across a group's tickets, in hours.")
class TicketDurations:
    count: int = strawberry.field(description="How many tickets it happened to.")
    median_hours: float | None = strawberry.field(
        description="The median (nearest rank); null when count is 0."
    )
    p90_hours: float | None = strawberry.field(
        description="The 90th percentile (nearest rank); null when count is 0."
    )

    @classmethod
    def of(cls, durations: Durations) -> TicketDurations:
        """The GraphQL form of the store's durations."""
        return cls(
            count=durations.count,
            median_hours=durations.median_hours,
            p90_hours=durations.p90_hours,
        )


@strawberry.type(description="How many tickets of a group are in one status.")
class TicketStatusCount:
    status: TicketStatus = strawberry.field(description="The status.")
    count: int = strawberry.field(description="How many tickets are in it.")


@strawberry.type(description="The statistics of one group of tickets.")
class TicketStatisticsGroup:
    key: str | None = strawberry.field(
        description="The agency key, agency/category or area; null for tickets without one."
    )
    total: int = strawberry.field(description="How many tickets the group has.")
    by_status: list[TicketStatusCount] = strawberry.field(
        description="How many are in each status; every status is listed."
    )
    first_response: TicketDurations = strawberry.field(
        description="From submission to the agency's first answer."
    )
    resolution: TicketDurations = strawberry.field(
        description="From submission to resolution, over resolved tickets."
    )
    resolved: int = strawberry.field(description="How many are RESOLVED or CLOSED.")
    sla_compliance_percent: float | None = strawberry.field(
        description="Resolved tickets whose SLA was not breached, per hundred resolved; null if "
        "none is resolved."
    )
    rated: int = strawberry.field(description="How many were rated.")
    average_rating: float | None = strawberry.field(
        description="The average rating, 1 to 5; null if none was rated."
    )

    @classmethod
    def of(cls, group: GroupStatistics) -> TicketStatisticsGroup:
        """The GraphQL form of the store's group statistics."""
        return cls(
            key=group.key,
            total=group.total,
            by_status=[
                TicketStatusCount(status=status, count=count)
                for status, count in group.by_status.items()
            ],
            first_response=TicketDurations.of(group.first_response),
            resolution=TicketDurations.of(group.resolution),
            resolved=group.resolved,
            sla_compliance_percent=group.sla_compliance_percent,
            rated=group.rated,
            average_rating=group.average_rating,
        )


def scope_of(caller: Caller, asked: str | None) -> str | None:
    """The agency whose statistics ``caller`` may read when asking for ``asked``
    (``None``: every agency, for admins)."""
    require_authenticated(caller)
    if caller.is_admin:
        return asked
    if caller.has_role(Role.RESOLVER) and caller.agency is not None:
        if asked is None or asked == caller.agency:
            return caller.agency
        raise Forbidden(
            f"your token is for staff of {caller.agency}; you may read its ticket statistics, "
            f"not {asked}'s (ask an admin)"
        )
    raise Forbidden("ticket statistics are for admins and agency staff")


@strawberry.type
class TicketStatisticsQueries:
    @strawberry.field(
        description="Ticket statistics per group, ordered by key (tickets without one last). "
        "Admins; agency staff for their own agency only."
    )
    async def ticket_statistics(
        self,
        info: Info,
        filter: Annotated[
            TicketStatisticsFilter | None,
            strawberry.argument(description="Which tickets count; all of them by default."),
        ] = None,
        group_by: Annotated[
            GroupBy, strawberry.argument(description="What to break the statistics down by.")
        ] = GroupBy.AGENCY,
    ) -> list[TicketStatisticsGroup] | None:
        wanted = filter or TicketStatisticsFilter()
        agency = scope_of(info.context.caller, wanted.agency)
        groups = await ticket_statistics(store_of(info).engine, wanted.to_filter(agency), group_by)
        return [TicketStatisticsGroup.of(group) for group in groups]


__all__ = [
    "TicketDurations",
    "TicketStatisticsFilter",
    "TicketStatisticsGroup",
    "TicketStatisticsQueries",
    "TicketStatusCount",
    "scope_of",
]
