"""The demo agencies' ticket settings, read from ``config/agencies.yaml``, as the tests
of tickets speak them: the ``ticket_routing:`` block and each agency's ``tickets:``
block, the hub's own triage office included."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hub.tickets import AgencyTicketsConfig, RoutingRules, TicketRoutingConfig

DEMO_DATA_FILE = Path(__file__).resolve().parents[3] / "config" / "agencies.yaml"
"""The demo agencies file: its ticket settings are the ones these tests speak."""


@dataclass(frozen=True, slots=True)
class Agency:
    """The part of an agency's configuration that tickets read."""

    id: str
    name: str
    tickets: AgencyTicketsConfig


def demo_data() -> dict[str, Any]:
    """The demo ticket settings as plain data, for tests to spoil."""
    raw: dict[str, Any] = yaml.safe_load(DEMO_DATA_FILE.read_text(encoding="utf-8"))
    return {
        "ticket_routing": raw["ticket_routing"],
        "agencies": [
            {"id": a["id"], "name": a["name"], "tickets": a.get("tickets", {})}
            for a in raw["agencies"]
        ],
    }


def agencies_of(data: dict[str, Any]) -> list[Agency]:
    """The agencies of ``data``, validated."""
    return [
        Agency(a["id"], a["name"], AgencyTicketsConfig.model_validate(a.get("tickets", {})))
        for a in data["agencies"]
    ]


def routing_of(data: dict[str, Any]) -> TicketRoutingConfig:
    """The ``ticket_routing:`` block of ``data``, validated."""
    return TicketRoutingConfig.model_validate(data["ticket_routing"])


def demo_rules() -> RoutingRules:
    """The routing rules of the demo agencies."""
    data = demo_data()
    return RoutingRules(agencies_of(data), routing_of(data))
