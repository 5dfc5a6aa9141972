"""Relay-style pages over a merged, sorted list, with opaque keyset cursors.

A cursor encodes the sort key of the record it points at, so a page that follows
stays correct when records are added or removed before it.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from hub.connector import InvalidInput

T = TypeVar("T")
SortKey = tuple[str | float | int, ...]

_CURSOR_VERSION = 1


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a connection: records with their cursors, and where it stands."""

    edges: list[tuple[str, T]]
    has_next_page: bool
    has_previous_page: bool
    total_count: int

    @property
    def start_cursor(self) -> str | None:
        """The cursor of the first record on the page."""
        return self.edges[0][0] if self.edges else None

    @property
    def end_cursor(self) -> str | None:
        """The cursor of the last record on the page; pass it as ``after``."""
        return self.edges[-1][0] if self.edges else None


def encode_cursor(scope: str, key: SortKey) -> str:
    """An opaque cursor for the record with sort ``key`` in the list ``scope``."""
    raw = json.dumps([_CURSOR_VERSION, scope, *key], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(scope: str, cursor: str) -> SortKey:
    """The sort key inside ``cursor``; :class:`InvalidInput` if this list did not issue it."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        data = None
    valid = (
        isinstance(data, list)
        and len(data) > 2
        and data[0] == _CURSOR_VERSION
        and data[1] == scope
        and all(isinstance(part, str | int | float) for part in data[2:])
    )
    if not valid:
        raise InvalidInput(
            "after",
            f"{cursor!r} is not a cursor of this list; pass the endCursor of a previous page "
            "of the same query",
        )
    assert isinstance(data, list)
    return tuple(data[2:])


def paginate(
    records: Sequence[T],
    key: Callable[[T], SortKey],
    *,
    scope: str,
    first: int,
    after: str | None,
    max_first: int,
) -> Page[T]:
    """The page of ``first`` records after ``after`` in ``records``, sorted by ``key``."""
    if not 0 <= first <= max_first:
        raise InvalidInput("first", f"must be between 0 and {max_first}, got {first}")
    start = 0
    if after is not None:
        position = decode_cursor(scope, after)
        if records:
            start = _position_after(records, key, position)
    chosen = records[start : start + first]
    return Page(
        edges=[(encode_cursor(scope, key(record)), record) for record in chosen],
        has_next_page=start + first < len(records),
        has_previous_page=start > 0,
        total_count=len(records),
    )


def _position_after(records: Sequence[T], key: Callable[[T], SortKey], position: SortKey) -> int:
    try:
        if len(position) != len(key(records[0])):
            raise TypeError
        return bisect.bisect_right(records, position, key=key)
    except TypeError:
        raise InvalidInput(
            "after", "the cursor does not fit this list; pass the endCursor of a previous page"
        ) from None


__all__ = ["Page", "SortKey", "decode_cursor", "encode_cursor", "paginate"]
