"""Token buckets in Redis, one budget shared by every hub process that uses the same Redis.

Each bucket is a hash ``{tokens, ts}`` updated by one Lua script, so a check-and-take is
atomic however many processes ask at once. The script reads the time from the Redis
server (``TIME``), not from the hub processes, whose clocks may disagree. A bucket's key
expires when it would be full again: an idle client costs no memory. Needs Redis >= 5
(scripts that call ``TIME`` before writing). Every limiter on one ``prefix`` must use the
same capacity and refill; give other policies their own prefix.

If Redis cannot be reached or fails, requests are **allowed** (fail open): the hub's
public services stay available without their limits, rather than going down with the
limiter's store. A warning is logged at most once per :data:`WARN_EVERY` seconds while
that lasts, and one line when Redis answers again.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit, urlunsplit

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from hub.ratelimit.decision import EPSILON, NEVER, RateDecision, check_cost, check_policy

log = logging.getLogger(__name__)

WARN_EVERY = 30.0
"""Seconds between two warnings that Redis is failing and limits are off."""

# KEYS[1]: the bucket; ARGV: capacity, refill per second, cost, epsilon.
# Returns {allowed 0/1, whole tokens left, microseconds to wait or -1 for never}.
# Lua numbers are doubles: microseconds since 1970 (~1.7e15) are exact below 2^53.
_SCRIPT = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local epsilon = tonumber(ARGV[4])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local counted_at = tonumber(state[2])
if tokens == nil or counted_at == nil then
  tokens = capacity
  counted_at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - counted_at) * rate / 1000000)
local left = math.max(0, math.floor(tokens + epsilon))
if cost > capacity then
  return {0, left, -1}
end
if tokens + epsilon < cost then
  return {0, left, math.ceil((cost - tokens) * 1000000 / rate)}
end
tokens = math.max(0, tokens - cost)
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts',
  string.format('%d', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 1000 / rate) + 1)
return {1, math.max(0, math.floor(tokens + epsilon)), 0}
"""


class RedisRateLimiter:
    """Token buckets in the Redis at ``url``, shared by every hub process using it.

    ``timeout`` bounds each Redis call (connect and reply) in seconds: past it the
    request is allowed, so a slow Redis adds at most that to a request.
    """

    def __init__(
        self,
        url: str,
        capacity: int,
        refill_per_second: float,
        *,
        prefix: str = "hub:ratelimit:",
        timeout: float = 0.5,
    ) -> None:
        check_policy(capacity, refill_per_second)
        self.capacity = capacity
        self.refill_per_second = refill_per_second
        self.prefix = prefix
        self._where = _without_credentials(url)
        self._client = aioredis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self._script = self._client.register_script(_SCRIPT)
        self._warned_at: float | None = None
        self._failing = False
        self.fail_open_count = 0
        """Decisions made without Redis (allowed unchecked) since start."""

    async def acquire(self, key: str, cost: int = 1) -> RateDecision:
        """Take ``cost`` tokens from ``key``'s bucket if it has them; see ``RateLimiter``.

        Allowed without a check if Redis fails (see the module's docstring).
        """
        check_cost(cost)
        args = (self.capacity, repr(float(self.refill_per_second)), cost, repr(EPSILON))
        try:
            reply = await self._script(keys=[self.prefix + key], args=args)
            allowed, remaining, wait_us = (int(value) for value in reply)
        except (RedisError, OSError) as error:
            return self._fail_open(cost, error)
        if self._failing:
            self._failing = False
            log.warning("rate limiter: Redis at %s answers again; limits apply", self._where)
        retry_after = 0.0 if allowed else NEVER if wait_us < 0 else wait_us / 1_000_000
        return RateDecision(bool(allowed), remaining, retry_after, self.capacity)

    async def close(self) -> None:
        """Close the connections to Redis."""
        await self._client.aclose()

    def _fail_open(self, cost: int, error: Exception) -> RateDecision:
        if cost > self.capacity:
            return RateDecision(False, self.capacity, NEVER, self.capacity)
        self._failing = True
        self.fail_open_count += 1
        now = time.monotonic()
        if self._warned_at is None or now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            log.warning(
                "rate limiter: Redis at %s failed (%s: %s); allowing requests unchecked "
                "until it answers (fail open); check that Redis runs there",
                self._where,
                type(error).__name__,
                error,
            )
        return RateDecision(True, self.capacity - cost, 0.0, self.capacity)


def _without_credentials(url: str) -> str:
    """``url`` fit for a log line: its user and password left out."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
