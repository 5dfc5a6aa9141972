"""A hub ticket as the body of the immigration API's ``POST /complaints``.

The complaints desk takes every kind of ticket under its own words for them; the
hub's ticket id is the request's ``Idempotency-Key``, and its tracking number the
case's ``hub_reference``.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from hub.connector import AgencyRejected, TicketDelivery

CASE_TYPES = {
    "COMPLAINT": "COMPLAINT",
    "ENQUIRY": "ENQUIRY",
    "COMMENDATION": "COMPLIMENT",
    "REPORT": "REPORT",
    "REQUEST": "SERVICE REQUEST",
}
"""The hub's kinds of ticket and the desk's case type for each."""


def complaint_body(ticket: TicketDelivery, agency: str) -> dict[str, Any]:
    """The JSON body lodging ``ticket``; :class:`AgencyRejected` for a kind the desk lacks."""
    case_type = CASE_TYPES.get(ticket.kind)
    if case_type is None:
        raise AgencyRejected(
            f"the complaints desk takes tickets of the kinds {', '.join(CASE_TYPES)}, "
            f"not {ticket.kind!r}",
            agency=agency,
        )
    submitted_at = ticket.submitted_at
    if submitted_at.tzinfo is None:
        submitted_at = submitted_at.replace(tzinfo=UTC)
    return {
        "hub_reference": ticket.tracking_number,
        "case_type": case_type,
        "category": ticket.category,
        "priority": ticket.priority,
        "subject": ticket.title,
        "details": ticket.description,
        "submitted_at": submitted_at.isoformat(timespec="microseconds"),
        "location": {
            "area": ticket.area,
            "address": ticket.address,
            "latitude": ticket.latitude,
            "longitude": ticket.longitude,
        },
        "complainant": {
            "name": ticket.contact_name,
            "phone": ticket.contact_phone,
            "email": ticket.contact_email,
        },
    }
