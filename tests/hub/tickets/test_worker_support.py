"""What the ticket workers' tests share: a ticket store and the agencies' connectors over
the running stand-ins, tickets routed to each stand-in, and ways to wait on the store.
No tests of its own."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Collection, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.agencies import AgencyRegistry, load_configuration
from hub.db import create_engine, upgrade
from hub.gateway import Guard
from hub.identity import ANONYMOUS
from hub.tickets import (
    NewTicket,
    RoutingRules,
    TicketEventKind,
    TicketKind,
    TicketStore,
    TicketView,
)
from hub.tickets.models import OutboxEntry
from legacy.police import advance
from legacy.running import RunningStandIn, agencies_file
from tests.support.callers import admin
from tests.support.keys import HubKeys

T = TypeVar("T")

FAST_BREAKER = {"breaker": {"failure_threshold": 1, "open_seconds": 0.2}}
"""An agency override: the breaker opens at the first failure and probes soon after."""

PASSPORT = NewTicket(
    kind=TicketKind.ENQUIRY,
    title="Lost passport",
    description="I lost my passport on a trip; how do I get a travel document to return?",
    contact_name="Amina",
    contact_email="amina@example.org",
)
"""Routed to immigration/passports."""

VAT = NewTicket(
    kind=TicketKind.ENQUIRY,
    title="VAT on exports",
    description="Do I charge VAT on services I sell to a client abroad?",
    area="Mombasa",
)
"""Routed to revenue/tax-enquiries."""


@dataclass
class HubParts:
    """What the workers run on: the store, the agencies and the guard over them."""

    store: TicketStore
    registry: AgencyRegistry
    guard: Guard


@asynccontextmanager
async def hub_parts(
    directory: Path,
    standins: Mapping[str, RunningStandIn],
    url: str,
    keys: HubKeys,
    *,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    agencies: Collection[str] | None = None,
) -> AsyncIterator[HubParts]:
    """A store over the fresh database ``url`` with the demo routing rules, and the demo
    agencies pointed at ``standins`` (only ``agencies`` when given), their connectors
    open and signing with ``keys``."""
    path = agencies_file(directory / "agencies.yaml", standins, overrides)
    configuration = load_configuration(path, env_file=directory / "no.env")
    assert configuration.ticket_routing is not None
    rules = RoutingRules(
        [d.config for d in configuration.definitions], configuration.ticket_routing
    )
    kept = [d for d in configuration.definitions if agencies is None or d.id in agencies]
    registry = AgencyRegistry(kept, keys.signer)
    await upgrade(url)
    engine = create_engine(url)
    await registry.open()
    try:
        yield HubParts(TicketStore(engine, rules), registry, Guard(registry))
    finally:
        await registry.close()
        await engine.dispose()


async def submit(store: TicketStore, ticket: NewTicket) -> TicketView:
    """Submit ``ticket`` anonymously, as a new ticket."""
    return await store.submit(ticket, ANONYMOUS, idempotency_key=str(uuid.uuid4()))


async def deliveries(store: TicketStore) -> list[OutboxEntry]:
    """Every outbox row, oldest first, read through the ORM (times aware, in UTC)."""
    async with AsyncSession(store.engine, expire_on_commit=False) as session:
        return list(await session.scalars(select(OutboxEntry).order_by(OutboxEntry.id)))


async def kinds(store: TicketStore, ticket: TicketView) -> list[TicketEventKind]:
    """The kinds of ``ticket``'s timeline entries, oldest first."""
    return [event.kind for event in await store.timeline(ticket.tracking_number, admin())]


IN_PROGRESS_WORDS = {
    "immigration": "UNDER REVIEW",
    "revenue": "WORK IN PROGRESS",
    "police": "UNDER INVESTIGATION",
}
"""A status word of each agency's own staff that means IN_PROGRESS to the hub."""


async def staff_move(standin: RunningStandIn, reference: str, status: str, remarks: str) -> None:
    """Move the case ``reference`` to ``status`` with ``remarks`` as the agency's own staff
    do, at the stand-in's desk."""
    if standin.name == "police":
        await advance(standin.options.database_url, reference, status, remarks)
        return
    if standin.name == "immigration":
        path, body = f"/_staff/complaints/{reference}/status", {}
    else:
        path, body = "/_staff/enquiries/status", {"reference": reference}
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(
            f"{standin.url}{path}", json={**body, "status": status, "remarks": remarks}
        )
    response.raise_for_status()
