"""Tickets as the hub delivers them, and the agencies' staff moving them along."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from hub.connector import TicketDelivery
from legacy.police.staff import advance
from legacy.running import RunningStandIn

KINDS = ("ENQUIRY", "COMPLAINT", "COMMENDATION", "REPORT", "REQUEST")

WORKING = {
    "police": "UNDER INVESTIGATION",
    "immigration": "UNDER REVIEW",
    "revenue": "WORK IN PROGRESS",
}
"""A status word of each stand-in's staff that the hub reads as IN_PROGRESS."""


def delivery(**changes: Any) -> TicketDelivery:
    """A ticket with contact details and a fresh ticket id; ``changes`` replace fields."""
    fields: dict[str, Any] = {
        "ticket_id": f"tkt-{uuid.uuid4().hex[:16]}",
        "tracking_number": "CH-2026-000123",
        "kind": "COMPLAINT",
        "category": "service-complaints",
        "priority": "NORMAL",
        "title": "Rude treatment at the counter",
        "description": "The officer at counter 4 shouted at me and refused my forms.",
        "submitted_at": datetime(2026, 3, 10, 6, 30, 15, 250000, tzinfo=UTC),
        "area": "Nairobi",
        "address": "Nyayo House, Kenyatta Avenue",
        "latitude": -1.286389,
        "longitude": 36.817223,
        "contact_name": "Achieng Otieno",
        "contact_phone": "0712 345 678",
        "contact_email": "achieng@example.com",
    }
    fields.update(changes)
    return TicketDelivery(**fields)


async def move_case(
    standin: RunningStandIn, reference: str, status: str | None, note: str | None = None
) -> None:
    """Act as the agency's staff on case ``reference``: set its status word (``None``:
    leave it) and write ``note``, through the stand-in's own way for staff."""
    if standin.name == "police":
        await advance(standin.connector_settings["database_url"], reference, status, note)
        return
    if standin.name == "immigration":
        url = f"{standin.url}/_staff/complaints/{reference}/status"
        body: dict[str, Any] = {"status": status, "remarks": note}
    elif standin.name == "revenue":
        url = f"{standin.url}/_staff/enquiries/status"
        body = {"reference": reference, "status": status, "remarks": note}
    else:
        raise ValueError(f"no staff desk for the stand-in {standin.name!r}")
    async with httpx.AsyncClient(timeout=5) as http:
        response = await http.post(url, json=body)
    response.raise_for_status()
