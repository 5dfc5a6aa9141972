"""What the hub tells its operators: Prometheus metrics."""

from __future__ import annotations

from hub.observability.metrics import HubMetrics, metrics_endpoint

__all__ = ["HubMetrics", "metrics_endpoint"]
