"""Voting: citizens vote once per poll, only while it is open, only for its own options;
a vote twice is refused, even twenty sent at once; each vote publishes the results."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from hub.errors import AlreadyVoted, Forbidden, InvalidInput, NotFound, PollNotOpen, Unauthenticated
from hub.events import MemoryBus
from hub.events.topics import poll_topic
from hub.participation import Participation, PollResults, PollView
from tests.hub.participation.support import (
    ADMIN,
    ANONYMOUS,
    NOW,
    POLICE,
    citizen,
    counts,
    poll,
)

SOON = NOW + timedelta(minutes=5)


def tally(results: PollResults) -> list[tuple[str, int]]:
    return [(each.option.label, each.votes) for each in results.options]


async def streetlights(stores: Participation) -> PollView:
    return await stores.polls.create(poll(), ADMIN, now=NOW)


async def test_a_vote_counts_for_its_option_and_the_results_are_counted_per_option(
    stores: Participation,
) -> None:
    created = await streetlights(stores)
    moi, kenyatta, _ = created.options

    await stores.polls.vote(created.id, moi.id, citizen("amina"), now=SOON)
    await stores.polls.vote(created.id, kenyatta.id, citizen("baraka"), now=SOON)
    results = await stores.polls.vote(created.id, moi.id, citizen("chebet"), now=SOON)

    assert tally(results) == [("Moi Avenue", 2), ("Kenyatta Avenue", 1), ("Tom Mboya Street", 0)]
    assert results.total_votes == 3
    assert await stores.polls.results(created.id) == results
    assert await stores.polls.votes_of("citizen-amina", [created.id]) == {created.id: moi.id}
    assert await stores.polls.votes_of("citizen-dan", [created.id]) == {}


async def test_a_vote_twice_is_refused_and_writes_nothing(stores: Participation) -> None:
    created = await streetlights(stores)
    moi, kenyatta, _ = created.options
    amina = citizen("amina")
    await stores.polls.vote(created.id, moi.id, amina, now=SOON)
    before = await counts(stores)

    with pytest.raises(AlreadyVoted, match="a vote is final") as refused:
        await stores.polls.vote(created.id, kenyatta.id, amina, now=SOON)

    assert refused.value.code == "ALREADY_VOTED"
    assert await counts(stores) == before
    assert await stores.polls.votes_of(amina.subject or "", [created.id]) == {created.id: moi.id}


async def test_twenty_votes_of_one_citizen_at_once_count_once(stores: Participation) -> None:
    created = await streetlights(stores)
    amina = citizen("amina")
    choices = [created.options[n % 3].id for n in range(20)]

    outcomes = await asyncio.gather(
        *(stores.polls.vote(created.id, choice, amina, now=SOON) for choice in choices),
        return_exceptions=True,
    )

    accepted = [o for o in outcomes if isinstance(o, PollResults)]
    refused = [o for o in outcomes if isinstance(o, AlreadyVoted)]
    assert (len(accepted), len(refused)) == (1, 19), outcomes
    results = await stores.polls.results(created.id)
    assert results.total_votes == 1
    assert (await counts(stores))["poll_votes"] == 1


async def test_a_citizen_votes_once_in_each_poll(stores: Participation) -> None:
    first, second = await streetlights(stores), await streetlights(stores)
    amina = citizen("amina")
    await stores.polls.vote(first.id, first.options[0].id, amina, now=SOON)
    await stores.polls.vote(second.id, second.options[1].id, amina, now=SOON)
    assert await stores.polls.votes_of("citizen-amina", [first.id, second.id]) == {
        first.id: first.options[0].id,
        second.id: second.options[1].id,
    }


async def test_a_vote_publishes_the_results_on_the_polls_topic(
    stores: Participation, bus: MemoryBus
) -> None:
    created = await streetlights(stores)
    other = await streetlights(stores)

    async with bus.subscribe([poll_topic(created.id)]) as events:
        await stores.polls.vote(other.id, other.options[0].id, citizen("amina"), now=SOON)
        results = await stores.polls.vote(
            created.id, created.options[2].id, citizen("amina"), now=SOON
        )
        event = await asyncio.wait_for(anext(events), timeout=10)

    assert event.topic == f"poll:{created.id}"
    assert PollResults.from_data(event.data) == results
    assert event.data["totalVotes"] == 1
    assert [o["votes"] for o in event.data["options"]] == [0, 0, 1]


async def test_a_refused_vote_publishes_nothing(stores: Participation, bus: MemoryBus) -> None:
    created = await streetlights(stores)
    amina = citizen("amina")
    await stores.polls.vote(created.id, created.options[0].id, amina, now=SOON)

    async with bus.subscribe([poll_topic(created.id)]) as events:
        with pytest.raises(AlreadyVoted):
            await stores.polls.vote(created.id, created.options[0].id, amina, now=SOON)
        await stores.polls.vote(created.id, created.options[1].id, citizen("baraka"), now=SOON)
        event = await asyncio.wait_for(anext(events), timeout=10)

    assert event.data["totalVotes"] == 2


async def test_votes_outside_the_opening_times_are_refused(stores: Participation) -> None:
    upcoming = await stores.polls.create(poll(opens_at=NOW + timedelta(days=1)), ADMIN, now=NOW)
    running = await streetlights(stores)
    await stores.polls.close(running.id, ADMIN, now=SOON)
    amina = citizen("amina")

    with pytest.raises(PollNotOpen, match="opens at"):
        await stores.polls.vote(upcoming.id, upcoming.options[0].id, amina, now=SOON)
    with pytest.raises(PollNotOpen, match="closed at"):
        await stores.polls.vote(running.id, running.options[0].id, amina, now=SOON)
    with pytest.raises(PollNotOpen, match="closed at"):
        await stores.polls.vote(
            upcoming.id, upcoming.options[0].id, amina, now=NOW + timedelta(days=8)
        )
    assert (await counts(stores))["poll_votes"] == 0


async def test_an_option_of_another_poll_is_bad_input(stores: Participation) -> None:
    created, other = await streetlights(stores), await streetlights(stores)
    with pytest.raises(InvalidInput, match="choose one of its own") as refused:
        await stores.polls.vote(created.id, other.options[0].id, citizen("amina"), now=SOON)
    assert refused.value.argument == "optionId"
    assert (await counts(stores))["poll_votes"] == 0


async def test_a_vote_in_no_poll_is_not_found(stores: Participation) -> None:
    with pytest.raises(NotFound):
        await stores.polls.vote(404, 1, citizen("amina"), now=SOON)


async def test_only_citizens_vote(stores: Participation) -> None:
    created = await streetlights(stores)
    with pytest.raises(Unauthenticated):
        await stores.polls.vote(created.id, created.options[0].id, ANONYMOUS, now=SOON)
    with pytest.raises(Forbidden):
        await stores.polls.vote(created.id, created.options[0].id, POLICE, now=SOON)
    assert (await counts(stores))["poll_votes"] == 0
