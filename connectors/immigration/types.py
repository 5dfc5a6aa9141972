"""Records of the immigration department's own lookups (beyond the hub's common types)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime


class PassportApplicationStatus(enum.Enum):
    """Where a passport application stands, in the hub's words."""

    RECEIVED = "RECEIVED"
    IN_PROGRESS = "IN_PROGRESS"
    READY_FOR_COLLECTION = "READY_FOR_COLLECTION"
    COLLECTED = "COLLECTED"
    REJECTED = "REJECTED"


@dataclass(frozen=True, slots=True, kw_only=True)
class PassportApplicationRecord:
    """A passport application as the department reports it.

    ``applicant_id_no`` is the national ID number of the applicant, who owns the
    record; ``status_text`` is the department's own status word.
    """

    number: str
    applicant_id_no: str
    passport_type: str
    status: PassportApplicationStatus
    status_text: str
    submitted_on: date
    updated_at: datetime
    collection_centre: str
    remark: str | None = None
