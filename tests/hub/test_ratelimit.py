"""Per-client rate limits: the memory buckets on a clock the test moves, the Redis
buckets on the real Redis, and one contract both keep."""

from __future__ import annotations

import asyncio
import logging
import math
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import redis.asyncio as aioredis

from hub.ratelimit import (
    NEVER,
    MemoryRateLimiter,
    RateDecision,
    RateLimiter,
    RedisRateLimiter,
    open_rate_limiter,
)
from tests.support.services import require_redis

SLOW = 0.01
"""A refill so slow (one token per 100 s) that no test run sees a token come back."""


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def redis_url() -> str:
    """The test Redis, checked reachable."""
    return require_redis()


@pytest.fixture
def prefix() -> str:
    return f"test:ratelimit:{uuid.uuid4().hex}:"


@pytest.fixture
async def raw_redis(redis_url: str, prefix: str) -> AsyncIterator[aioredis.Redis]:
    """A plain client to look at the buckets; deletes the test's keys afterwards."""
    client = aioredis.Redis.from_url(redis_url)
    yield client
    keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


LimiterFactory = Callable[[int, float], Awaitable[RateLimiter]]


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def make_limiter(request: pytest.FixtureRequest) -> AsyncIterator[LimiterFactory]:
    """Limiters of one backend, closed after the test (the contract runs on each)."""
    made: list[RateLimiter] = []
    prefix = f"test:ratelimit:{uuid.uuid4().hex}:"
    url = require_redis() if request.param == "redis" else ""

    async def make(capacity: int, refill_per_second: float) -> RateLimiter:
        limiter: RateLimiter
        if request.param == "redis":
            limiter = RedisRateLimiter(url, capacity, refill_per_second, prefix=prefix)
        else:
            limiter = MemoryRateLimiter(capacity, refill_per_second)
        made.append(limiter)
        return limiter

    yield make
    if request.param == "redis":
        client = aioredis.Redis.from_url(url)
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()
    for limiter in made:
        await limiter.close()


# The contract, on both backends


async def test_a_bucket_allows_its_capacity_then_refuses(make_limiter: LimiterFactory) -> None:
    limiter = await make_limiter(3, SLOW)
    decisions = [await limiter.acquire("citizen-1") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert [d.retry_after for d in decisions[:3]] == [0, 0, 0]
    assert 0 < decisions[3].retry_after <= 1 / SLOW
    assert {d.limit for d in decisions} == {3}


async def test_keys_have_their_own_buckets(make_limiter: LimiterFactory) -> None:
    limiter = await make_limiter(2, SLOW)
    assert (await limiter.acquire("a", cost=2)).allowed
    assert not (await limiter.acquire("a")).allowed
    other = await limiter.acquire("b")
    assert other.allowed
    assert other.remaining == 1


async def test_a_cost_takes_that_many_tokens(make_limiter: LimiterFactory) -> None:
    limiter = await make_limiter(5, SLOW)
    assert (await limiter.acquire("k", cost=3)).remaining == 2
    refused = await limiter.acquire("k", cost=3)
    assert not refused.allowed
    assert refused.remaining == 2
    assert (await limiter.acquire("k", cost=2)).allowed


async def test_a_cost_above_capacity_is_refused_for_ever_and_takes_nothing(
    make_limiter: LimiterFactory,
) -> None:
    limiter = await make_limiter(3, SLOW)
    refused = await limiter.acquire("k", cost=4)
    assert refused == RateDecision(allowed=False, remaining=3, retry_after=NEVER, limit=3)
    assert math.isinf(refused.retry_after)
    assert (await limiter.acquire("k", cost=3)).allowed


@pytest.mark.parametrize("cost", [0, -1, True, 1.5])
async def test_a_cost_that_is_not_a_whole_positive_number_is_refused(
    make_limiter: LimiterFactory, cost: int
) -> None:
    limiter = await make_limiter(3, SLOW)
    with pytest.raises(ValueError, match="cost: expected a whole number >= 1"):
        await limiter.acquire("k", cost=cost)


# The memory limiter, on the test's clock


async def test_memory_refusal_says_exactly_when_to_come_back(clock: Clock) -> None:
    limiter = MemoryRateLimiter(3, 2.0, clock=clock)
    for _ in range(3):
        assert (await limiter.acquire("k")).allowed
    assert await limiter.acquire("k") == RateDecision(False, 0, 0.5, 3)
    clock.now += 0.25
    assert await limiter.acquire("k") == RateDecision(False, 0, 0.25, 3)
    assert (await limiter.acquire("k", cost=2)).retry_after == 0.75
    clock.now += 0.25
    assert await limiter.acquire("k") == RateDecision(True, 0, 0.0, 3)


async def test_memory_refill_stops_at_capacity(clock: Clock) -> None:
    limiter = MemoryRateLimiter(3, 2.0, clock=clock)
    await limiter.acquire("k", cost=3)
    clock.now += 3600
    assert (await limiter.acquire("k")).remaining == 2


async def test_memory_clock_going_back_makes_no_tokens(clock: Clock) -> None:
    limiter = MemoryRateLimiter(2, 1.0, clock=clock)
    await limiter.acquire("k", cost=2)
    clock.now -= 50
    assert not (await limiter.acquire("k")).allowed
    clock.now += 1
    assert (await limiter.acquire("k")).allowed


async def test_memory_keeps_at_most_max_keys_dropping_the_least_recently_used(
    clock: Clock,
) -> None:
    limiter = MemoryRateLimiter(1, SLOW, max_keys=2, clock=clock)
    await limiter.acquire("a")
    await limiter.acquire("b")
    assert not (await limiter.acquire("a")).allowed  # a is now the most recently used
    await limiter.acquire("c")
    assert len(limiter) == 2
    assert not (await limiter.acquire("a")).allowed  # kept, still empty
    assert (await limiter.acquire("b")).allowed  # dropped: back as a full bucket
    for n in range(100):
        await limiter.acquire(f"flood-{n}")
    assert len(limiter) == 2


async def test_memory_close_forgets_every_bucket(clock: Clock) -> None:
    limiter = MemoryRateLimiter(1, SLOW, clock=clock)
    await limiter.acquire("k")
    await limiter.close()
    assert len(limiter) == 0


@pytest.mark.parametrize(
    ("capacity", "refill", "max_keys", "message"),
    [
        (0, 1.0, 10, "capacity: expected a whole number of requests >= 1, got 0"),
        (2.5, 1.0, 10, "capacity: expected a whole number"),
        (3, 0.0, 10, r"refill: expected requests per second > 0 \(e.g. 0.5"),
        (3, -1.0, 10, "refill: expected requests per second > 0"),
        (3, math.nan, 10, "refill: expected requests per second > 0"),
        (3, math.inf, 10, "refill: expected requests per second > 0"),
        (3, 1.0, 0, "max_keys: expected a number >= 1, got 0"),
    ],
)
def test_memory_limiter_refuses_a_policy_that_makes_no_limit(
    capacity: int, refill: float, max_keys: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        MemoryRateLimiter(capacity, refill, max_keys=max_keys)


# The Redis limiter, on the real Redis


@pytest.mark.redis
async def test_two_hub_processes_share_one_budget(
    redis_url: str, prefix: str, raw_redis: aioredis.Redis
) -> None:
    first = RedisRateLimiter(redis_url, 3, SLOW, prefix=prefix)
    second = RedisRateLimiter(redis_url, 3, SLOW, prefix=prefix)
    try:
        assert (await first.acquire("citizen")).remaining == 2
        assert (await second.acquire("citizen")).remaining == 1
        assert (await first.acquire("citizen")).remaining == 0
        assert not (await second.acquire("citizen")).allowed
        assert not (await first.acquire("citizen")).allowed
        assert await raw_redis.exists(f"{prefix}citizen") == 1
    finally:
        await first.close()
        await second.close()


@pytest.mark.redis
async def test_redis_budget_comes_back_after_the_wait_it_gave(
    redis_url: str, prefix: str, raw_redis: aioredis.Redis
) -> None:
    first = RedisRateLimiter(redis_url, 3, 20.0, prefix=prefix)
    second = RedisRateLimiter(redis_url, 3, 20.0, prefix=prefix)
    try:
        refused, other = None, first
        for n in range(200):  # tokens come back at 20/s: taking them faster runs out
            taker, other = (first, second) if n % 2 == 0 else (second, first)
            decision = await taker.acquire("citizen")
            if not decision.allowed:
                refused = decision
                break
        assert refused is not None
        assert 0 < refused.retry_after <= 1 / 20
        await asyncio.sleep(refused.retry_after)
        assert (await other.acquire("citizen")).allowed
    finally:
        await first.close()
        await second.close()


@pytest.mark.redis
async def test_redis_bucket_expires_once_it_would_be_full(
    redis_url: str, prefix: str, raw_redis: aioredis.Redis
) -> None:
    limiter = RedisRateLimiter(redis_url, 3, 20.0, prefix=prefix)
    try:
        await limiter.acquire("idle", cost=2)
        ttl_ms = await raw_redis.pttl(f"{prefix}idle")
        assert 0 < ttl_ms <= math.ceil(2 / 20 * 1000) + 1
        for _ in range(100):  # bounded: the key is gone after its TTL
            if not await raw_redis.exists(f"{prefix}idle"):
                break
            await asyncio.sleep(ttl_ms / 1000)
        assert await raw_redis.exists(f"{prefix}idle") == 0
        assert (await limiter.acquire("idle")).remaining == 2  # as if full
    finally:
        await limiter.close()


@pytest.mark.redis
async def test_redis_refusals_store_nothing(
    redis_url: str, prefix: str, raw_redis: aioredis.Redis
) -> None:
    limiter = RedisRateLimiter(redis_url, 3, SLOW, prefix=prefix)
    try:
        assert (await limiter.acquire("k", cost=4)).retry_after == NEVER
        assert await raw_redis.exists(f"{prefix}k") == 0
    finally:
        await limiter.close()


@pytest.mark.redis
async def test_redis_limiter_loads_its_script_again_after_a_script_flush(
    redis_url: str, prefix: str, raw_redis: aioredis.Redis
) -> None:
    limiter = RedisRateLimiter(redis_url, 3, SLOW, prefix=prefix)
    try:
        assert (await limiter.acquire("k")).remaining == 2
        await raw_redis.script_flush()
        assert (await limiter.acquire("k")).remaining == 1
        assert limiter.fail_open_count == 0
    finally:
        await limiter.close()


async def test_redis_limiter_fails_open_and_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    closed_port = "redis://user:s3cret@127.0.0.1:1/0"
    limiter = RedisRateLimiter(closed_port, 2, SLOW, prefix="test:ratelimit:unreachable:")
    try:
        with caplog.at_level(logging.WARNING, logger="hub.ratelimit"):
            decisions = [await limiter.acquire("k") for _ in range(5)]
        assert all(d.allowed for d in decisions)
        assert decisions[0] == RateDecision(True, 1, 0.0, 2)
        assert limiter.fail_open_count == 5
        warnings = [r for r in caplog.records if r.name.startswith("hub.ratelimit")]
        assert len(warnings) == 1
        assert "fail open" in warnings[0].getMessage()
        assert "redis://127.0.0.1:1/0" in warnings[0].getMessage()
        assert "s3cret" not in warnings[0].getMessage()
        # A cost no bucket can hold stays refused while Redis is down.
        assert not (await limiter.acquire("k", cost=3)).allowed
    finally:
        await limiter.close()


# Opening a limiter from its URL


async def test_open_memory_limiter() -> None:
    limiter = open_rate_limiter("memory://", 60, 1.0)
    assert isinstance(limiter, MemoryRateLimiter)
    assert (limiter.capacity, limiter.refill_per_second) == (60, 1.0)
    await limiter.close()


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://cache.example:6380/1"])
async def test_open_redis_limiter(url: str) -> None:
    limiter = open_rate_limiter(url, 60, 1.0)
    assert isinstance(limiter, RedisRateLimiter)
    assert limiter.prefix == "hub:ratelimit:"
    await limiter.close()


@pytest.mark.parametrize("url", ["memory://", "redis://127.0.0.1:6379/0"])
def test_capacity_zero_turns_limiting_off(url: str) -> None:
    assert open_rate_limiter(url, 0, 1.0) is None


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:6379", "127.0.0.1:6379", "", "postgres://user:s3cret@db/hub"]
)
@pytest.mark.parametrize("capacity", [0, 60])
def test_unknown_url_scheme_is_refused_naming_the_forms(url: str, capacity: int) -> None:
    with pytest.raises(ValueError, match="rate limit URL: unknown scheme") as refused:
        open_rate_limiter(url, capacity, 1.0)
    message = str(refused.value)
    assert all(form in message for form in ("memory://", "redis://", "rediss://"))
    assert "s3cret" not in message


@pytest.mark.parametrize(("capacity", "refill"), [(-1, 1.0), (60, 0.0), (60, -2.0)])
def test_open_refuses_a_policy_that_makes_no_limit(capacity: int, refill: float) -> None:
    with pytest.raises(ValueError, match=r"rate limit (capacity|refill)"):
        open_rate_limiter("memory://", capacity, refill)
