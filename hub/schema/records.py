"""What every agency record in the graph shares, and how lists of them are served."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import strawberry

from hub.connector import InvalidInput, ListQuery
from hub.gateway import ORDER, Listing, Page, Sourced, paginate
from hub.schema.agencies import Agency, Info, agency_by_key
from hub.schema.common import Connection, Edge, Node, PageInfo
from hub.schema.errors import agency_error
from hub.schema.ids import GlobalId
from hub.schema.loaders import RecordKey

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
        default=False,
        description="Only records open for applications now (to the minute).",
    )
    closing_after: datetime | None = strawberry.field(
        default=None, description="Only records closing at or after this moment."
    )
    closing_before: datetime | None = strawberry.field(
        default=None, description="Only records closing at or before this moment."
    )

    @property
    def open_at(self) -> datetime | None:
        """The moment records must be open at, when ``open_only`` asks for it: this
        minute's start, so that the agencies' answers to it are cached for a minute
        rather than asked again at every request (a record closing within the minute
        may be listed as open until the minute ends)."""
        if not self.open_only:
            return None
        return datetime.now(UTC).replace(second=0, microsecond=0)


CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
"""Characters no agency's search can hold (XML forbids most of them)."""


def check_query(query: ListQuery) -> None:
    """Refuse filter text no agency could search for: :class:`InvalidInput`."""
    if query.text is not None and len(query.text) > MAX_TEXT:
        raise InvalidInput("filter.text", f"must be at most {MAX_TEXT} characters")
    for name, value in (("filter.text", query.text), ("filter.category", query.category)):
        if value is not None and CONTROL_CHARACTERS.search(value):
            raise InvalidInput(name, "must not contain control characters; send plain text")


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
    check_query(query)
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
    gid: GlobalId,
    convert: Callable[[Sourced[Any]], RecordT],
    path: list[str | int] | None = None,
) -> RecordT | None:
    """The record ``gid`` from its agency, or ``None`` if the agency does not know it.

    Loaded with the request's other records of the same agency and capability, in one
    call (:mod:`hub.schema.loaders`). Raises the agency's error when it cannot answer;
    a record served stale from the cache is listed in ``extensions.staleAnswers`` at
    ``path`` (by default the field's).
    """
    context = info.context
    registry = context.registry
    if gid.agency not in registry or not registry.get(gid.agency).serves(capability):
        return None
    found = await context.loaders.records.load(RecordKey(capability, gid.agency, gid.local_id))
    if found.stale_age is not None:
        context.stale_answers.append(
            {
                "agency": gid.agency,
                "path": path if path is not None else info.path.as_list(),
                "stale": True,
                "ageSeconds": round(found.stale_age),
            }
        )
    return None if found.record is None else convert(found.record)


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
