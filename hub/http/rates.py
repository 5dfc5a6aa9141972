"""Charging a caller's rate budget, the same way on every transport: a request over
HTTP, a stream of Server-Sent Events, an operation over a WebSocket."""

from __future__ import annotations

import math

from starlette.requests import HTTPConnection

from hub.http.auth import client_address
from hub.http.reading import RequestError
from hub.identity import Caller
from hub.ratelimit import NEVER, RateLimiter


async def charge(
    limiter: RateLimiter, connection: HTTPConnection, caller: Caller, cost: int
) -> int:
    """Take ``cost`` from the budget of the caller (its token's subject, else its
    address) and return the whole budget; :class:`RequestError` 429 with
    ``Retry-After`` when it is spent, 400 when ``cost`` is more than a whole budget."""
    key = f"sub:{caller.subject}" if caller.subject else f"ip:{client_address(connection)}"
    decision = await limiter.acquire(key, cost)
    if decision.allowed:
        return decision.limit
    if decision.retry_after == NEVER:
        raise too_costly(cost, decision.limit)
    wait = max(1, math.ceil(decision.retry_after))
    raise RequestError(
        429,
        f"too many requests; try again in {wait} s",
        {"Retry-After": str(wait), "RateLimit-Limit": str(decision.limit)},
    )


def too_costly(cost: int, limit: int) -> RequestError:
    """The refusal of a request that costs more than a whole budget."""
    return RequestError(
        400,
        f"the request costs {cost}, more than a whole rate budget of {limit}; "
        "send fewer operations at once",
        code="RATE_LIMITED",
    )


__all__ = ["charge", "too_costly"]
