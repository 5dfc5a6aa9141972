"""Keyset pagination over merged lists, and its opaque cursors."""

from __future__ import annotations

import base64

import pytest

from hub.connector import InvalidInput
from hub.gateway import encode_cursor, paginate

RECORDS = [(float(i), f"id{i:02}") for i in range(25)]


def key(record: tuple[float, str]) -> tuple[float, str]:
    return record


def page(first: int, after: str | None = None, records: list[tuple[float, str]] = RECORDS):  # type: ignore[no-untyped-def]
    return paginate(records, key, scope="news", first=first, after=after, max_first=100)


def test_following_end_cursors_walks_the_whole_list_once() -> None:
    seen: list[tuple[float, str]] = []
    after = None
    while True:
        current = page(10, after)
        seen.extend(record for _, record in current.edges)
        assert current.total_count == 25
        if not current.has_next_page:
            break
        after = current.end_cursor
    assert seen == RECORDS


def test_page_info_at_both_ends() -> None:
    first = page(10)
    assert (first.has_previous_page, first.has_next_page) == (False, True)
    last = page(10, page(20).end_cursor)
    assert [r for _, r in last.edges] == RECORDS[20:]
    assert (last.has_previous_page, last.has_next_page) == (True, False)


def test_first_past_the_end_returns_what_is_left() -> None:
    beyond = page(100, page(24).end_cursor)
    assert [r for _, r in beyond.edges] == RECORDS[24:]
    empty = page(5, beyond.end_cursor)
    assert empty.edges == []
    assert empty.end_cursor is None
    assert not empty.has_next_page


def test_a_cursor_stays_correct_when_earlier_records_disappear() -> None:
    cursor = page(10).end_cursor
    fewer = RECORDS[3:]
    assert [r for _, r in page(2, cursor, fewer).edges] == RECORDS[10:12]


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        base64.urlsafe_b64encode(b"{}").decode(),
        base64.urlsafe_b64encode(b'[1, "news"]').decode(),
        encode_cursor("services", (1.0, "id01")),
        encode_cursor("news", ("text", 3.0)),
        encode_cursor("news", (1.0,)),
    ],
)
def test_a_forged_cursor_is_a_clear_error(cursor: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        page(5, cursor)
    assert caught.value.argument == "after"
    assert "endCursor of a previous page" in caught.value.message


@pytest.mark.parametrize("first", [-1, 101])
def test_first_out_of_range_is_refused(first: int) -> None:
    with pytest.raises(InvalidInput, match="first: must be between 0 and 100"):
        page(first)
