"""What a watcher reads for each watchable capability, and the topic it publishes on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hub.connector import BidQuery, NewsQuery, VacancyQuery
from hub.events import topics


@dataclass(frozen=True, slots=True)
class WatchedListing:
    """How to list a capability's records: ``method(*args)`` of the agency's connector;
    what changed in them is published on ``topic``."""

    topic: str
    method: str
    args: tuple[Any, ...]


WATCHED: Mapping[str, WatchedListing] = {
    "vacancies": WatchedListing(topics.VACANCIES, "vacancies", (VacancyQuery(),)),
    "bids": WatchedListing(topics.BIDS, "bids", (BidQuery(),)),
    "news": WatchedListing(topics.NEWS, "news", (NewsQuery(),)),
    "alerts": WatchedListing(topics.SECURITY_ALERTS, "alerts_in_force", ()),
}
"""Each of :data:`hub.connector.WATCHABLE_CAPABILITIES`: every record the agency lists
(up to the queries' default limit), unfiltered."""


__all__ = ["WATCHED", "WatchedListing"]
