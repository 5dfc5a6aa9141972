"""What a rate limiter answers, the interface every backend implements, and its checks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

NEVER = math.inf
"""The ``retry_after`` of a cost larger than the bucket's capacity: no wait will do."""

EPSILON = 1e-9
"""Tokens short by less than this count as there: float refill must not deny a client
that waited exactly the ``retry_after`` it was told."""


@dataclass(frozen=True, slots=True)
class RateDecision:
    """The answer to one ``acquire``.

    ``remaining`` is the whole tokens left after this request (before it, when refused);
    ``retry_after`` is the seconds until ``cost`` tokens will be there: 0 when allowed,
    :data:`NEVER` (``math.inf``) when ``cost`` exceeds ``limit`` and so can never be
    allowed — answer that with 413/400 rather than a ``Retry-After`` header. ``limit``
    is the bucket's capacity.
    """

    allowed: bool
    remaining: int
    retry_after: float
    limit: int


class RateLimiter(Protocol):
    """A token bucket per client key: ``capacity`` tokens, refilled at a steady rate."""

    async def acquire(self, key: str, cost: int = 1) -> RateDecision:
        """Take ``cost`` tokens from ``key``'s bucket if it has them, and say so.

        A refused request takes nothing. Raise ``ValueError`` if ``cost`` < 1.
        """
        ...

    async def close(self) -> None:
        """Release the backend's resources (connections); the limiter is unusable after."""
        ...


def check_policy(capacity: int, refill_per_second: float) -> None:
    """Raise ``ValueError`` unless the bucket's size and refill rate make a limit."""
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise ValueError(
            f"rate limit capacity: expected a whole number of requests >= 1, got {capacity!r}; "
            "use 0 with open_rate_limiter() to turn limiting off"
        )
    if not math.isfinite(refill_per_second) or refill_per_second <= 0:
        raise ValueError(
            "rate limit refill: expected requests per second > 0 (e.g. 0.5 for 30 a minute), "
            f"got {refill_per_second!r}"
        )


def check_cost(cost: int) -> None:
    """Raise ``ValueError`` unless ``cost`` is a whole number of tokens >= 1."""
    if isinstance(cost, bool) or not isinstance(cost, int) or cost < 1:
        raise ValueError(f"rate limit cost: expected a whole number >= 1, got {cost!r}")


def whole(tokens: float) -> int:
    """The whole tokens in ``tokens``, forgiving float error just below an integer."""
    return max(0, math.floor(tokens + EPSILON))
