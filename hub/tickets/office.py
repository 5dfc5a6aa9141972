"""The hub operator's own office as an agency: where tickets no rule routes are triaged.

It has no legacy system: its staff work tickets in the hub itself, so a delivery is
filed at once under the ticket's tracking number and no update ever comes back from
outside. It is registered like any connector (``hub_office``), so the hub treats the
triage office exactly as it treats every other agency.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from hub.connector import (
    AgencyReceipt,
    Capability,
    Connector,
    Health,
    HealthStatus,
    TicketDelivery,
    TicketUpdate,
)


class HubOfficeConnector(Connector):
    """The triage office: always up, files every ticket in the hub."""

    capabilities: ClassVar[frozenset[Capability]] = frozenset({"health", "tickets"})

    async def submit_ticket(self, ticket: TicketDelivery) -> AgencyReceipt:
        return AgencyReceipt(reference=ticket.tracking_number, filed_at=datetime.now(UTC))

    async def ticket_updates(self, since: datetime) -> list[TicketUpdate]:
        return []

    async def health(self) -> Health:
        return Health(
            status=HealthStatus.UP,
            checked_at=datetime.now(UTC),
            latency_ms=0.0,
            detail="the hub's own office; it works in the hub",
        )


__all__ = ["HubOfficeConnector"]
