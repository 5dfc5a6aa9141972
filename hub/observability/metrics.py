"""Prometheus metrics at ``/metrics``.

Counted as they happen: GraphQL requests by operation and outcome with their
latency, what the response cache did with them, and every call to an agency by
method and outcome with its latency.
Read at scrape time from the guards and the cache: breaker states, calls in
flight, retries, merged calls, and cache hits, misses and stale answers.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response

from hub.resilience import BreakerState

if TYPE_CHECKING:
    from hub.gateway import Gateway

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
BREAKER_VALUES = {BreakerState.CLOSED: 0, BreakerState.HALF_OPEN: 1, BreakerState.OPEN: 2}
_OPERATION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class HubMetrics:
    """The hub's metrics, in a registry of their own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "hub_graphql_requests",
            "GraphQL requests by operation name and outcome (ok, partial, error).",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "hub_graphql_request_seconds",
            "Time to answer a GraphQL request, by operation name.",
            ["operation"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.agency_call_seconds = Histogram(
            "hub_agency_call_seconds",
            "Time of one attempt to call an agency, by agency, connector method and outcome "
            "(ok or the error code).",
            ["agency", "method", "outcome"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

        self.response_cache = Counter(
            "hub_response_cache_requests",
            "GraphQL requests by what the response cache did: hit (served from it), miss "
            "(looked up, answered afresh) or bypass (a token, a batch: not looked up).",
            ["result"],
            registry=self.registry,
        )
        self.responses_kept = Counter(
            "hub_response_cache_kept",
            "Fresh answers kept in the response cache after a miss.",
            registry=self.registry,
        )

    def observe_request(self, operation: str | None, outcome: str, seconds: float) -> None:
        """Count one GraphQL request; unnamed or odd names count as ``anonymous``."""
        name = operation if operation and _OPERATION_NAME.match(operation) else "anonymous"
        self.requests.labels(name, outcome).inc()
        self.request_seconds.labels(name).observe(seconds)

    def observe_response_cache(self, result: str, *, kept: bool = False) -> None:
        """Count one request by what the response cache did (``hit``, ``miss``,
        ``bypass``), and whether its answer was kept."""
        self.response_cache.labels(result).inc()
        if kept:
            self.responses_kept.inc()

    def observe_call(self, agency: str, method: str, seconds: float, outcome: str) -> None:
        """Count one attempt to call an agency (the guard's observer)."""
        self.agency_call_seconds.labels(agency, method, outcome).observe(seconds)

    def watch(self, gateway: Gateway) -> None:
        """Read the guards' and the cache's state at every scrape."""
        self.registry.register(_GatewayCollector(gateway))


class _GatewayCollector(Collector):
    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    def collect(self) -> Iterator[Metric]:
        breaker = GaugeMetricFamily(
            "hub_agency_breaker_state",
            "Circuit breaker per agency: 0 closed, 1 half-open, 2 open.",
            labels=["agency"],
        )
        in_flight = GaugeMetricFamily(
            "hub_agency_calls_in_flight", "Calls to the agency running now.", labels=["agency"]
        )
        retries = CounterMetricFamily(
            "hub_agency_retries", "Retries of reads after a fast failure.", labels=["agency"]
        )
        merged = CounterMetricFamily(
            "hub_agency_merged_calls",
            "Calls that joined an identical call in flight instead of reaching the agency.",
            labels=["agency"],
        )
        cache = CounterMetricFamily(
            "hub_cache_lookups",
            "Cache lookups of agencies' answers by result (hit, miss, stale).",
            labels=["agency", "result"],
        )
        stats = self.gateway.cache.stats if self.gateway.cache is not None else None
        for agency in self.gateway.registry.ids:
            status = self.gateway.guard.status(agency)
            breaker.add_metric([agency], BREAKER_VALUES[status.breaker])
            in_flight.add_metric([agency], status.in_flight)
            retries.add_metric([agency], status.retries)
            merged.add_metric([agency], status.merged)
            if stats is not None:
                cache.add_metric([agency, "hit"], stats.hits.get(agency, 0))
                cache.add_metric([agency, "miss"], stats.misses.get(agency, 0))
                cache.add_metric([agency, "stale"], stats.stale.get(agency, 0))
        yield from (breaker, in_flight, retries, merged, cache)


def metrics_endpoint(metrics: HubMetrics) -> Callable[[Request], Awaitable[Response]]:
    """The ``/metrics`` endpoint in Prometheus' text format."""

    async def endpoint(request: Request) -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return endpoint
