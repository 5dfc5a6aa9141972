"""The resilience parts alone, on a clock the test moves."""

from __future__ import annotations

import asyncio
import random

import pytest

from hub.resilience import (
    BreakerOpen,
    BreakerState,
    CircuitBreaker,
    LatencyWindow,
    RetryBudget,
    SingleFlight,
    backoff_delays,
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def breaker(clock: Clock) -> CircuitBreaker:
    return CircuitBreaker("revenue", failure_threshold=3, open_seconds=10, clock=clock)


def test_the_breaker_opens_at_the_threshold_of_consecutive_failures() -> None:
    clock = Clock()
    subject = breaker(clock)
    subject.on_failure()
    subject.on_failure()
    subject.on_success()
    subject.on_failure()
    subject.on_failure()
    assert subject.state is BreakerState.CLOSED
    subject.on_failure()
    assert subject.state is BreakerState.OPEN
    clock.now = 4
    with pytest.raises(BreakerOpen) as refused:
        subject.before_call()
    assert refused.value.code == "AGENCY_UNAVAILABLE"
    assert refused.value.retry_after == pytest.approx(6)


def test_half_open_admits_one_probe_whose_outcome_decides() -> None:
    clock = Clock()
    subject = breaker(clock)
    for _ in range(3):
        subject.on_failure()
    clock.now = 10
    assert subject.state is BreakerState.HALF_OPEN
    subject.before_call()
    with pytest.raises(BreakerOpen):
        subject.before_call()
    subject.on_failure()
    assert subject.state is BreakerState.OPEN
    clock.now = 20
    subject.before_call()
    subject.on_success()
    assert subject.state is BreakerState.CLOSED
    subject.before_call()


def test_an_abandoned_probe_frees_its_slot() -> None:
    clock = Clock()
    subject = breaker(clock)
    for _ in range(3):
        subject.on_failure()
    clock.now = 10
    subject.before_call()
    subject.on_abandoned()
    subject.before_call()


def test_backoff_is_jittered_below_a_doubling_cap() -> None:
    delays = list(backoff_delays(6, base=0.1, cap=1.0, rng=random.Random(7)))
    assert len(delays) == 6
    for attempt, delay in enumerate(delays):
        assert 0 <= delay <= min(1.0, 0.1 * 2**attempt)
    assert len(set(delays)) == 6


def test_the_budget_allows_retries_as_a_share_of_calls() -> None:
    clock = Clock()
    budget = RetryBudget(ratio=0.25, reserve_per_second=0, clock=clock)
    for _ in range(8):
        budget.record_call()
    assert [budget.try_withdraw() for _ in range(3)] == [True, True, False]
    assert budget.retries == 2


def test_the_reserve_refills_with_time_but_never_beyond_its_rate() -> None:
    clock = Clock()
    budget = RetryBudget(ratio=0, reserve_per_second=2, clock=clock)
    assert [budget.try_withdraw() for _ in range(3)] == [True, True, False]
    clock.now = 100
    assert [budget.try_withdraw() for _ in range(3)] == [True, True, False]


async def test_single_flight_merges_identical_calls_and_shares_errors() -> None:
    flights = SingleFlight()
    started = 0

    async def slow(result: str) -> str:
        nonlocal started
        started += 1
        await asyncio.sleep(0.05)
        if result == "boom":
            raise RuntimeError(result)
        return result

    answers = await asyncio.gather(*(flights.run("a", lambda: slow("ok")) for _ in range(10)))
    assert answers == ["ok"] * 10
    assert started == 1
    assert flights.merged == 9
    failures = await asyncio.gather(
        *(flights.run("b", lambda: slow("boom")) for _ in range(3)), return_exceptions=True
    )
    assert all(isinstance(failure, RuntimeError) for failure in failures)
    assert flights.in_flight == 0


async def test_a_caller_giving_up_does_not_cancel_the_call_for_the_others() -> None:
    flights = SingleFlight()

    async def slow() -> str:
        await asyncio.sleep(0.05)
        return "done"

    impatient = asyncio.ensure_future(flights.run("k", slow))
    patient = asyncio.ensure_future(flights.run("k", slow))
    await asyncio.sleep(0)
    impatient.cancel()
    assert await patient == "done"


def test_latency_window_median_and_p95() -> None:
    window = LatencyWindow(size=100)
    assert window.median_ms is None
    for value in range(1, 101):
        window.add(float(value))
    assert window.median_ms == pytest.approx(50.5)
    assert window.p95_ms == 96.0
    window.add(1000.0)
    assert window.p95_ms == 97.0
