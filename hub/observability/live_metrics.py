"""Metrics of the live side of the graph: open subscriptions and connections, and the
subscribers dropped for reading too slowly."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from hub.events import EventBus
from hub.http.websocket import GraphQLWebSocket


class LiveCollector(Collector):
    """Reads the bus's and the WebSocket endpoint's counts at each scrape."""

    def __init__(self, bus: EventBus, websocket: GraphQLWebSocket) -> None:
        self.bus = bus
        self.websocket = websocket

    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "hub_subscriptions_open",
            "Subscriptions listening to the event bus in this process.",
            value=self.bus.fanout.subscriptions,
        )
        yield GaugeMetricFamily(
            "hub_websocket_connections_open",
            "graphql-transport-ws connections open in this process.",
            value=self.websocket.open_connections,
        )
        yield CounterMetricFamily(
            "hub_subscribers_dropped",
            "Subscriptions ended because their client read events too slowly.",
            value=self.bus.fanout.dropped,
        )


__all__ = ["LiveCollector"]
