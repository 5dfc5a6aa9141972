"""What every subscription shares: the event bus of the request, and the events of a
topic as an async iterator that ends cleanly when the client leaves."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Collection
from typing import Any

from hub.errors import HubError
from hub.events import Event, EventBus
from hub.events.records import decode_record
from hub.schema.agencies import Info

log = logging.getLogger(__name__)


class EventsUnavailable(HubError):
    """The hub has no event bus (it is still starting)."""

    code = "EVENTS_UNAVAILABLE"


def bus_of(info: Info) -> EventBus:
    """The hub's event bus; :class:`EventsUnavailable` before it started."""
    bus: EventBus | None = info.context.events
    if bus is None:
        raise EventsUnavailable("the hub's event bus is not running yet; subscribe again shortly")
    return bus


async def events_on(info: Info, topics: Collection[str]) -> AsyncIterator[Event]:
    """The events published on ``topics`` from now on, until the subscriber leaves."""
    async with bus_of(info).subscribe(topics) as events:
        async for event in events:
            yield event


async def records_on(
    info: Info, topic: str, agencies: Collection[str] | None = None
) -> AsyncIterator[tuple[str, Any]]:
    """``(agency, record)`` of each record a watcher found new or changed on ``topic``,
    from ``agencies`` (all when ``None``)."""
    wanted = None if agencies is None else set(agencies)
    async for event in events_on(info, [topic]):
        decoded = record_of(event)
        if decoded is not None and (wanted is None or decoded[0] in wanted):
            yield decoded


def record_of(event: Event) -> tuple[str, Any] | None:
    """``(agency, record)`` of a watcher's event; ``None`` (and a warning in the log) for
    one that cannot be read."""
    try:
        return str(event.data["agency"]), decode_record(event.topic, event.data["record"])
    except (KeyError, ValueError) as exc:
        log.warning("subscriptions: skipped unreadable %s event %s: %s", event.topic, event.id, exc)
        return None


__all__ = ["EventsUnavailable", "bus_of", "events_on", "record_of", "records_on"]
