"""The authority's enquiry register: enquiries ``ENQ/2026/000123`` and officers' updates.

An enquiry is lodged once per hub ticket id: lodging it again gives the first one
back. Officers move it through the register's status words; each move is an update
with remarks for the taxpayer (the lodging itself is not one). Updates form one feed
in the order they were made, each stamped strictly later than the one before, so
reading the feed after a moment never misses one.

Times are the gateway's: naive East Africa Time, here to the microsecond.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from legacy.revenue.reading import LOCAL_TIME

REFERENCE = re.compile(r"ENQ/\d{4}/\d{6}")
"""``ENQ``, the year lodged and six digits, e.g. ``ENQ/2026/000123``."""

LOGGED = "LOGGED"
ENQUIRY_STATUSES = (
    LOGGED,
    "ASSIGNED",
    "WORK IN PROGRESS",
    "PENDING TAXPAYER",
    "ESCALATED",
    "RESOLVED",
    "CLOSED",
    "REJECTED",
)
"""Every status word of the register; an enquiry starts ``LOGGED``."""

ENQUIRY_TYPES = (
    "GENERAL ENQUIRY",
    "COMPLAINT",
    "COMPLIMENT",
    "INFORMANT REPORT",
    "SERVICE REQUEST",
)
PRIORITIES = ("P1", "P2", "P3", "P4")
"""P1 is the most pressing."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EnquiryForm:
    """What a caller lodges: the enquiry without its reference and history."""

    hub_ticket_id: str
    hub_reference: str | None
    enquiry_type: str
    category: str
    priority: str
    subject: str
    details: str
    submitted_on: datetime
    area: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


@dataclass(frozen=True, slots=True)
class EnquiryUpdate:
    """One move of an enquiry by an officer: its new status (``None``: remarks only)."""

    reference: str
    status: str | None
    remarks: str | None
    officer: str
    updated_at: datetime


@dataclass(slots=True)
class Enquiry:
    """A lodged enquiry and where it stands."""

    reference: str
    form: EnquiryForm
    lodged_at: datetime
    status: str = LOGGED
    updates: list[EnquiryUpdate] = field(default_factory=list)


class EnquiryRegister:
    """Every enquiry, by reference and by hub ticket id, and the feed of updates."""

    def __init__(self) -> None:
        self._by_reference: dict[str, Enquiry] = {}
        self._by_ticket: dict[str, Enquiry] = {}
        self._last_serial: dict[int, int] = {}
        self._feed: list[EnquiryUpdate] = []

    def lodge(self, form: EnquiryForm) -> tuple[Enquiry, bool]:
        """The enquiry of ``form``'s hub ticket, and whether it was lodged now (if not,
        ``form`` is ignored and the first enquiry answered)."""
        earlier = self._by_ticket.get(form.hub_ticket_id)
        if earlier is not None:
            return earlier, False
        lodged_at = _now()
        serial = self._last_serial.get(lodged_at.year, 0) + 1
        self._last_serial[lodged_at.year] = serial
        enquiry = Enquiry(f"ENQ/{lodged_at.year}/{serial:06d}", form, lodged_at)
        self._by_reference[enquiry.reference] = enquiry
        self._by_ticket[form.hub_ticket_id] = enquiry
        return enquiry, True

    def move(
        self, reference: str, status: str | None, remarks: str | None, officer: str
    ) -> EnquiryUpdate:
        """Record an officer's move of enquiry ``reference``; ``KeyError`` if there is none.

        ``status`` must be one of :data:`ENQUIRY_STATUSES` or ``None``, checked by the caller.
        """
        enquiry = self._by_reference[reference]
        moment = _now()
        if self._feed:
            # strictly after the last update, even when the clock has not moved since
            moment = max(moment, self._feed[-1].updated_at + timedelta(microseconds=1))
        update = EnquiryUpdate(reference, status, remarks, officer, moment)
        enquiry.updates.append(update)
        self._feed.append(update)
        if status is not None:
            enquiry.status = status
        return update

    def updates_after(self, moment: datetime) -> list[EnquiryUpdate]:
        """The updates made after the local time ``moment``, oldest first."""
        return [update for update in self._feed if update.updated_at > moment]

    def get(self, reference: str) -> Enquiry | None:
        """The enquiry ``reference``, if lodged."""
        return self._by_reference.get(reference)

    def __len__(self) -> int:
        return len(self._by_reference)


def _now() -> datetime:
    return datetime.now(LOCAL_TIME).replace(tzinfo=None)
