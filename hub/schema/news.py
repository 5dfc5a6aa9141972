"""News in the graph: press releases and notices, newest first across agencies."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub import connector as hub
from hub.gateway import Sourced
from hub.schema.agencies import Info
from hub.schema.common import Connection
from hub.schema.ids import global_id
from hub.schema.records import AgencyRecord, ListFilter, list_records


@strawberry.type(description="A press release, notice or announcement of an agency.")
class NewsItem(AgencyRecord):
    title: str = strawberry.field(description="The headline.")
    summary: str = strawberry.field(description="One or two sentences on what it says.")
    body: str = strawberry.field(description="The full text.")
    category: str = strawberry.field(description="The agency's category for the item.")
    published_at: datetime = strawberry.field(description="When the agency published it.")
    url: str | None = strawberry.field(description="The agency's page for the item.")

    @classmethod
    def of(cls, sourced: Sourced[hub.NewsItem]) -> NewsItem:
        """The GraphQL form of an agency's news item."""
        n = sourced.item
        return cls(
            id=strawberry.ID(global_id("NewsItem", sourced.agency, n.id)),
            local_id=n.id,
            agency_key=sourced.agency,
            title=n.title,
            summary=n.summary,
            body=n.body,
            category=n.category,
            published_at=n.published_at,
            url=n.url,
        )


@strawberry.input(description="Which news to list.")
class NewsFilter(ListFilter):
    published_after: datetime | None = strawberry.field(
        default=None, description="Only items published at or after this moment."
    )
    published_before: datetime | None = strawberry.field(
        default=None, description="Only items published at or before this moment."
    )

    def query(self, limit: int) -> hub.NewsQuery:
        """The connector query of this filter, asking for at most ``limit`` records."""
        return hub.NewsQuery(
            category=self.category,
            text=self.text,
            published_after=self.published_after,
            published_before=self.published_before,
            limit=limit,
        )


@strawberry.type
class NewsQueries:
    @strawberry.field(description="News of every agency, newest first.")
    async def news(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: NewsFilter | None = None,
    ) -> Connection[NewsItem]:
        f = filter or NewsFilter()
        query = f.query(info.context.settings.max_upstream_items)
        return await list_records(
            info, "news", query, agencies=f.agencies, first=first, after=after, convert=NewsItem.of
        )


__all__ = ["NewsFilter", "NewsItem", "NewsQueries"]
