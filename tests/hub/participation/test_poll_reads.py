"""Listing polls: newest first, open or not at a moment, by area, page after page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub.errors import InvalidInput
from hub.participation import Participation, PollView
from tests.hub.participation.support import ADMIN, NOW, POLICE, citizen, poll

LATER = NOW + timedelta(days=3)


async def some_polls(stores: Participation) -> dict[str, PollView]:
    """Five polls: two open now, one closed, one upcoming, one open in Mombasa."""
    made = {
        "open": await stores.polls.create(poll(), ADMIN, now=NOW),
        "closed": await stores.polls.create(poll(), POLICE, now=NOW),
        "upcoming": await stores.polls.create(poll(opens_at=LATER), ADMIN, now=NOW),
        "mombasa": await stores.polls.create(poll(area="Mombasa"), ADMIN, now=NOW),
        "everywhere": await stores.polls.create(poll(area=None), ADMIN, now=NOW),
    }
    made["closed"] = await stores.polls.close(made["closed"].id, POLICE, now=NOW)
    return made


def ids(polls: list[PollView]) -> list[int]:
    return [p.id for p in polls]


async def test_polls_are_listed_newest_first_with_their_options(stores: Participation) -> None:
    made = await some_polls(stores)
    page = await stores.polls.page(now=NOW)
    listed = [view for _, view in page.edges]
    assert ids(listed) == sorted(ids(list(made.values())), reverse=True)
    assert listed[0] == made["everywhere"]
    assert page.total_count == 5
    assert (page.has_next_page, page.has_previous_page) == (False, False)


async def test_open_and_area_filters(stores: Participation) -> None:
    made = await some_polls(stores)
    moment = NOW + timedelta(hours=1)

    open_now = await stores.polls.page(is_open=True, now=moment)
    not_open = await stores.polls.page(is_open=False, now=moment)
    in_nairobi = await stores.polls.page(area="nairobi cbd", now=moment)
    open_later = await stores.polls.page(is_open=True, area="Nairobi CBD", now=LATER)

    def names(page_edges: list[tuple[str, PollView]]) -> set[str]:
        found = {view.id for _, view in page_edges}
        return {name for name, view in made.items() if view.id in found}

    assert names(open_now.edges) == {"open", "mombasa", "everywhere"}
    assert open_now.total_count == 3
    assert names(not_open.edges) == {"closed", "upcoming"}
    assert names(in_nairobi.edges) == {"open", "closed", "upcoming"}
    assert names(open_later.edges) == {"open", "upcoming"}


async def test_pages_follow_each_other_without_gaps_or_repeats(stores: Participation) -> None:
    made = await some_polls(stores)
    seen: list[int] = []
    after = None
    while True:
        page = await stores.polls.page(first=2, after=after, now=NOW)
        assert page.total_count == 5
        assert page.has_previous_page is (after is not None)
        seen.extend(view.id for _, view in page.edges)
        if not page.has_next_page:
            break
        after = page.edges[-1][0]
    assert seen == sorted(ids(list(made.values())), reverse=True)


@pytest.mark.parametrize("first", [-1, 101])
async def test_a_page_size_out_of_range_is_bad_input(stores: Participation, first: int) -> None:
    with pytest.raises(InvalidInput, match="between 0 and 100") as refused:
        await stores.polls.page(first=first)
    assert refused.value.argument == "first"


@pytest.mark.parametrize("cursor", ["not-a-cursor", "WzEsInBvbGxzIiwieCJd"])
async def test_a_forged_cursor_is_bad_input(stores: Participation, cursor: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        await stores.polls.page(after=cursor)
    assert refused.value.argument == "after"


async def test_results_and_votes_of_many_polls_at_once(stores: Participation) -> None:
    made = await some_polls(stores)
    running, everywhere = made["open"], made["everywhere"]
    await stores.polls.vote(running.id, running.options[1].id, citizen("a"), now=NOW)
    await stores.polls.vote(everywhere.id, everywhere.options[0].id, citizen("a"), now=NOW)
    await stores.polls.vote(everywhere.id, everywhere.options[0].id, citizen("b"), now=NOW)

    results = await stores.polls.results_of([running.id, everywhere.id, made["closed"].id, 404])

    assert set(results) == {running.id, everywhere.id, made["closed"].id}
    assert [r.votes for r in results[running.id].options] == [0, 1, 0]
    assert [r.votes for r in results[everywhere.id].options] == [2, 0, 0]
    assert results[made["closed"].id].total_votes == 0
    assert await stores.polls.votes_of("citizen-a", [running.id, everywhere.id]) == {
        running.id: running.options[1].id,
        everywhere.id: everywhere.options[0].id,
    }
    assert set(await stores.polls.get_many([running.id, 404])) == {running.id}
