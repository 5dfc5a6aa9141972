"""Retries of safe reads: jittered exponential backoff, within a budget.

The budget keeps retries to a share of calls so that a failing agency is not
hammered with more traffic than it normally gets: every call deposits ``ratio``
of a retry, every retry withdraws one. A small reserve per second lets an idle
hub retry its first failures too.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator


def backoff_delays(
    retries: int, base: float, cap: float, rng: random.Random | None = None
) -> Iterator[float]:
    """The waits before each of ``retries`` retries: "full jitter" exponential backoff,
    uniformly random between 0 and ``min(cap, base * 2**n)``."""
    chooser = rng or random.Random()
    for attempt in range(retries):
        yield chooser.uniform(0, min(cap, base * 2**attempt))


class RetryBudget:
    """Retries allowed as a share of calls, plus a reserve per second."""

    def __init__(
        self,
        ratio: float,
        reserve_per_second: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ratio = ratio
        self.reserve_per_second = reserve_per_second
        self._clock = clock
        self._deposits = 0.0
        self._reserve = reserve_per_second
        self._refilled_at = clock()
        self.calls = 0
        self.retries = 0

    def record_call(self) -> None:
        """A first attempt was made: deposit ``ratio`` of a retry."""
        self.calls += 1
        self._deposits = min(self._deposits + self.ratio, max(1.0, self.ratio * 100))

    def try_withdraw(self) -> bool:
        """Take one retry from the budget if there is one."""
        self._refill()
        if self._deposits >= 1.0:
            self._deposits -= 1.0
        elif self._reserve >= 1.0:
            self._reserve -= 1.0
        else:
            return False
        self.retries += 1
        return True

    def _refill(self) -> None:
        now = self._clock()
        elapsed, self._refilled_at = now - self._refilled_at, now
        self._reserve = min(
            self.reserve_per_second, self._reserve + elapsed * self.reserve_per_second
        )
