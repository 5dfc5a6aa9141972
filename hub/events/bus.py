"""The event bus: publishers name a topic, subscribers receive what is published on the
topics they asked for.

Every subscriber has its own bounded queue, filled without waiting: a subscriber that
reads too slowly loses its subscription (:class:`SubscriberTooSlow`) instead of slowing
the publisher or the other subscribers. Publishing is best-effort notification: the
state an event describes is already stored when it is published, and a client that
reconnects reads it from the graph.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Collection, Mapping
from types import TracebackType
from typing import Any, Self

from hub.errors import HubError
from hub.events.event import Event

DEFAULT_CAPACITY = 256
"""Events a subscriber may have waiting before it is judged too slow."""


class EventBusUnavailable(Exception):
    """The bus cannot reach its transport at start-up."""


class SubscriberTooSlow(HubError):
    """The subscriber fell so far behind that its events were dropped."""

    code = "SUBSCRIBER_TOO_SLOW"


class Subscription:
    """One subscriber's events on some topics, oldest first.

    Use it as ``async with bus.subscribe([...]) as events: async for event in events``;
    leaving the block unsubscribes. Iterating raises :class:`SubscriberTooSlow` once more
    than ``capacity`` events waited unread.
    """

    def __init__(self, fanout: Fanout, topics: Collection[str], capacity: int) -> None:
        if not topics:
            raise ValueError("a subscription needs at least one topic")
        self.topics = frozenset(topics)
        self.capacity = capacity
        self._fanout = fanout
        self._queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=capacity)
        self._overflowed = False

    async def __aenter__(self) -> Self:
        self._fanout.add(self)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._fanout.remove(self)

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Event:
        if self._overflowed:
            raise SubscriberTooSlow(
                f"more than {self.capacity} events waited unread, so they were dropped; "
                "subscribe again, and read the current state from the graph"
            )
        return await self._queue.get()

    def offer(self, event: Event) -> bool:
        """Queue ``event`` without waiting; ``False`` when the subscriber is too slow."""
        if self._overflowed:
            return False
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self._overflowed = True
            self._fanout.remove(self)
            return False
        return True


class Fanout:
    """The subscriptions of one process, by topic."""

    def __init__(self) -> None:
        self._by_topic: defaultdict[str, set[Subscription]] = defaultdict(set)
        self.dropped = 0

    def add(self, subscription: Subscription) -> None:
        for topic in subscription.topics:
            self._by_topic[topic].add(subscription)

    def remove(self, subscription: Subscription) -> None:
        for topic in subscription.topics:
            subscribers = self._by_topic.get(topic)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._by_topic[topic]

    def deliver(self, event: Event) -> int:
        """Offer ``event`` to its topic's subscribers; how many took it."""
        taken = 0
        for subscription in tuple(self._by_topic.get(event.topic, ())):
            if subscription.offer(event):
                taken += 1
            else:
                self.dropped += 1
        return taken

    @property
    def subscriptions(self) -> int:
        """How many subscriptions are open (each counted once)."""
        return len({s for subscribers in self._by_topic.values() for s in subscribers})


class EventBus(ABC):
    """Publish to topics; subscribe to them. Open with :meth:`start`, end with :meth:`close`."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self.fanout = Fanout()

    async def start(self) -> None:  # noqa: B027 - a bus without a connection has nothing to open
        """Connect to the transport, if the bus has one."""

    async def close(self) -> None:  # noqa: B027 - a bus without a connection has nothing to close
        """Disconnect from the transport, if the bus has one."""

    @abstractmethod
    async def publish(self, topic: str, data: Mapping[str, Any]) -> bool:
        """Publish ``data`` (JSON-serialisable) on ``topic``.

        ``True`` when the event was handed to the transport; ``False`` (and a warning in
        the log) when the transport could not take it. Never raises for that reason: the
        change the event describes is already stored.
        """

    def subscribe(self, topics: Collection[str], capacity: int | None = None) -> Subscription:
        """A subscription to ``topics``; events published after it is entered arrive."""
        return Subscription(self.fanout, topics, capacity or self.capacity)


class MemoryBus(EventBus):
    """The bus of a single hub process: events never leave it."""

    async def publish(self, topic: str, data: Mapping[str, Any]) -> bool:
        # The round trip through JSON gives subscribers what a Redis bus would give them.
        self.fanout.deliver(Event.decode(Event(topic=topic, data=data).encode()))
        return True


__all__ = [
    "DEFAULT_CAPACITY",
    "EventBus",
    "EventBusUnavailable",
    "Fanout",
    "MemoryBus",
    "SubscriberTooSlow",
    "Subscription",
]
