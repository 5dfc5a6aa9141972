"""Per-client rate limits: a token bucket per key, in memory or shared through Redis.

Open one with :func:`open_rate_limiter` and ask it ``await limiter.acquire(client_key)``
per request; refuse the request with 429 and ``Retry-After`` when the decision is not
allowed. See :class:`RateDecision` for what a decision says.
"""

from __future__ import annotations

from hub.ratelimit.decision import NEVER, RateDecision, RateLimiter
from hub.ratelimit.factory import open_rate_limiter
from hub.ratelimit.in_memory import MemoryRateLimiter
from hub.ratelimit.in_redis import RedisRateLimiter

__all__ = [
    "NEVER",
    "MemoryRateLimiter",
    "RateDecision",
    "RateLimiter",
    "RedisRateLimiter",
    "open_rate_limiter",
]
