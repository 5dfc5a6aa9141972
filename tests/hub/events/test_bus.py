"""The event bus, in memory and through a real Redis: what is published reaches the
subscribers of its topic, in order, and a slow subscriber never holds back the others."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
import redis.asyncio as aioredis

from hub.events import (
    Event,
    EventBus,
    EventBusUnavailable,
    MemoryBus,
    RedisBus,
    SubscriberTooSlow,
    open_event_bus,
)
from tests.support.services import require_redis

BACKENDS = ["memory", pytest.param("redis", marks=pytest.mark.redis)]


def _bus(backend: str, capacity: int = 256, prefix: str | None = None) -> EventBus:
    if backend == "memory":
        return MemoryBus(capacity)
    return RedisBus(require_redis(), capacity=capacity, prefix=prefix or f"test:{uuid.uuid4()}:")


@pytest.fixture(params=BACKENDS)
async def bus(request: pytest.FixtureRequest) -> AsyncIterator[EventBus]:
    opened = _bus(request.param)
    await opened.start()
    yield opened
    await opened.close()


async def _next(events: AsyncIterator[Event]) -> Event:
    return await asyncio.wait_for(anext(events), 10)


async def test_subscribers_receive_their_topics_events_in_order(bus: EventBus) -> None:
    async with bus.subscribe(["a"]) as first, bus.subscribe(["a", "b"]) as second:
        for n in range(3):
            assert await bus.publish("a", {"n": n})
        assert await bus.publish("b", {"n": 99})
        assert [(await _next(first)).data["n"] for _ in range(3)] == [0, 1, 2]
        assert [(await _next(second)).data["n"] for _ in range(4)] == [0, 1, 2, 99]


async def test_a_subscriber_hears_nothing_of_other_topics(bus: EventBus) -> None:
    async with bus.subscribe(["mine"]) as mine:
        await bus.publish("theirs", {"secret": True})
        await bus.publish("mine", {"n": 1})
        event = await _next(mine)
    assert event.topic == "mine"
    assert event.data == {"n": 1}


async def test_events_carry_json_data_the_same_way_on_every_bus(bus: EventBus) -> None:
    async with bus.subscribe(["t"]) as events:
        await bus.publish("t", {"when": datetime(2026, 11, 23, 12, 0), "list": (1, 2)})
        event = await _next(events)
    assert event.data == {"when": "2026-11-23T12:00:00", "list": [1, 2]}
    assert len(event.id) == 32


async def test_leaving_the_block_unsubscribes(bus: EventBus) -> None:
    async with bus.subscribe(["x", "y"]):
        assert bus.fanout.subscriptions == 1
    assert bus.fanout.subscriptions == 0
    await bus.publish("x", {})


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_slow_subscriber_is_dropped_and_never_delays_the_others(backend: str) -> None:
    bus = _bus(backend, capacity=4)
    await bus.start()
    try:
        async with bus.subscribe(["t"]) as slow, bus.subscribe(["t"], capacity=1000) as fast:
            for n in range(100):
                await bus.publish("t", {"n": n})
            received = [(await _next(fast)).data["n"] for _ in range(100)]
            assert received == list(range(100))
            assert bus.fanout.dropped >= 1
            with pytest.raises(SubscriberTooSlow, match="subscribe again"):
                await _next(slow)
    finally:
        await bus.close()


def test_a_subscription_needs_a_topic() -> None:
    with pytest.raises(ValueError, match="at least one topic"):
        MemoryBus().subscribe([])


@pytest.mark.redis
async def test_an_event_crosses_from_one_redis_bus_to_another() -> None:
    prefix = f"test:{uuid.uuid4()}:"
    publisher, subscriber = _bus("redis", prefix=prefix), _bus("redis", prefix=prefix)
    await publisher.start()
    await subscriber.start()
    try:
        async with subscriber.subscribe(["ticket:CH-2026-000001"]) as events:
            await publisher.publish("ticket:CH-2026-000001", {"status": "ACKNOWLEDGED"})
            event = await _next(events)
        assert event.data == {"status": "ACKNOWLEDGED"}
    finally:
        await publisher.close()
        await subscriber.close()


@pytest.mark.redis
async def test_a_redis_bus_ignores_messages_that_are_not_events() -> None:
    prefix = f"test:{uuid.uuid4()}:"
    bus = _bus("redis", prefix=prefix)
    await bus.start()
    raw = aioredis.Redis.from_url(require_redis())
    try:
        async with bus.subscribe(["t"]) as events:
            await raw.publish(f"{prefix}t", b"not an event")
            await bus.publish("t", {"ok": True})
            assert (await _next(events)).data == {"ok": True}
    finally:
        await raw.aclose()
        await bus.close()


async def test_a_redis_bus_that_cannot_reach_redis_fails_to_start_and_publishes_nothing() -> None:
    bus = RedisBus("redis://127.0.0.1:1/0")
    with pytest.raises(EventBusUnavailable, match="start Redis, or set HUB_EVENTS_URL"):
        await bus.start()
    assert await bus.publish("t", {}) is False
    await bus.close()


def test_the_bus_url_names_its_backend() -> None:
    assert isinstance(open_event_bus("memory://"), MemoryBus)
    assert isinstance(open_event_bus("redis://127.0.0.1:6379/0"), RedisBus)
    with pytest.raises(ValueError, match="memory:// for one hub process"):
        open_event_bus("kafka://broker")


def test_an_encoded_event_decodes_to_itself_and_garbage_does_not() -> None:
    event = Event(topic="t", data={"a": 1})
    assert Event.decode(event.encode()) == event
    for garbage in (b"[]", b"{}", b"nope", b'{"topic": "t", "data": 1, "id": "x", "at": "x"}'):
        with pytest.raises(ValueError, match="not an encoded hub event"):
            Event.decode(garbage)


async def test_a_redis_that_accepts_but_never_answers_holds_nothing_up() -> None:
    held: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    bus = RedisBus(f"redis://127.0.0.1:{port}/0")
    try:
        with pytest.raises(EventBusUnavailable, match=f"127.0.0.1:{port}"):
            await asyncio.wait_for(bus.start(), 30)
        assert await asyncio.wait_for(bus.publish("t", {}), 30) is False
    finally:
        await bus.close()
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()
