"""Guards for calls to agencies: circuit breaker, retries with a budget, single flight."""

from __future__ import annotations

from hub.resilience.breaker import BreakerOpen, BreakerState, CircuitBreaker
from hub.resilience.latency import LatencyWindow
from hub.resilience.retry import RetryBudget, backoff_delays
from hub.resilience.singleflight import SingleFlight

__all__ = [
    "BreakerOpen",
    "BreakerState",
    "CircuitBreaker",
    "LatencyWindow",
    "RetryBudget",
    "SingleFlight",
    "backoff_delays",
]
