"""What every agency record in the graph shares, and how lists of them are served."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import strawberry

from hub.connector import HubError, InvalidInput, ListQuery
from hub.gateway import ORDER, Listing, Page, Sourced, paginate
from hub.schema.agencies import Agency, Info, agency_by_key
from hub.schema.common import Connection, Edge, Node, PageInfo
from hub.schema.errors import agency_error
from hub.schema.ids import GlobalId

RecordT = TypeVar("RecordT")
MAX_TEXT = 200


@strawberry.interface(description="A record that comes from one agency's system.")
class AgencyRecord(Node):
    local_id: str = strawberry.field(description="The record's id in the agency's own system.")
    agency_key: strawberry.Private[str]

    @strawberry.field(description="The agency the record comes from.")
    def agency(self, info: Info) -> Agency:
        return agency_by_key(info, self.agency_key)


@strawberry.input(description="Filters every list of agency records has.")
class ListFilter:
    agencies: list[str] | None = strawberry.field(
        default=None, description="Only these agencies, by key (e.g. ['revenue'])."
    )
    category: str | None = strawberry.field(
        default=None, description="Only this category (any letter case)."
    )
    text: str | None = strawberry.field(
        default=None, description="Only records whose text has every one of these words."
    )


@strawberry.input(description="Filters of lists whose records open and close (jobs, tenders).")
class ClosingFilter(ListFilter):
    open_only: bool = strawberry.field(
        default=False, description="Only records open for applications right now."
    )
    closing_after: datetime | None = strawberry.field(
        default=None, description="Only records closing at or after this moment."
    )
    closing_before: datetime | None = strawberry.field(
        default=None, description="Only records closing at or before this moment."
    )

    @property
    def open_at(self) -> datetime | None:
        """The moment records must be open at, when ``open_only`` asks for it."""
        return datetime.now(UTC) if self.open_only else None


CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
"""Characters no agency's search can hold (XML forbids most of them)."""


async def list_records(
    info: Info,
    capability: Listing,
    query: ListQuery,
    *,
    agencies: Sequence[str] | None,
    first: int,
    after: str | None,
    convert: Callable[[Sourced[Any]], RecordT],
) -> Connection[RecordT]:
    """One page of ``capability`` merged across agencies.

    Agencies that fail are reported in ``errors``, one entry each, while the others'
    records are returned.
    """
    context = info.context
    if query.text is not None and len(query.text) > MAX_TEXT:
        raise InvalidInput("filter.text", f"must be at most {MAX_TEXT} characters")
    for name, value in (("filter.text", query.text), ("filter.category", query.category)):
        if value is not None and CONTROL_CHARACTERS.search(value):
            raise InvalidInput(name, "must not contain control characters; send plain text")
    collected = await context.gateway.collect(capability, query, agencies)
    path = info.path.as_list()
    context.partial_errors.extend(agency_error(failure, path) for failure in collected.failures)
    context.stale_answers.extend(
        {"agency": s.agency, "path": path, "stale": True, "ageSeconds": round(s.age_seconds)}
        for s in collected.stale
    )
    page = paginate(
        collected.items,
        ORDER[capability],
        scope=capability,
        first=first,
        after=after,
        max_first=context.settings.max_page_size,
    )
    return _connection(page, convert)


async def find_record(
    info: Info,
    capability: Listing,
    query_type: type[ListQuery],
    gid: GlobalId,
    convert: Callable[[Sourced[Any]], RecordT],
) -> RecordT | None:
    """The record ``gid`` from its agency, or ``None`` if the agency does not know it.

    Raises the agency's error when it cannot answer.
    """
    registry = info.context.registry
    if gid.agency not in registry or not registry.get(gid.agency).serves(capability):
        return None
    query = query_type(ids=(gid.local_id,), limit=1)
    collected = await info.context.gateway.collect(capability, query, [gid.agency])
    if collected.failures:
        failure: HubError = collected.failures[0]
        raise failure
    return convert(collected.items[0]) if collected.items else None


def _connection(
    page: Page[Sourced[Any]], convert: Callable[[Sourced[Any]], RecordT]
) -> Connection[RecordT]:
    return Connection(
        edges=[Edge(cursor=cursor, node=convert(record)) for cursor, record in page.edges],
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.start_cursor,
            end_cursor=page.end_cursor,
        ),
        total_count=page.total_count,
    )


__all__ = ["AgencyRecord", "ClosingFilter", "ListFilter", "find_record", "list_records"]
