"""The hub's own application of listing filters.

Connectors may push filters down to the legacy system, but the hub applies every
filter again here, once, so that all agencies answer a filter the same way.
"""

from __future__ import annotations

from datetime import datetime

from hub.connector import (
    Bid,
    BidQuery,
    ListQuery,
    NewsItem,
    NewsQuery,
    Service,
    Vacancy,
    VacancyQuery,
)

Record = Service | NewsItem | Vacancy | Bid


def matches(record: Record, query: ListQuery) -> bool:
    """Whether ``record`` passes every filter of ``query``."""
    if query.ids is not None and record.id not in query.ids:
        return False
    if query.category is not None and record.category.casefold() != query.category.casefold():
        return False
    if query.text is not None and not _mentions(record, query.text):
        return False
    if isinstance(query, NewsQuery) and isinstance(record, NewsItem):
        return _within(record.published_at, query.published_after, query.published_before)
    if isinstance(query, VacancyQuery) and isinstance(record, Vacancy):
        return _open(record.opens_at, record.closes_at, query.open_at) and _within(
            record.closes_at, query.closes_after, query.closes_before
        )
    if isinstance(query, BidQuery) and isinstance(record, Bid):
        if query.status is not None and record.status is not query.status:
            return False
        return _open(record.published_at, record.closes_at, query.open_at) and _within(
            record.closes_at, query.closes_after, query.closes_before
        )
    return True


def _mentions(record: Record, text: str) -> bool:
    words = text.casefold().split()
    haystack = " ".join(_searchable(record)).casefold()
    return all(word in haystack for word in words)


def _searchable(record: Record) -> tuple[str, ...]:
    if isinstance(record, NewsItem):
        return (record.title, record.summary, record.body)
    if isinstance(record, Bid):
        return (record.title, record.description, record.reference)
    if isinstance(record, Vacancy):
        return (record.title, record.description, record.location)
    return (record.title, record.description)


def _open(opens: datetime, closes: datetime, moment: datetime | None) -> bool:
    return moment is None or opens <= moment < closes


def _within(moment: datetime, after: datetime | None, before: datetime | None) -> bool:
    return (after is None or moment >= after) and (before is None or moment <= before)


__all__ = ["Record", "matches"]
