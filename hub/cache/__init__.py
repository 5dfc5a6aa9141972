"""The hub's cache of agencies' answers: aiocache in memory or on Redis, stale-if-error."""

from __future__ import annotations

from hub.cache.answers import AnswerCache, CacheStats, Served
from hub.cache.store import open_store

__all__ = ["AnswerCache", "CacheStats", "Served", "open_store"]
