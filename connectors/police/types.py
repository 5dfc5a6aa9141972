"""Records of the police service's own lookups: Occurrence Book entries, and security
alerts (the contract's :class:`~hub.connector.SecurityAlert`, which its alerts
capability lists too)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from hub.connector import AlertLevel, SecurityAlert


class OccurrenceStatus(enum.Enum):
    """Where the file opened for an Occurrence Book entry stands."""

    REPORTED = "REPORTED"
    UNDER_INVESTIGATION = "UNDER_INVESTIGATION"
    REFERRED_TO_DCI = "REFERRED_TO_DCI"
    TAKEN_TO_COURT = "TAKEN_TO_COURT"
    CLOSED = "CLOSED"
    OTHER = "OTHER"


@dataclass(frozen=True, slots=True, kw_only=True)
class Occurrence:
    """An entry of the Occurrence Book (a reported incident) and the state of its file.

    ``complainant_id_number`` identifies the person who made the report, so that
    access can be limited to them; the complainant's name and phone are not read.
    """

    ob_number: str
    station_code: str
    station_name: str
    category: str
    nature: str
    status: OccurrenceStatus
    status_text: str
    reported_at: datetime
    updated_at: datetime
    complainant_id_number: str | None


__all__ = ["AlertLevel", "Occurrence", "OccurrenceStatus", "SecurityAlert"]
