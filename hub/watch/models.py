"""The ``watch_marks`` table, as the migration ``0004_watch_marks`` creates it.

One row per record a watcher has seen: which agency and capability it came from, its
id in the agency's system, the fingerprint of the version last seen and when that
version was first seen. The row whose ``record_id`` is :data:`BASELINE_ID` says the
first look at that agency's capability was taken: records found then are marked
without being published, and so are not announced as new at every first start.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base

BASELINE_ID = ""
"""The ``record_id`` of the row marking that a baseline was taken; connectors never give
an empty id."""

FINGERPRINT_LENGTH = 64


class WatchMark(Base):
    """The version of an agency's record a watcher last saw."""

    __tablename__ = "watch_marks"

    agency: Mapped[str] = mapped_column(String(64), primary_key=True)
    capability: Mapped[str] = mapped_column(String(20), primary_key=True)
    record_id: Mapped[str] = mapped_column(Text(), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(FINGERPRINT_LENGTH))
    seen_at: Mapped[datetime]


__all__ = ["BASELINE_ID", "FINGERPRINT_LENGTH", "WatchMark"]
