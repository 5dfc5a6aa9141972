"""Events: what changed, published on topics, delivered to subscribers.

Publishers (the ticket store, the agency watchers, polls) call
``await bus.publish(topic, data)`` after their change is stored; subscriptions in the
graph read ``async with bus.subscribe(topics) as events``. :class:`MemoryBus` serves one
process; :class:`RedisBus` carries events between processes (``HUB_EVENTS_URL``).
"""

from __future__ import annotations

from hub.events import topics
from hub.events.bus import (
    EventBus,
    EventBusUnavailable,
    MemoryBus,
    SubscriberTooSlow,
    Subscription,
)
from hub.events.event import Event
from hub.events.factory import open_event_bus
from hub.events.in_redis import RedisBus

__all__ = [
    "Event",
    "EventBus",
    "EventBusUnavailable",
    "MemoryBus",
    "RedisBus",
    "SubscriberTooSlow",
    "Subscription",
    "open_event_bus",
    "topics",
]
