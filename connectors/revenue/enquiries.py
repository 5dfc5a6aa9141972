"""A hub ticket as the parameters of the gateway's LodgeEnquiry operation.

The enquiry register takes every kind of ticket under its own words; priorities are
P1 (urgent) to P4 (low). Times are sent as the gateway's local times, without an
offset. Text XML cannot carry (control characters) is refused before any call.
"""

from __future__ import annotations

import re
from datetime import UTC
from zoneinfo import ZoneInfo

from connectors.revenue.soap import Parameters
from hub.connector import AgencyRejected, TicketDelivery

ENQUIRY_TYPES = {
    "ENQUIRY": "GENERAL ENQUIRY",
    "COMPLAINT": "COMPLAINT",
    "COMMENDATION": "COMPLIMENT",
    "REPORT": "INFORMANT REPORT",
    "REQUEST": "SERVICE REQUEST",
}
"""The hub's kinds of ticket and the register's enquiry type for each."""

PRIORITIES = {"URGENT": "P1", "HIGH": "P2", "NORMAL": "P3", "LOW": "P4"}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def lodge_parameters(ticket: TicketDelivery, zone: ZoneInfo, agency: str) -> Parameters:
    """The LodgeEnquiry parameters of ``ticket``, in the order the WSDL declares them;
    :class:`AgencyRejected` for a ticket the register cannot take."""
    enquiry_type = ENQUIRY_TYPES.get(ticket.kind)
    if enquiry_type is None:
        raise AgencyRejected(
            f"the enquiry register takes tickets of the kinds {', '.join(ENQUIRY_TYPES)}, "
            f"not {ticket.kind!r}",
            agency=agency,
        )
    priority = PRIORITIES.get(ticket.priority)
    if priority is None:
        raise AgencyRejected(
            f"the enquiry register knows the priorities {', '.join(PRIORITIES)}, "
            f"not {ticket.priority!r}",
            agency=agency,
        )
    submitted = ticket.submitted_at
    if submitted.tzinfo is None:
        submitted = submitted.replace(tzinfo=UTC)
    local = submitted.astimezone(zone).replace(tzinfo=None).isoformat(timespec="microseconds")
    given: list[tuple[str, str | float | None]] = [
        ("HubTicketId", ticket.ticket_id),
        ("HubReference", ticket.tracking_number),
        ("EnquiryType", enquiry_type),
        ("Category", ticket.category),
        ("Priority", priority),
        ("Subject", ticket.title),
        ("Details", ticket.description),
        ("SubmittedOn", local),
        ("Area", ticket.area),
        ("Address", ticket.address),
        ("Latitude", ticket.latitude),
        ("Longitude", ticket.longitude),
        ("ContactName", ticket.contact_name),
        ("ContactPhone", ticket.contact_phone),
        ("ContactEmail", ticket.contact_email),
    ]
    return [(name, _xml_text(name, value, agency)) for name, value in given if value is not None]


def _xml_text(name: str, value: str | float, agency: str) -> str:
    text = f"{value:.6f}" if isinstance(value, float) else value
    if _NOT_XML.search(text):
        raise AgencyRejected(
            f"the ticket's {name} holds control characters, which SOAP messages cannot carry",
            agency=agency,
        )
    return text
