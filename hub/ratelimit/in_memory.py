"""The token buckets of one hub process, kept in its memory."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from hub.ratelimit.decision import (
    EPSILON,
    NEVER,
    RateDecision,
    check_cost,
    check_policy,
    whole,
)


class MemoryRateLimiter:
    """Token buckets in this process: exact, fast, but each hub process has its own budget.

    At most ``max_keys`` buckets are kept; beyond that the least recently used are
    dropped. A dropped bucket comes back full, which errs towards letting a client in,
    never towards refusing one that kept within its limit.
    """

    def __init__(
        self,
        capacity: int,
        refill_per_second: float,
        *,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        check_policy(capacity, refill_per_second)
        if isinstance(max_keys, bool) or not isinstance(max_keys, int) or max_keys < 1:
            raise ValueError(f"rate limit max_keys: expected a number >= 1, got {max_keys!r}")
        self.capacity = capacity
        self.refill_per_second = refill_per_second
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        """key -> (tokens, when they were counted), least recently used first."""

    def __len__(self) -> int:
        """The number of buckets kept now."""
        return len(self._buckets)

    async def acquire(self, key: str, cost: int = 1) -> RateDecision:
        """Take ``cost`` tokens from ``key``'s bucket if it has them; see ``RateLimiter``."""
        check_cost(cost)
        # No lock: nothing below awaits, so no other task can run between the read and
        # the write of a bucket on this event loop.
        now = self._clock()
        tokens, counted_at = self._buckets.pop(key, (float(self.capacity), now))
        elapsed = max(0.0, now - counted_at)
        tokens = min(float(self.capacity), tokens + elapsed * self.refill_per_second)
        if cost > self.capacity:
            decision = RateDecision(False, whole(tokens), NEVER, self.capacity)
        elif tokens + EPSILON < cost:
            wait = (cost - tokens) / self.refill_per_second
            decision = RateDecision(False, whole(tokens), wait, self.capacity)
        else:
            tokens = max(0.0, tokens - cost)
            decision = RateDecision(True, whole(tokens), 0.0, self.capacity)
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return decision

    async def close(self) -> None:
        """Forget every bucket."""
        self._buckets.clear()
