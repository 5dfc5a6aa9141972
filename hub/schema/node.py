"""``node(id)`` and ``nodes(ids)``: any objects of the graph by their global IDs.

Records are loaded through the request's loaders (:mod:`hub.schema.loaders`): the IDs
of one request that name records of the same agency and type cost one call to that
agency, however many there are and whichever fields ask for them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, Any, cast

import strawberry

from hub.connector import InvalidInput
from hub.gateway import Listing, Sourced
from hub.limits import ListSize
from hub.schema.agencies import Agency, Info
from hub.schema.bids import Bid
from hub.schema.common import Node
from hub.schema.ids import GlobalId
from hub.schema.news import NewsItem
from hub.schema.records import find_record
from hub.schema.services import Service
from hub.schema.vacancies import Vacancy

Fetch = tuple[Listing, Callable[[Sourced[Any]], Node]]

FETCHERS: dict[str, Fetch] = {
    "Service": ("services", Service.of),
    "NewsItem": ("news", NewsItem.of),
    "Vacancy": ("vacancies", Vacancy.of),
    "Bid": ("bids", Bid.of),
}

MAX_NODES = 100
"""The most IDs one ``nodes`` field accepts."""


@strawberry.type
class NodeQueries:
    @strawberry.field(
        description="Any object by its global ID (Type:agency:localId); null if it does not exist."
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await _node(info, id, "id", info.path.as_list())

    @strawberry.field(
        description=f"Objects by their global IDs, in the order given, at most {MAX_NODES}; "
        "null for an ID that names nothing. IDs of the same agency and type cost one call "
        "to that agency. An ID that is malformed or whose agency fails gets an error of "
        "its own (at its index), and the other objects are still returned.",
        directives=[ListSize(assumed_size=MAX_NODES)],
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                description=f"Global IDs (Type:agency:localId), at most {MAX_NODES}."
            ),
        ],
    ) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise InvalidInput(
                "ids", f"at most {MAX_NODES} IDs at once, got {len(ids)}; split the list"
            )
        path = info.path.as_list()
        answers = await asyncio.gather(
            *(_node(info, raw, f"ids[{index}]", [*path, index]) for index, raw in enumerate(ids)),
            return_exceptions=True,
        )
        for answer in answers:
            if isinstance(answer, BaseException) and not isinstance(answer, Exception):
                raise answer
        # An exception in the list is the error of its item alone (graphql-core raises it
        # at that item's path), so the other items keep their objects.
        return cast("list[Node | None]", answers)


async def _node(info: Info, raw: str, argument: str, path: list[str | int]) -> Node | None:
    """The object ``raw`` names; :class:`InvalidInput` naming ``argument`` when it is not
    a global ID of a known type."""
    gid = GlobalId.parse(raw, argument)
    if gid.type_name == "Agency":
        registry = info.context.registry
        return Agency.of(registry.get(gid.agency)) if gid.agency in registry else None
    fetch = FETCHERS.get(gid.type_name)
    if fetch is None:
        known = ", ".join(["Agency", *FETCHERS])
        raise InvalidInput(argument, f"unknown type {gid.type_name!r}; known types: {known}")
    capability, convert = fetch
    return await find_record(info, capability, gid, convert, path)


__all__ = ["MAX_NODES", "NodeQueries"]
