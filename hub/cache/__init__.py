"""The hub's caches in aiocache, in memory or on Redis: agencies' answers (stale-if-error),
whole responses to anonymous public queries, and each agency's data version."""

from __future__ import annotations

from hub.cache.answers import AnswerCache, CacheStats, Served
from hub.cache.ledger import AnswerLedger, current_ledger, recording
from hub.cache.responses import Lookup, ResponseCache, fingerprint
from hub.cache.store import open_store

__all__ = [
    "AnswerCache",
    "AnswerLedger",
    "CacheStats",
    "Lookup",
    "ResponseCache",
    "Served",
    "current_ledger",
    "fingerprint",
    "open_store",
    "recording",
]
