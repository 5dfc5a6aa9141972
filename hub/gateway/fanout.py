"""Fan-out: ask every agency that serves a capability at once, and merge the answers.

One agency failing never fails the whole answer: its error is kept beside the other
agencies' records, so the graph can return partial results.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from hub.agencies import AgencyRegistry, AgencyRuntime
from hub.cache import AnswerCache
from hub.connector import (
    BidQuery,
    Health,
    HealthStatus,
    HubError,
    InvalidInput,
    ListQuery,
    NewsQuery,
    ServiceQuery,
    VacancyQuery,
)
from hub.gateway.filters import Record, matches
from hub.gateway.guard import Guard
from hub.gateway.pagination import SortKey

T = TypeVar("T")
Listing = Literal["services", "news", "vacancies", "bids"]


@dataclass(frozen=True, slots=True)
class Sourced(Generic[T]):
    """A record and the agency it came from."""

    agency: str
    item: T


@dataclass(slots=True)
class Collected(Generic[T]):
    """Records merged from several agencies, and the errors of those that failed."""

    items: list[Sourced[T]] = field(default_factory=list)
    failures: list[HubError] = field(default_factory=list)
    stale: list[StaleAnswer] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StaleAnswer:
    """An agency failed and its last good answer, ``age_seconds`` old, was served."""

    agency: str
    age_seconds: float


def _by_title(record: Sourced[Any]) -> SortKey:
    return (record.item.title.casefold(), record.agency, record.item.id)


def _newest_first(record: Sourced[Any]) -> SortKey:
    return (-record.item.published_at.timestamp(), record.agency, record.item.id)


def _closing_first(record: Sourced[Any]) -> SortKey:
    return (record.item.closes_at.timestamp(), record.agency, record.item.id)


ORDER: dict[Listing, Callable[[Sourced[Any]], SortKey]] = {
    "services": _by_title,
    "news": _newest_first,
    "vacancies": _closing_first,
    "bids": _closing_first,
}
"""The stable order of each merged listing: services by title, news newest first,
vacancies and bids by closing date; ties broken by agency and local id."""

QUERY_TYPES: dict[Listing, type[ListQuery]] = {
    "services": ServiceQuery,
    "news": NewsQuery,
    "vacancies": VacancyQuery,
    "bids": BidQuery,
}


class Gateway:
    """The hub's single way to reach agencies: fan-out listings, lookups and health."""

    def __init__(
        self,
        registry: AgencyRegistry,
        guard: Guard | None = None,
        cache: AnswerCache | None = None,
    ) -> None:
        self.registry = registry
        self.guard = guard or Guard(registry)
        self.cache = cache

    def agencies_for(
        self, capability: Listing, agencies: Sequence[str] | None
    ) -> list[AgencyRuntime]:
        """The agencies to ask for ``capability``, limited to ``agencies`` when given."""
        if agencies is not None:
            unknown = sorted(set(agencies) - set(self.registry.ids))
            if unknown:
                raise InvalidInput(
                    "agencies",
                    f"unknown agency {', '.join(unknown)}; known: {', '.join(self.registry.ids)}",
                )
        return [
            runtime
            for runtime in self.registry.serving(capability)
            if agencies is None or runtime.id in agencies
        ]

    async def collect(
        self, capability: Listing, query: ListQuery, agencies: Sequence[str] | None = None
    ) -> Collected[Record]:
        """Every record of ``capability`` matching ``query``, merged in :data:`ORDER`."""
        runtimes = self.agencies_for(capability, agencies)
        answers = await asyncio.gather(*(self._list(r, capability, query) for r in runtimes))
        collected: Collected[Record] = Collected()
        for runtime, answer in zip(runtimes, answers, strict=True):
            if isinstance(answer, HubError):
                collected.failures.append(answer)
                continue
            records, stale_age = answer
            if stale_age is not None:
                collected.stale.append(StaleAnswer(runtime.id, stale_age))
            kept = [record for record in records if matches(record, query)][: query.limit]
            collected.items.extend(Sourced(runtime.id, record) for record in kept)
        collected.items.sort(key=ORDER[capability])
        return collected

    async def _list(
        self, runtime: AgencyRuntime, capability: Listing, query: ListQuery
    ) -> tuple[list[Record], float | None] | HubError:
        """The agency's answer and, if it was served stale, its age; or its error."""
        method = getattr(runtime.connector, capability)

        async def ask() -> list[Record]:
            records: list[Record] = await self.guard.call(runtime.id, method, query)
            return records

        try:
            if self.cache is None:
                return await ask(), None
            served = await self.cache.fetch(
                runtime.id,
                AnswerCache.key(runtime.id, capability, query),
                getattr(runtime.config.cache_ttl, capability),
                runtime.config.stale_if_error,
                ask,
            )
        except HubError as exc:
            return exc
        return served.value, served.stale_age

    async def health(self, agency_id: str, at_most: float | None = None) -> Health:
        """Probe ``agency_id``'s system; a failed probe is a DOWN health, never an error.

        ``at_most`` (seconds) cuts the probe short of the agency's own timeout.
        """
        runtime = self.registry.get(agency_id)
        now = datetime.now(UTC)
        if not runtime.serves("health"):
            return Health(
                status=HealthStatus.UNKNOWN,
                checked_at=now,
                detail="the connector cannot probe this agency's system",
            )
        try:
            probe = runtime.connector.health  # type: ignore[attr-defined]
            health: Health = await self.guard.call(agency_id, probe, at_most=at_most)
        except HubError as exc:
            return Health(status=HealthStatus.DOWN, checked_at=now, detail=f"{exc.code}: {exc}")
        return health

    async def health_of_all(self, at_most: float | None = None) -> dict[str, Health]:
        """Every agency's health, probed concurrently."""
        ids = self.registry.ids
        results = await asyncio.gather(*(self.health(agency_id, at_most) for agency_id in ids))
        return dict(zip(ids, results, strict=True))


__all__ = ["ORDER", "QUERY_TYPES", "Collected", "Gateway", "Listing", "Sourced", "StaleAnswer"]
