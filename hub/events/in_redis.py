"""An event bus through Redis pub/sub: an event published by one hub process reaches the
subscribers of every hub process connected to the same Redis.

Each process keeps one pattern subscription (``hub:events:*``) on its own connection and
hands what arrives to its local subscribers, so a thousand WebSocket clients cost Redis
one subscriber per process. When Redis goes away, the listener reconnects with backoff
and logs one warning per :data:`WARN_EVERY` seconds; events published meanwhile are lost
(pub/sub keeps nothing), which the bus's contract allows: they describe stored changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from hub.events.bus import DEFAULT_CAPACITY, EventBus, EventBusUnavailable
from hub.events.event import Event

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "hub:events:"
WARN_EVERY = 30.0
"""Seconds between two warnings that Redis is failing."""
TIMEOUT = 5.0
"""Seconds a command, a connection or a subscription's confirmation may take: a Redis
that accepts connections but does not answer never holds the hub up for longer."""
HEALTH_CHECK_EVERY = 15
"""Seconds between pings on an idle connection, so a half-open one is noticed."""
RECONNECT_DELAYS = (0.1, 0.5, 1.0, 2.0, 5.0)
"""Seconds to wait before each attempt to subscribe again; the last one repeats."""


class RedisBus(EventBus):
    """Events through the Redis at ``url`` (``redis://host:port/db``)."""

    def __init__(
        self, url: str, *, capacity: int = DEFAULT_CAPACITY, prefix: str = CHANNEL_PREFIX
    ) -> None:
        super().__init__(capacity)
        self.url = url
        self.prefix = prefix
        self._redis: aioredis.Redis = aioredis.Redis.from_url(
            url,
            socket_connect_timeout=TIMEOUT,
            socket_timeout=TIMEOUT,
            health_check_interval=HEALTH_CHECK_EVERY,
        )
        self._listener: asyncio.Task[None] | None = None
        self._warned_at = 0.0

    async def start(self) -> None:
        """Subscribe, and return once Redis confirmed it (later publications arrive).

        Raises :class:`EventBusUnavailable` when Redis cannot be reached at start-up, so
        a misconfigured URL stops the hub instead of silently dropping events.
        """
        try:
            pubsub = await self._subscribed()
        except (RedisError, OSError, TimeoutError) as exc:
            raise EventBusUnavailable(
                f"cannot subscribe to events in Redis at {self.url}: {exc}; start Redis, or "
                "set HUB_EVENTS_URL=memory:// to keep events within one hub process"
            ) from exc
        self._listener = asyncio.create_task(self._listen(pubsub), name="hub-events-redis")

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
            self._listener = None
        await self._redis.aclose()

    async def publish(self, topic: str, data: Mapping[str, Any]) -> bool:
        event = Event(topic=topic, data=data)
        try:
            async with asyncio.timeout(TIMEOUT):
                await self._redis.publish(self.prefix + topic, event.encode())
        except (RedisError, OSError, TimeoutError) as exc:
            self._warn(f"could not publish an event on {topic!r} to Redis at {self.url}: {exc}")
            return False
        return True

    async def _subscribed(self) -> PubSub:
        pubsub = self._redis.pubsub()
        try:
            async with asyncio.timeout(TIMEOUT):
                await pubsub.psubscribe(self.prefix + "*")
                while (await pubsub.get_message(timeout=TIMEOUT)) is None:
                    pass
        except BaseException:
            await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves it untyped
            raise
        return pubsub

    async def _listen(self, pubsub: PubSub) -> None:
        attempt = 0
        while True:
            try:
                await self._relay(pubsub)
            except (RedisError, OSError, TimeoutError) as exc:
                self._warn(f"lost the event subscription to Redis at {self.url}: {exc}")
            except Exception:
                log.exception("events: the Redis listener failed; subscribing again")
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves it untyped
            while True:
                await asyncio.sleep(RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)])
                attempt += 1
                try:
                    pubsub = await self._subscribed()
                except (RedisError, OSError, TimeoutError) as exc:
                    self._warn(f"cannot subscribe to events in Redis at {self.url}: {exc}")
                    continue
                log.info("events: subscribed to Redis at %s again", self.url)
                attempt = 0
                break

    async def _relay(self, pubsub: PubSub) -> None:
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is None or message.get("type") != "pmessage":
                continue
            try:
                event = Event.decode(message["data"])
            except ValueError as exc:
                log.warning("events: ignored a message on %s: %s", message.get("channel"), exc)
                continue
            self.fanout.deliver(event)

    def _warn(self, message: str) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            log.warning("events: %s", message)


__all__ = ["CHANNEL_PREFIX", "RedisBus"]
