"""Bids in the graph: tenders the agencies publish, closing soonest first."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from hub import connector as hub
from hub.gateway import Sourced
from hub.schema.agencies import Info
from hub.schema.common import Connection, Money
from hub.schema.ids import global_id
from hub.schema.records import AgencyRecord, ClosingFilter, list_records

strawberry.enum(hub.BidStatus, description="Where a tender stands.")


@strawberry.type(description="A tender (invitation to bid) an agency publishes.")
class Bid(AgencyRecord):
    reference: str = strawberry.field(description="The tender number, as the agency writes it.")
    title: str = strawberry.field(description="What is being procured.")
    description: str = strawberry.field(description="Scope and conditions.")
    category: str = strawberry.field(description="Goods, works, services, consultancy, ...")
    status: hub.BidStatus = strawberry.field(description="Where the tender stands.")
    published_at: datetime = strawberry.field(description="When the tender was published.")
    closes_at: datetime = strawberry.field(description="When bids must be in.")
    estimated_value: Money | None = strawberry.field(description="Budget, when published.")
    url: str | None = strawberry.field(description="The agency's page for the tender.")

    @strawberry.field(description="Whether bids are accepted right now.")
    def is_open(self) -> bool:
        return self.status is hub.BidStatus.OPEN and self.closes_at > datetime.now(UTC)

    @classmethod
    def of(cls, sourced: Sourced[hub.Bid]) -> Bid:
        """The GraphQL form of an agency's tender."""
        b = sourced.item
        return cls(
            id=strawberry.ID(global_id("Bid", sourced.agency, b.id)),
            local_id=b.id,
            agency_key=sourced.agency,
            reference=b.reference,
            title=b.title,
            description=b.description,
            category=b.category,
            status=b.status,
            published_at=b.published_at,
            closes_at=b.closes_at,
            estimated_value=Money.of(b.estimated_value),
            url=b.url,
        )


@strawberry.input(description="Which tenders to list.")
class BidFilter(ClosingFilter):
    status: hub.BidStatus | None = strawberry.field(default=None, description="Only this status.")

    def query(self, limit: int) -> hub.BidQuery:
        """The connector query of this filter, asking for at most ``limit`` records."""
        return hub.BidQuery(
            category=self.category,
            text=self.text,
            open_at=self.open_at,
            closes_after=self.closing_after,
            closes_before=self.closing_before,
            status=self.status,
            limit=limit,
        )


@strawberry.type
class BidQueries:
    @strawberry.field(description="Tenders of every agency, closing soonest first.")
    async def bids(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: BidFilter | None = None,
    ) -> Connection[Bid]:
        f = filter or BidFilter()
        query = f.query(info.context.settings.max_upstream_items)
        return await list_records(
            info, "bids", query, agencies=f.agencies, first=first, after=after, convert=Bid.of
        )


__all__ = ["Bid", "BidFilter", "BidQueries"]
