"""Every call to an agency goes through :class:`Guard`.

In order, a call meets: single flight (an identical read already in flight is
joined, not repeated), the agency's circuit breaker (open: fail at once), its
concurrency limit, a timeout that really fires (the agency's total ``timeout``,
covering the wait for a slot and every retry), and, for safe reads that failed
fast, jittered retries within the retry budget. Whatever the connector raises
leaves as one of the contract's errors, naming the agency.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from hub.agencies import AgencyRegistry
from hub.agencies.config import AgencyConfig
from hub.connector import (
    AgencyBadResponse,
    AgencyError,
    AgencyTimeout,
    AgencyUnavailable,
    HubError,
)
from hub.resilience import (
    BreakerOpen,
    BreakerState,
    CircuitBreaker,
    LatencyWindow,
    RetryBudget,
    SingleFlight,
    backoff_delays,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


CallObserver = Callable[[str, str, float, str], None]
"""Told of every attempt: agency, connector method, seconds, and ``ok`` or the error code."""


class ConnectorFailed(AgencyError):
    """A connector raised something outside the contract: a bug in the connector."""

    code = "AGENCY_ERROR"


SYSTEM_FAILURES = (AgencyUnavailable, AgencyTimeout, AgencyBadResponse, ConnectorFailed)
"""Failures that say the agency's system is unwell, and count against its breaker.
A rejection or an unknown record is an answer: the system works."""


@dataclass(frozen=True, slots=True)
class GuardStatus:
    """What the guards know of one agency now."""

    breaker: BreakerState
    consecutive_failures: int
    median_latency_ms: float | None
    p95_latency_ms: float | None
    in_flight: int
    calls: int
    retries: int
    merged: int


class _AgencyGuards:
    """The guards of one agency."""

    def __init__(self, agency_id: str, config: AgencyConfig) -> None:
        self.config = config
        self.breaker = CircuitBreaker(
            agency_id,
            failure_threshold=config.breaker.failure_threshold,
            open_seconds=config.breaker.open_seconds,
        )
        self.budget = RetryBudget(config.retry.budget_ratio, config.retry.reserve_per_second)
        self.slots = asyncio.Semaphore(config.max_connections)
        self.flights = SingleFlight()
        self.latency = LatencyWindow()
        self.in_flight = 0


class Guard:
    """Runs connector methods under each agency's guards."""

    def __init__(self, registry: AgencyRegistry, observer: CallObserver | None = None) -> None:
        self._registry = registry
        self._guards: dict[str, _AgencyGuards] = {}
        self.observer = observer

    async def call(
        self,
        agency_id: str,
        method: Callable[..., Awaitable[T]],
        *args: Any,
        at_most: float | None = None,
        safe: bool = True,
    ) -> T:
        """Await ``method(*args)`` (a bound method of ``agency_id``'s connector), guarded.

        ``safe`` says the call only reads: it may be merged with an identical one in
        flight and retried. ``at_most`` (seconds) shortens the agency's timeout. Raises
        only :class:`HubError` subclasses, always naming the agency.
        """
        guards = self._of(agency_id)
        timeout = min(guards.config.timeout, at_most or float("inf"))
        key = _flight_key(method, args, timeout) if safe else None
        if key is None:
            return await self._guarded(agency_id, guards, method, args, timeout, safe)
        result: T = await guards.flights.run(
            key, lambda: self._guarded(agency_id, guards, method, args, timeout, safe)
        )
        return result

    def status(self, agency_id: str) -> GuardStatus:
        """The breaker, recent latency and counters of ``agency_id``."""
        guards = self._of(agency_id)
        return GuardStatus(
            breaker=guards.breaker.state,
            consecutive_failures=guards.breaker.consecutive_failures,
            median_latency_ms=guards.latency.median_ms,
            p95_latency_ms=guards.latency.p95_ms,
            in_flight=guards.in_flight,
            calls=guards.budget.calls,
            retries=guards.budget.retries,
            merged=guards.flights.merged,
        )

    def _of(self, agency_id: str) -> _AgencyGuards:
        guards = self._guards.get(agency_id)
        if guards is None:
            config = self._registry.get(agency_id).config
            guards = self._guards[agency_id] = _AgencyGuards(agency_id, config)
        return guards

    async def _guarded(
        self,
        agency_id: str,
        guards: _AgencyGuards,
        method: Callable[..., Awaitable[T]],
        args: tuple[Any, ...],
        seconds: float,
        safe: bool,
    ) -> T:
        guards.breaker.before_call()
        guards.budget.record_call()
        retry = guards.config.retry
        delays = backoff_delays(retry.retries if safe else 0, retry.base_delay, retry.max_delay)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            try:
                result = await self._attempt(agency_id, guards, method, args, deadline, seconds)
            except HubError as error:
                delay = next(delays, None)
                if (
                    not isinstance(error, AgencyUnavailable)
                    or isinstance(error, BreakerOpen)
                    or delay is None
                    or guards.breaker.state is not BreakerState.CLOSED
                    or loop.time() + delay >= deadline
                    or not guards.budget.try_withdraw()
                ):
                    raise
                log.info("agency %s: retrying in %.3f s after: %s", agency_id, delay, error)
                await asyncio.sleep(delay)
                guards.breaker.before_call()
            else:
                return result

    async def _attempt(
        self,
        agency_id: str,
        guards: _AgencyGuards,
        method: Callable[..., Awaitable[T]],
        args: tuple[Any, ...],
        deadline: float,
        seconds: float,
    ) -> T:
        guards.in_flight += 1
        started = time.perf_counter()
        try:
            async with asyncio.timeout_at(deadline), guards.slots:
                started = time.perf_counter()
                result = await method(*args)
        except asyncio.CancelledError:
            guards.breaker.on_abandoned()
            raise
        except BaseException as exc:
            error = _translated(exc, agency_id, seconds)
            self._observe(agency_id, method, started, error.code)
            if isinstance(error, SYSTEM_FAILURES):
                guards.breaker.on_failure()
            else:
                guards.breaker.on_success()
            raise error from (None if error is exc else exc)
        finally:
            guards.in_flight -= 1
        guards.latency.add((time.perf_counter() - started) * 1000)
        guards.breaker.on_success()
        self._observe(agency_id, method, started, "ok")
        return result

    def _observe(
        self, agency_id: str, method: Callable[..., Any], started: float, outcome: str
    ) -> None:
        if self.observer is not None:
            name = getattr(method, "__name__", "call")
            self.observer(agency_id, name, time.perf_counter() - started, outcome)


def _translated(exc: BaseException, agency_id: str, seconds: float) -> HubError:
    if isinstance(exc, HubError):
        if exc.agency is None:
            exc.agency = agency_id
        return exc
    if isinstance(exc, TimeoutError):
        return AgencyTimeout(f"the agency did not answer within {seconds:g} s", agency=agency_id)
    if not isinstance(exc, Exception):
        raise exc
    error_id = uuid.uuid4().hex[:12]
    log.error(
        "agency %s: connector raised outside the contract (error id %s)",
        agency_id,
        error_id,
        exc_info=exc,
    )
    return ConnectorFailed(
        f"the agency's connector failed unexpectedly (error id {error_id})", agency=agency_id
    )


def _flight_key(method: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Hashable:
    """What makes two calls identical, or ``None`` when the arguments are unhashable."""
    try:
        key = (getattr(method, "__self__", None), method.__name__, _frozen(args), timeout)
        hash(key)
    except TypeError:
        return None
    return key


def _frozen(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


__all__ = ["SYSTEM_FAILURES", "CallObserver", "ConnectorFailed", "Guard", "GuardStatus"]
