"""``/api/v1/complaints``: lodging cases and reading their updates; and the officers' desk.

``POST /complaints`` lodges a case. It carries the complainant's details, so it needs
the hub's signed assertion, and an ``Idempotency-Key`` header: a second POST with the
same key answers the same case with 200 instead of 201 and lodges nothing. ``GET
/complaints/updates?updated_after=...`` is the feed of officers' updates made since,
oldest first. ``POST /_staff/complaints/{case_no}/status`` is the officers' own desk,
outside the API (no API key, no fault knobs): tests use it to move a case.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from legacy.assertions import AssertionVerifier
from legacy.faults import STAFF_PREFIX
from legacy.immigration.api import require_assertion
from legacy.immigration.complaints import (
    CASE_NUMBER,
    CASE_STATUSES,
    CASE_TYPES,
    PRIORITIES,
    CaseForm,
    CaseRegister,
)
from legacy.immigration.dates import parse_instant
from legacy.immigration.errors import ApiError, bad_request
from legacy.immigration.paging import Page

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,64}")
"""1 to 64 visible ASCII characters, e.g. the hub's ticket id."""
STAFF_PATH = f"{STAFF_PREFIX}complaints/{{case_no}}/status"

LIMITS = {"subject": 200, "details": 5000, "category": 60, "hub_reference": 40}
LOCATION_LIMITS = {"area": 100, "address": 300}
COMPLAINANT_LIMITS = {"name": 100, "phone": 20, "email": 120}
PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,18}[0-9]")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
FIELDS = frozenset(
    {
        "hub_reference",
        "case_type",
        "category",
        "priority",
        "subject",
        "details",
        "submitted_at",
        "location",
        "complainant",
    }
)


class ComplaintsApi:
    """The complaints routes of ``/api/v1``, over ``register``."""

    def __init__(self, register: CaseRegister, assertions: AssertionVerifier) -> None:
        self.register = register
        self.assertions = assertions

    def routes(self) -> list[Route]:
        """The routes, relative to the ``/api/v1`` base path."""
        return [
            Route("/complaints", self.lodge, methods=["POST"]),
            Route("/complaints/updates", self.updates, methods=["GET"]),
        ]

    async def lodge(self, request: Request) -> Response:
        """Lodge a case (201), or answer the one lodged with this key before (200)."""
        await require_assertion(self.assertions, request)
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if not IDEMPOTENCY_KEY.fullmatch(key):
            raise bad_request(
                "INVALID_IDEMPOTENCY_KEY",
                f"Send the {IDEMPOTENCY_HEADER} header with 1 to 64 visible ASCII characters "
                "(your own id of the case); a repeated key answers the case lodged first.",
            )
        form = case_form(await _json_object(request))
        case, new = self.register.lodge(key, form)
        return JSONResponse(case.to_json(), status_code=201 if new else 200)

    async def updates(self, request: Request) -> Response:
        """The officers' updates made after ``updated_after``, oldest first."""
        params = request.query_params
        page = Page.from_query(params)
        after = None
        raw = params.get("updated_after")
        if raw is not None:
            try:
                after = parse_instant(raw)
            except ValueError:
                raise bad_request(
                    "INVALID_DATE",
                    "updated_after must be an ISO 8601 date and time such as "
                    f"2026-03-10T14:30:00.000000+03:00, got {raw!r}",
                ) from None
        updates = self.register.updates_after(after)
        return JSONResponse(page.envelope([update.to_json() for update in updates]))


def staff_routes(register: CaseRegister) -> list[Route]:
    """``POST /_staff/complaints/{case_no}/status`` with ``{"status", "remarks", "officer"}``."""

    async def move(request: Request) -> Response:
        case_no = request.path_params["case_no"]
        body = await _json_object(request)
        status = body.get("status")
        remarks = body.get("remarks")
        if status is not None and status not in CASE_STATUSES:
            raise bad_request("INVALID_STATUS", f"status must be one of {list(CASE_STATUSES)}")
        if remarks is not None and not isinstance(remarks, str):
            raise bad_request("INVALID_FIELD", "remarks must be text")
        if status is None and not remarks:
            raise bad_request("MISSING_FIELD", "Give a new status, remarks, or both.")
        if not CASE_NUMBER.fullmatch(case_no):
            raise bad_request("INVALID_CASE_NUMBER", f"{case_no!r} is not a case number")
        try:
            case = register.move(case_no, status, remarks, str(body.get("officer") or "DESK"))
        except KeyError:
            raise ApiError(404, "CASE_NOT_FOUND", f"No case with number {case_no}.") from None
        return JSONResponse(case.status_json())

    return [Route(STAFF_PATH, move, methods=["POST"])]


def case_form(body: Mapping[str, Any]) -> CaseForm:
    """The case a request body lodges; a 400 :class:`ApiError` saying what is wrong."""
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise bad_request(
            "UNKNOWN_FIELD", f"Unknown fields {unknown}; the fields are {sorted(FIELDS)}."
        )
    location = _object(body, "location")
    complainant = _object(body, "complainant")
    phone = _text(complainant, "phone", COMPLAINANT_LIMITS["phone"], where="complainant.")
    if phone is not None and not PHONE.fullmatch(phone):
        raise bad_request("INVALID_FIELD", f"complainant.phone is not a phone number: {phone!r}")
    email = _text(complainant, "email", COMPLAINANT_LIMITS["email"], where="complainant.")
    if email is not None and not EMAIL.fullmatch(email):
        raise bad_request("INVALID_FIELD", f"complainant.email is not an e-mail address: {email!r}")
    return CaseForm(
        hub_reference=_text(body, "hub_reference", LIMITS["hub_reference"]),
        case_type=_choice(body, "case_type", CASE_TYPES),
        category=_required(body, "category", LIMITS["category"]),
        priority=_choice(body, "priority", PRIORITIES),
        subject=_required(body, "subject", LIMITS["subject"]),
        details=_required(body, "details", LIMITS["details"]),
        submitted_at=_instant(body, "submitted_at"),
        area=_text(location, "area", LOCATION_LIMITS["area"], where="location."),
        address=_text(location, "address", LOCATION_LIMITS["address"], where="location."),
        latitude=_coordinate(location, "latitude", 90),
        longitude=_coordinate(location, "longitude", 180),
        complainant_name=_text(
            complainant, "name", COMPLAINANT_LIMITS["name"], where="complainant."
        ),
        complainant_phone=phone,
        complainant_email=email,
    )


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise bad_request("INVALID_BODY", "The request body must be a JSON object.")
    return body


def _object(body: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad_request("INVALID_FIELD", f"{name} must be a JSON object or null")
    return value


def _text(body: Mapping[str, Any], name: str, limit: int, *, where: str = "") -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request("INVALID_FIELD", f"{where}{name} must be text")
    value = value.strip()
    if len(value) > limit:
        raise bad_request(
            "FIELD_TOO_LONG", f"{where}{name} holds at most {limit} characters, got {len(value)}"
        )
    return value or None


def _required(body: Mapping[str, Any], name: str, limit: int) -> str:
    value = _text(body, name, limit)
    if value is None:
        raise bad_request("MISSING_FIELD", f"{name} is required and may not be empty")
    return value


def _choice(body: Mapping[str, Any], name: str, choices: tuple[str, ...]) -> str:
    value = body.get(name)
    if value not in choices:
        raise bad_request("INVALID_FIELD", f"{name} must be one of {list(choices)}, got {value!r}")
    return str(value)


def _instant(body: Mapping[str, Any], name: str) -> datetime:
    value = body.get(name)
    try:
        if not isinstance(value, str):
            raise ValueError(name)
        return parse_instant(value)
    except ValueError:
        raise bad_request(
            "INVALID_FIELD",
            f"{name} must be an ISO 8601 date and time such as 2026-03-10T14:30:00+03:00, "
            f"got {value!r}",
        ) from None


def _coordinate(body: Mapping[str, Any], name: str, bound: int) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not -bound <= value <= bound
    ):
        raise bad_request(
            "INVALID_FIELD", f"location.{name} must be a number from -{bound} to {bound}"
        )
    return float(value)
