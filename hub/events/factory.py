"""The event bus named by ``HUB_EVENTS_URL``."""

from __future__ import annotations

from urllib.parse import urlsplit

from hub.events.bus import DEFAULT_CAPACITY, EventBus, MemoryBus
from hub.events.in_redis import RedisBus


def open_event_bus(url: str, capacity: int = DEFAULT_CAPACITY) -> EventBus:
    """``memory://`` (one process) or ``redis://host:port/db`` (shared); call ``start()``.

    Raises ``ValueError`` naming the accepted schemes for any other URL.
    """
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        return MemoryBus(capacity)
    if scheme in ("redis", "rediss"):
        return RedisBus(url, capacity=capacity)
    raise ValueError(
        f"HUB_EVENTS_URL {url!r}: use memory:// for one hub process, or "
        "redis://host:6379/0 for events shared by several"
    )


__all__ = ["open_event_bus"]
