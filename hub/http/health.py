"""``/healthz`` (the process is alive) and ``/readyz`` (it can serve, and how each agency is)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hub.gateway import Gateway


async def healthz(request: Request) -> Response:
    """Always 200 while the process answers HTTP."""
    return JSONResponse({"status": "ok"})


def readyz(gateway: Gateway, probe_timeout: float) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint answering 200 with each agency's health, probed concurrently.

    The hub serves even when agencies are down (with partial results), so agencies
    being down does not make it unready; each probe is cut at ``probe_timeout``.
    """

    async def endpoint(request: Request) -> Response:
        healths = await gateway.health_of_all(at_most=probe_timeout)
        agencies = {}
        for agency_id, health in healths.items():
            guarded = gateway.guard.status(agency_id)
            agencies[agency_id] = {
                "status": health.status.value,
                "latencyMs": health.latency_ms,
                "detail": health.detail,
                "checkedAt": health.checked_at.isoformat(),
                "breaker": guarded.breaker.value,
                "consecutiveFailures": guarded.consecutive_failures,
                "recentLatencyMs": guarded.median_latency_ms,
                "inFlight": guarded.in_flight,
            }
        return JSONResponse({"status": "ready", "agencies": agencies})

    return endpoint


__all__ = ["healthz", "readyz"]
