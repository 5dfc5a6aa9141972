"""The rate limiter named by a URL: ``memory://``, ``redis://...`` or ``rediss://...``."""

from __future__ import annotations

from urllib.parse import urlsplit

from hub.ratelimit.decision import RateLimiter, check_policy
from hub.ratelimit.in_memory import MemoryRateLimiter
from hub.ratelimit.in_redis import RedisRateLimiter

FORMS = "memory:// (one process), redis://host:6379/0 or rediss://host:6380/0 (shared)"


def open_rate_limiter(url: str, capacity: int, refill_per_second: float) -> RateLimiter | None:
    """The limiter at ``url`` with buckets of ``capacity`` refilled at ``refill_per_second``.

    ``capacity`` 0 turns limiting off: the answer is ``None``. The URL is checked even
    then, so a typo shows when the hub starts, not on the day limits are turned on.
    Raise ``ValueError`` for an unknown scheme or a capacity or refill that makes no limit.
    """
    scheme = urlsplit(url).scheme
    if scheme not in ("memory", "redis", "rediss"):
        # The URL itself may carry a password: name only its scheme.
        raise ValueError(f"rate limit URL: unknown scheme {scheme!r}; use {FORMS}")
    if capacity == 0:
        return None
    check_policy(capacity, refill_per_second)
    if scheme == "memory":
        return MemoryRateLimiter(capacity, refill_per_second)
    return RedisRateLimiter(url, capacity, refill_per_second)
