"""LodgeEnquiry and GetEnquiryUpdates, and the officers' desk that moves enquiries.

LodgeEnquiry carries the citizen's contact details: its requests need the hub's
signed assertion. It is idempotent by ``HubTicketId``: lodging the same ticket again
answers the first enquiry with ``Duplicate`` true. GetEnquiryUpdates answers the
officers' updates made after ``Since``, oldest first.

``POST /_staff/enquiries/status`` (JSON ``{"reference", "status", "remarks",
"officer"}``) is the officers' own desk, outside the gateway (no UsernameToken, no
fault knobs): tests use it to move an enquiry along.
"""

from __future__ import annotations

import json
import re

from lxml import etree
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from legacy.faults import STAFF_PREFIX
from legacy.revenue import xml_records
from legacy.revenue.enquiries import (
    ENQUIRY_STATUSES,
    ENQUIRY_TYPES,
    PRIORITIES,
    REFERENCE,
    EnquiryForm,
    EnquiryRegister,
)
from legacy.revenue.envelope import SERVICE_NS, client_fault, service_name
from legacy.revenue.reading import RequestReader
from legacy.revenue.seed import SeedData

STAFF_PATH = f"{STAFF_PREFIX}enquiries/status"
HUB_TICKET_ID = re.compile(r"[\x21-\x7e]{1,64}")
LIMITS = {
    "HubReference": 40,
    "Category": 60,
    "Subject": 200,
    "Details": 4000,
    "Area": 100,
    "Address": 300,
    "ContactName": 100,
    "ContactPhone": 20,
    "ContactEmail": 120,
}
INVALID = "INVALID_ENQUIRY"
LODGE_ELEMENTS = (
    "HubTicketId",
    "HubReference",
    "EnquiryType",
    "Category",
    "Priority",
    "Subject",
    "Details",
    "SubmittedOn",
    "Area",
    "Address",
    "Latitude",
    "Longitude",
    "ContactName",
    "ContactPhone",
    "ContactEmail",
)


def lodge_enquiry(request: etree._Element, data: SeedData) -> etree._Element:
    """Lodge an enquiry, or answer the one lodged for this hub ticket before."""
    reader = RequestReader(request, LODGE_ELEMENTS)
    ticket_id = reader.optional("HubTicketId") or ""
    if not HUB_TICKET_ID.fullmatch(ticket_id):
        raise client_fault(
            "LodgeEnquiry: HubTicketId is required: 1 to 64 visible ASCII characters", INVALID
        )
    submitted_on = reader.optional_datetime("SubmittedOn")
    if submitted_on is None:
        raise client_fault("LodgeEnquiry: missing required element SubmittedOn", INVALID)
    form = EnquiryForm(
        hub_ticket_id=ticket_id,
        hub_reference=_text(reader, "HubReference"),
        enquiry_type=_choice(reader, "EnquiryType", ENQUIRY_TYPES),
        category=_required(reader, "Category"),
        priority=_choice(reader, "Priority", PRIORITIES),
        subject=_required(reader, "Subject"),
        details=_required(reader, "Details"),
        submitted_on=submitted_on,
        area=_text(reader, "Area"),
        address=_text(reader, "Address"),
        latitude=_coordinate(reader, "Latitude", 90),
        longitude=_coordinate(reader, "Longitude", 180),
        contact_name=_text(reader, "ContactName"),
        contact_phone=_text(reader, "ContactPhone"),
        contact_email=_text(reader, "ContactEmail"),
    )
    enquiry, new = data.enquiries.lodge(form)
    answer = etree.Element(service_name("LodgeEnquiryResponse"), nsmap={"ra": SERVICE_NS})
    xml_records.add(answer, "EnquiryReference", enquiry.reference)
    xml_records.add(answer, "LodgedAt", enquiry.lodged_at.isoformat(timespec="microseconds"))
    xml_records.add(answer, "Status", enquiry.status)
    xml_records.add(answer, "Duplicate", not new)
    return answer


def get_enquiry_updates(request: etree._Element, data: SeedData) -> etree._Element:
    """The officers' updates made after ``Since``, oldest first."""
    since = RequestReader(request, ("Since",)).optional_datetime("Since")
    if since is None:
        raise client_fault("GetEnquiryUpdates: missing required element Since")
    answer = etree.Element(service_name("GetEnquiryUpdatesResponse"), nsmap={"ra": SERVICE_NS})
    updates = xml_records.add(answer, "Updates")
    for update in data.enquiries.updates_after(since):
        element = xml_records.add(updates, "Update")
        xml_records.add(element, "EnquiryReference", update.reference)
        xml_records.add(element, "UpdatedAt", update.updated_at.isoformat(timespec="microseconds"))
        if update.status is not None:
            xml_records.add(element, "Status", update.status)
        if update.remarks:
            xml_records.add(element, "Remarks", update.remarks)
    return answer


def staff_routes(register: EnquiryRegister) -> list[Route]:
    """``POST /_staff/enquiries/status``: an officer moves an enquiry."""

    async def move(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return _staff_error(400, "the body must be a JSON object")
        reference, status, remarks = body.get("reference"), body.get("status"), body.get("remarks")
        if not isinstance(reference, str) or not REFERENCE.fullmatch(reference):
            return _staff_error(400, f"reference must be like ENQ/2026/000123, got {reference!r}")
        if status is not None and status not in ENQUIRY_STATUSES:
            return _staff_error(400, f"status must be one of {list(ENQUIRY_STATUSES)}")
        if remarks is not None and not isinstance(remarks, str):
            return _staff_error(400, "remarks must be text")
        if status is None and not remarks:
            return _staff_error(400, "give a new status, remarks, or both")
        try:
            update = register.move(reference, status, remarks, str(body.get("officer") or "DESK"))
        except KeyError:
            return _staff_error(404, f"no enquiry {reference}")
        return JSONResponse(
            {
                "reference": update.reference,
                "status": update.status,
                "remarks": update.remarks,
                "updated_at": update.updated_at.isoformat(timespec="microseconds"),
            }
        )

    return [Route(STAFF_PATH, move, methods=["POST"])]


def _staff_error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)


def _text(reader: RequestReader, name: str) -> str | None:
    value = reader.optional(name)
    if value is not None and len(value) > LIMITS[name]:
        raise client_fault(
            f"LodgeEnquiry: {name} holds at most {LIMITS[name]} characters, got {len(value)}",
            INVALID,
        )
    return value


def _required(reader: RequestReader, name: str) -> str:
    value = _text(reader, name)
    if value is None:
        raise client_fault(f"LodgeEnquiry: missing required element {name}", INVALID)
    return value


def _choice(reader: RequestReader, name: str, choices: tuple[str, ...]) -> str:
    value = reader.optional(name)
    if value not in choices:
        raise client_fault(
            f"LodgeEnquiry: {name} must be one of {', '.join(choices)}, got {value!r}", INVALID
        )
    return value


def _coordinate(reader: RequestReader, name: str, bound: int) -> float | None:
    text = reader.optional(name)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not -bound <= value <= bound:
        raise client_fault(
            f"LodgeEnquiry: {name} must be a decimal from -{bound} to {bound}, got {text!r}",
            INVALID,
        )
    return value
