"""Agencies' answers kept for their TTL, and served stale while the agency fails.

An entry lives in the store for ``ttl + stale_for`` seconds. Younger than ``ttl`` it
is fresh and served without calling the agency; older, the agency is called, and
only if that call fails because the system is unwell (down, slow, unreadable) is the
old answer served, marked stale with its age. A store that fails (Redis down) is a
miss, never an error: the hub then calls the agency.

Each answer is also noted in the current response's ledger (:mod:`hub.cache.ledger`)
with how long it stays fresh; an answer not cached, stale or failed keeps the whole
response out of the response cache.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from aiocache.base import BaseCache

from hub.cache.ledger import note_answer, note_unfit
from hub.cache.store import close_store
from hub.cache.versions import bump_version
from hub.connector import AgencyBadResponse, AgencyError, AgencyTimeout, AgencyUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")
PREFIX = "hub:v1"

STALE_WORTHY = (AgencyUnavailable, AgencyTimeout, AgencyBadResponse)
"""Failures through which a stale answer is better than none."""


@dataclass(frozen=True, slots=True)
class Served(Generic[T]):
    """An answer and, when it is stale, its age in seconds."""

    value: T
    stale_age: float | None = None


@dataclass(slots=True)
class CacheStats:
    """Counts since start, per agency."""

    hits: dict[str, int] = field(default_factory=dict)
    misses: dict[str, int] = field(default_factory=dict)
    stale: dict[str, int] = field(default_factory=dict)

    def count(self, kind: dict[str, int], agency: str) -> None:
        """Add one to ``kind`` for ``agency``."""
        kind[agency] = kind.get(agency, 0) + 1


@dataclass(frozen=True, slots=True)
class _Entry:
    value: Any
    stored_at: float


class AnswerCache:
    """The cache of answers, keyed by agency and by what was asked."""

    def __init__(self, store: BaseCache, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.stats = CacheStats()
        self._clock = clock

    @staticmethod
    def key(agency: str, what: str, question: object) -> str:
        """The key of ``question`` (a hashable, stable-repr query) asked of ``agency``."""
        digest = hashlib.sha256(repr(question).encode()).hexdigest()[:32]
        return f"{PREFIX}:{agency}:{what}:{digest}"

    async def fetch(
        self,
        agency: str,
        key: str,
        ttl: float,
        stale_for: float,
        call: Callable[[], Awaitable[T]],
    ) -> Served[T]:
        """The fresh cached answer under ``key``, else ``await call()`` (cached for
        ``ttl``), else, if the call failed as :data:`STALE_WORTHY`, the stale one."""
        if ttl <= 0:
            note_unfit(f"{agency}'s answers are not cached")
            return Served(await call())
        entry = await self._read(key)
        now = self._clock()
        if entry is not None and now - entry.stored_at < ttl:
            self.stats.count(self.stats.hits, agency)
            note_answer(agency, ttl - (now - entry.stored_at))
            return Served(entry.value)
        self.stats.count(self.stats.misses, agency)
        try:
            value = await call()
        except AgencyError as error:
            note_unfit(f"{agency} failed: {error.code}")
            age = None if entry is None else now - entry.stored_at
            if isinstance(error, STALE_WORTHY) and age is not None and age < ttl + stale_for:
                self.stats.count(self.stats.stale, agency)
                log.warning("agency %s: serving an answer %.0f s old: %s", agency, age, error)
                served: Served[T] = Served(entry.value, stale_age=age)  # type: ignore[union-attr]
                return served
            raise
        await self._write(key, _Entry(value, now), ttl + stale_for)
        note_answer(agency, ttl - (self._clock() - now))
        return Served(value)

    async def purge(self, agency: str) -> None:
        """Forget every answer of ``agency``, and every whole response built from them, in
        every hub process sharing the store. Raises when the store cannot be reached."""
        await self.store.clear(namespace=f"{PREFIX}:{agency}")
        # After the answers: a response built between the two is kept under the old
        # version, which this retires; the other order could keep one built from an
        # answer that was about to be forgotten under the new version.
        await bump_version(self.store, agency)

    async def close(self) -> None:
        """Close the store's connections."""
        await close_store(self.store)

    async def _read(self, key: str) -> _Entry | None:
        try:
            entry = await self.store.get(key)
        except Exception:
            log.warning("cache: cannot read %s; asking the agency", key, exc_info=True)
            return None
        return entry if isinstance(entry, _Entry) else None

    async def _write(self, key: str, entry: _Entry, seconds: float) -> None:
        try:
            await self.store.set(key, entry, ttl=max(1, round(seconds)))
        except Exception:
            log.warning("cache: cannot write %s", key, exc_info=True)
