"""The whole-response cache's parts: the ledger, the answer cache's notes, keeping and
finding responses, data versions, and a store that fails."""

from __future__ import annotations

import socket

import pytest

from hub.cache import AnswerCache, AnswerLedger, ResponseCache, open_store, recording
from hub.cache.ledger import current_ledger
from hub.cache.versions import bump_version
from hub.connector import AgencyUnavailable
from tests.support.services import require_redis

AGENCIES = ("revenue", "immigration")
QUERY = "{ services { totalCount } }"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def kept_ledger(*agencies: str, fresh_for: float = 60) -> AnswerLedger:
    ledger = AnswerLedger(public=True)
    for agency in agencies:
        ledger.answer(agency, fresh_for)
    return ledger


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the ledger ------------------------------------------------------------------------


def test_a_ledger_keeps_the_shortest_freshness_and_the_first_reason_not_to_keep() -> None:
    ledger = AnswerLedger(public=True)
    assert ledger.why_not == "read no agency's answers, so it has no time to live"
    ledger.answer("revenue", 300)
    ledger.answer("immigration", 45.5)
    assert ledger.why_not is None
    assert ledger.fresh_for == 45.5
    assert ledger.agencies == {"revenue", "immigration"}
    ledger.spoil("revenue failed")
    ledger.spoil("immigration failed")
    assert ledger.why_not == "revenue failed"
    assert AnswerLedger().why_not == "not known to read only public data"


def test_the_ledger_is_current_only_inside_its_block() -> None:
    ledger = AnswerLedger()
    assert current_ledger() is None
    with recording(ledger):
        assert current_ledger() is ledger
    assert current_ledger() is None


# --- what the answer cache notes ---------------------------------------------------------


async def test_the_answer_cache_notes_how_long_each_answer_stays_fresh() -> None:
    clock = Clock()
    cache = AnswerCache(open_store("memory://"), clock=clock)

    async def answer() -> list[str]:
        return ["a record"]

    key = AnswerCache.key("revenue", "services", QUERY)
    with recording(AnswerLedger(public=True)) as first:
        await cache.fetch("revenue", key, 300, 0, answer)
    clock.now += 100
    with recording(AnswerLedger(public=True)) as second:
        await cache.fetch("revenue", key, 300, 0, answer)
    assert first.fresh_for == 300
    assert second.fresh_for == 200
    assert second.why_not is None


async def test_answers_not_cached_stale_or_failed_keep_a_response_out() -> None:
    clock = Clock()
    cache = AnswerCache(open_store("memory://"), clock=clock)
    down = AgencyUnavailable("down", agency="revenue")

    async def answer() -> list[str]:
        return ["a record"]

    async def fail() -> list[str]:
        raise down

    key = AnswerCache.key("revenue", "services", QUERY)
    with recording(AnswerLedger(public=True)) as uncached:
        await cache.fetch("revenue", key, 0, 0, answer)
    await cache.fetch("revenue", key, 10, 600, answer)
    clock.now += 20
    with recording(AnswerLedger(public=True)) as stale:
        served = await cache.fetch("revenue", key, 10, 600, fail)
    with recording(AnswerLedger(public=True)) as failed, pytest.raises(AgencyUnavailable):
        await cache.fetch("revenue", AnswerCache.key("revenue", "news", QUERY), 10, 600, fail)
    assert uncached.why_not == "revenue's answers are not cached"
    assert served.stale_age == 20
    assert stale.why_not == "revenue failed: AGENCY_UNAVAILABLE"
    assert failed.why_not == "revenue failed: AGENCY_UNAVAILABLE"


# --- keeping and finding responses -------------------------------------------------------


async def test_a_kept_response_is_found_by_the_same_request_only() -> None:
    responses = ResponseCache(open_store("memory://"), AGENCIES, "setup-a")
    key = responses.key(QUERY, "Portal", {"first": 5, "after": None})
    assert key is not None
    lookup = await responses.lookup(key)
    assert lookup.body is None
    assert await responses.keep(lookup, b'{"data":{}}', kept_ledger("revenue"))
    same = responses.key(QUERY, "Portal", {"after": None, "first": 5})
    assert same == key, "variables are keyed in sorted order"
    assert (await responses.lookup(key)).body == b'{"data":{}}'
    others = [
        responses.key(QUERY, "Portal", {"first": 6, "after": None}),
        responses.key(QUERY, None, {"first": 5, "after": None}),
        responses.key(QUERY + " ", "Portal", {"first": 5, "after": None}),
        ResponseCache(responses.store, AGENCIES, "setup-b").key(
            QUERY, "Portal", {"first": 5, "after": None}
        ),
    ]
    assert len(set(others)) == len(others)
    for other in others:
        assert other is not None
        assert (await responses.lookup(other)).body is None


async def test_a_response_is_not_kept_unless_its_ledger_allows() -> None:
    responses = ResponseCache(open_store("memory://"), AGENCIES, "setup")
    key = responses.key(QUERY, None, None)
    assert key is not None
    lookup = await responses.lookup(key)
    not_public = AnswerLedger()
    not_public.answer("revenue", 60)
    spoiled = kept_ledger("revenue")
    spoiled.spoil("revenue failed: AGENCY_UNAVAILABLE")
    unknown_agency = kept_ledger("revenue", "parliament")
    for ledger in (not_public, spoiled, AnswerLedger(public=True), unknown_agency):
        assert not await responses.keep(lookup, b"{}", ledger)
    assert (await responses.lookup(key)).body is None


async def test_a_response_lives_as_long_as_its_freshest_answer_allows() -> None:
    clock = Clock()
    responses = ResponseCache(open_store("memory://"), AGENCIES, "setup", clock=clock)
    key = responses.key(QUERY, None, None)
    assert key is not None
    await responses.keep(await responses.lookup(key), b"{}", kept_ledger("revenue", fresh_for=30))
    clock.now += 29
    assert (await responses.lookup(key)).body == b"{}"
    clock.now += 2
    assert (await responses.lookup(key)).body is None


async def test_a_purge_retires_the_responses_built_from_that_agency_only() -> None:
    store = open_store("memory://")
    answers = AnswerCache(store)
    responses = ResponseCache(store, AGENCIES, "setup")
    keys = [responses.key(QUERY, name, None) for name in ("Revenue", "Immigration")]
    for key, agency in zip(keys, AGENCIES, strict=True):
        assert key is not None
        await responses.keep(await responses.lookup(key), agency.encode(), kept_ledger(agency))
    await answers.purge("revenue")
    revenue_key, immigration_key = keys
    assert revenue_key is not None
    assert immigration_key is not None
    assert (await responses.lookup(revenue_key)).body is None
    assert (await responses.lookup(immigration_key)).body == b"immigration"


async def test_a_response_built_while_its_agency_was_purged_is_never_served() -> None:
    store = open_store("memory://")
    responses = ResponseCache(store, AGENCIES, "setup")
    key = responses.key(QUERY, None, None)
    assert key is not None
    lookup = await responses.lookup(key)  # versions are read before the answer is built
    await bump_version(store, "revenue")
    assert await responses.keep(lookup, b"{}", kept_ledger("revenue"))
    assert (await responses.lookup(key)).body is None


async def test_variables_that_are_not_json_have_no_key() -> None:
    responses = ResponseCache(open_store("memory://"), AGENCIES, "setup")
    assert responses.key(QUERY, None, {"file": object()}) is None


async def test_a_store_that_cannot_be_reached_is_a_miss_and_keeps_nothing() -> None:
    store = open_store(f"redis://127.0.0.1:{unused_port()}/0")
    responses = ResponseCache(store, AGENCIES, "setup")
    key = responses.key(QUERY, None, None)
    assert key is not None
    try:
        lookup = await responses.lookup(key)
        assert lookup.body is None
        assert lookup.versions is None
        assert not await responses.keep(lookup, b"{}", kept_ledger("revenue"))
    finally:
        await AnswerCache(store).close()


@pytest.mark.redis
async def test_on_redis_a_purge_by_one_process_retires_responses_kept_by_another() -> None:
    url = require_redis()
    first, second = open_store(url), open_store(url)
    try:
        setup = f"test-{unused_port()}"
        kept_by = ResponseCache(first, AGENCIES, setup)
        read_by = ResponseCache(second, AGENCIES, setup)
        key = kept_by.key(QUERY, None, None)
        assert key is not None
        await kept_by.keep(await kept_by.lookup(key), b"{}", kept_ledger("immigration"))
        assert (await read_by.lookup(key)).body == b"{}"
        await AnswerCache(second).purge("immigration")
        assert (await kept_by.lookup(key)).body is None
    finally:
        await AnswerCache(first).close()
        await AnswerCache(second).close()
