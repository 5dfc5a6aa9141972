"""A circuit breaker per agency: stop calling a system that keeps failing.

CLOSED lets calls through and counts consecutive failures; at the threshold it
OPENs and every call fails at once, without touching the network. After the open
period one call is let through as a probe (HALF_OPEN): its success closes the
breaker, its failure opens it again for another period.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable

from hub.connector import AgencyUnavailable


class BreakerState(enum.Enum):
    """Where a circuit breaker stands."""

    CLOSED = "CLOSED"
    OPEN = "OPEN"
    HALF_OPEN = "HALF_OPEN"


class BreakerOpen(AgencyUnavailable):
    """A call refused by an open breaker; ``retry_after`` is seconds until the next probe."""

    def __init__(self, agency: str, retry_after: float) -> None:
        super().__init__(
            f"the hub stopped calling this agency after repeated failures; it will try "
            f"again in {retry_after:.0f} s",
            agency=agency,
        )
        self.retry_after = retry_after


class CircuitBreaker:
    """The breaker of one agency. Not thread-safe; one event loop owns it."""

    def __init__(
        self,
        agency: str,
        *,
        failure_threshold: int,
        open_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.agency = agency
        self.failure_threshold = failure_threshold
        self.open_seconds = open_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> BreakerState:
        """The state now (an OPEN breaker becomes HALF_OPEN once its period is over)."""
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._probing or self._clock() - self._opened_at >= self.open_seconds:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    @property
    def consecutive_failures(self) -> int:
        """Failures since the last success."""
        return self._failures

    def before_call(self) -> None:
        """Admit a call, or raise :class:`BreakerOpen` at once.

        In HALF_OPEN only one call, the probe, is admitted at a time.
        """
        state = self.state
        if state is BreakerState.CLOSED:
            return
        if state is BreakerState.HALF_OPEN and not self._probing:
            self._probing = True
            return
        assert self._opened_at is not None
        remaining = self.open_seconds - (self._clock() - self._opened_at)
        raise BreakerOpen(self.agency, max(remaining, 0.0))

    def on_success(self) -> None:
        """Record a call that the system answered: the breaker closes."""
        self._failures = 0
        self._opened_at = None
        self._probing = False

    def on_failure(self) -> None:
        """Record a call that failed because of the system (down, slow, unreadable)."""
        self._failures += 1
        if self._probing or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
        self._probing = False

    def on_abandoned(self) -> None:
        """Record a call that ended without a verdict (cancelled): free the probe slot."""
        self._probing = False
