"""The department's complaints desk: cases numbered ``IMC-2026-000123`` and their updates.

A case is lodged once per idempotency key (the Citizen Hub's ticket id): lodging
again with the same key gives the same case back. Officers then move it through the
desk's status words, each move an update with remarks for the complainant; the
lodging itself is not an update.

Updates form one feed across cases, in the order they were made, each stamped
strictly later than the one before: reading the feed after a moment, page by page,
never misses an update, whatever officers do meanwhile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from legacy.immigration.dates import format_instant, instant_now

CASE_NUMBER = re.compile(r"IMC-\d{4}-\d{6}")
"""The shape of a case number: ``IMC``, the year it was lodged, six digits."""

RECEIVED = "RECEIVED"
CASE_STATUSES = (
    RECEIVED,
    "ASSIGNED",
    "UNDER REVIEW",
    "AWAITING CUSTOMER",
    "ESCALATED",
    "RESOLVED",
    "CLOSED",
    "DECLINED",
)
"""Every status word of the desk; a case starts ``RECEIVED``."""

CASE_TYPES = ("COMPLAINT", "ENQUIRY", "COMPLIMENT", "REPORT", "SERVICE REQUEST")
PRIORITIES = ("LOW", "NORMAL", "HIGH", "URGENT")


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseForm:
    """What a caller lodges: the case without its number and history."""

    hub_reference: str | None
    case_type: str
    category: str
    priority: str
    subject: str
    details: str
    submitted_at: datetime
    area: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    complainant_name: str | None = None
    complainant_phone: str | None = None
    complainant_email: str | None = None


@dataclass(frozen=True, slots=True)
class CaseUpdate:
    """One move of case ``case_no`` by an officer: its new status (``None``: remarks only)."""

    case_no: str
    status: str | None
    remarks: str | None
    officer: str
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "case_no": self.case_no,
            "status": self.status,
            "remarks": self.remarks,
            "officer": self.officer,
            "updated_at": format_instant(self.updated_at),
        }


@dataclass(slots=True)
class Case:
    """A lodged case and everything done on it since."""

    case_no: str
    form: CaseForm
    received_at: datetime
    status: str = RECEIVED
    updates: list[CaseUpdate] = field(default_factory=list)

    @property
    def last_updated(self) -> datetime:
        """When an officer last moved the case, or when it was lodged."""
        return self.updates[-1].updated_at if self.updates else self.received_at

    def status_json(self) -> dict[str, Any]:
        """The case without the complainant's details."""
        form = self.form
        return {
            "case_no": self.case_no,
            "hub_reference": form.hub_reference,
            "case_type": form.case_type,
            "category": form.category,
            "priority": form.priority,
            "subject": form.subject,
            "status": self.status,
            "received_at": format_instant(self.received_at),
            "last_updated": format_instant(self.last_updated),
            "updates": [update.to_json() for update in self.updates],
        }

    def to_json(self) -> dict[str, Any]:
        """The whole case, as answered to the one who lodged it."""
        form = self.form
        return {
            **self.status_json(),
            "details": form.details,
            "submitted_at": format_instant(form.submitted_at),
            "location": {
                "area": form.area,
                "address": form.address,
                "latitude": form.latitude,
                "longitude": form.longitude,
            },
            "complainant": {
                "name": form.complainant_name,
                "phone": form.complainant_phone,
                "email": form.complainant_email,
            },
        }


class CaseRegister:
    """Every case of the desk, by number and by idempotency key."""

    def __init__(self) -> None:
        self._cases: dict[str, Case] = {}
        self._by_key: dict[str, Case] = {}
        self._last_serial: dict[int, int] = {}
        self._feed: list[CaseUpdate] = []

    def lodge(self, key: str, form: CaseForm) -> tuple[Case, bool]:
        """The case lodged under ``key``, and whether it is new (else ``form`` is ignored)."""
        if key in self._by_key:
            return self._by_key[key], False
        received_at = instant_now()
        year = received_at.year
        serial = self._last_serial.get(year, 0) + 1
        self._last_serial[year] = serial
        case = Case(f"IMC-{year}-{serial:06d}", form, received_at)
        self._cases[case.case_no] = case
        self._by_key[key] = case
        return case, True

    def move(self, case_no: str, status: str | None, remarks: str | None, officer: str) -> Case:
        """Record an officer's move of case ``case_no``; ``KeyError`` if there is none.

        ``status`` must be one of :data:`CASE_STATUSES` or ``None``, checked by the caller.
        """
        case = self._cases[case_no]
        moment = instant_now()
        if self._feed:
            # strictly after the last update, even when the clock has not moved since
            moment = max(moment, self._feed[-1].updated_at + timedelta(microseconds=1))
        update = CaseUpdate(case_no, status, remarks, officer, moment)
        case.updates.append(update)
        self._feed.append(update)
        if status is not None:
            case.status = status
        return case

    def updates_after(self, moment: datetime | None) -> list[CaseUpdate]:
        """The updates made after ``moment`` (all when ``None``), oldest first."""
        if moment is None:
            return list(self._feed)
        return [update for update in self._feed if update.updated_at > moment]

    def __len__(self) -> int:
        return len(self._cases)
