"""``node(id)``: any object of the graph by its global ID."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from hub import connector as hub
from hub.connector import InvalidInput
from hub.gateway import Listing, Sourced
from hub.schema.agencies import Agency, Info
from hub.schema.bids import Bid
from hub.schema.common import Node
from hub.schema.ids import GlobalId
from hub.schema.news import NewsItem
from hub.schema.records import find_record
from hub.schema.services import Service
from hub.schema.vacancies import Vacancy

Fetch = tuple[Listing, type[hub.ListQuery], Callable[[Sourced[Any]], Node]]

FETCHERS: dict[str, Fetch] = {
    "Service": ("services", hub.ServiceQuery, Service.of),
    "NewsItem": ("news", hub.NewsQuery, NewsItem.of),
    "Vacancy": ("vacancies", hub.VacancyQuery, Vacancy.of),
    "Bid": ("bids", hub.BidQuery, Bid.of),
}


@strawberry.type
class NodeQueries:
    @strawberry.field(
        description="Any object by its global ID (Type:agency:localId); null if it does not exist."
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        gid = GlobalId.parse(id)
        if gid.type_name == "Agency":
            registry = info.context.registry
            return Agency.of(registry.get(gid.agency)) if gid.agency in registry else None
        fetch = FETCHERS.get(gid.type_name)
        if fetch is None:
            known = ", ".join(["Agency", *FETCHERS])
            raise InvalidInput("id", f"unknown type {gid.type_name!r}; known types: {known}")
        capability, query_type, convert = fetch
        return await find_record(info, capability, query_type, gid, convert)


__all__ = ["NodeQueries"]
