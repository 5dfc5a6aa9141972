"""The SLA clock of a ticket: its deadlines and where it stands against them.

Hours are calendar hours: a 24-hour target submitted on Friday at 17:00 is due on
Saturday at 17:00, nights, weekends and public holidays included. Business hours and
holiday calendars are out of scope.

Every datetime must be timezone-aware; a naive one is refused with ``ValueError``,
because the hub cannot tell which zone it was meant in. Aware datetimes in any zone are
accepted; deadlines are returned in UTC.

A deadline is kept by an action at or before it: a first response at exactly
``first_response_due`` is in time, and a ticket is breached only once ``now`` is past a
deadline the agency has not met.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from hub.tickets.config import DEFAULT_AT_RISK_SHARE, SlaTargets
from hub.tickets.kinds import SlaState


class Deadlines(NamedTuple):
    """When the agency must first respond to a ticket, and when it must resolve it."""

    first_response_due: datetime
    resolution_due: datetime


def deadlines(submitted_at: datetime, targets: SlaTargets) -> Deadlines:
    """The deadlines of a ticket submitted at ``submitted_at`` under ``targets``."""
    start = _utc("submitted_at", submitted_at)
    return Deadlines(
        first_response_due=start + timedelta(hours=targets.first_response_hours),
        resolution_due=start + timedelta(hours=targets.resolution_hours),
    )


def sla_state(
    *,
    now: datetime,
    submitted_at: datetime,
    first_response_due: datetime,
    resolution_due: datetime,
    first_responded_at: datetime | None = None,
    resolved_at: datetime | None = None,
    at_risk_share: float = DEFAULT_AT_RISK_SHARE,
) -> SlaState:
    """Where a ticket stands against its SLA at ``now``.

    ``first_responded_at`` is when the agency first answered (``None``: not yet);
    ``resolved_at`` when it resolved or rejected the ticket (``None``: still open; clear
    it when a ticket is reopened). A resolution without an earlier answer counts as the
    first response too. ``at_risk_share`` (in ``(0, 1]``) is the share of a deadline's
    time after which an open deadline is at risk: with 0.8 and a 10-hour target, from
    hour 8 on, hour 8 included.

    - ``MET``: resolved, and both deadlines kept.
    - ``BREACHED``: a deadline passed unmet (resolved late, answered late, or ``now`` is
      past an open deadline).
    - ``AT_RISK``: an open deadline has ``at_risk_share`` of its time or more elapsed.
    - ``ON_TRACK``: otherwise.
    """
    if not 0 < at_risk_share <= 1:
        raise ValueError(f"at_risk_share must be greater than 0 and at most 1, got {at_risk_share}")
    now = _utc("now", now)
    start = _utc("submitted_at", submitted_at)
    first_due = _utc("first_response_due", first_response_due)
    resolution_due = _utc("resolution_due", resolution_due)
    responded = (
        None if first_responded_at is None else _utc("first_responded_at", first_responded_at)
    )
    resolved = None if resolved_at is None else _utc("resolved_at", resolved_at)
    if resolved is not None and (responded is None or resolved < responded):
        responded = resolved

    if responded is not None and responded > first_due:
        return SlaState.BREACHED
    if resolved is not None:
        return SlaState.MET if resolved <= resolution_due else SlaState.BREACHED
    open_deadlines = [resolution_due] if responded is not None else [first_due, resolution_due]
    if any(now > due for due in open_deadlines):
        return SlaState.BREACHED
    if any(now >= start + (due - start) * at_risk_share for due in open_deadlines):
        return SlaState.AT_RISK
    return SlaState.ON_TRACK


def _utc(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware, got the naive datetime {value.isoformat()}; "
            "use datetime.now(UTC) or value.replace(tzinfo=UTC) for a UTC time"
        )
    return value.astimezone(UTC)


__all__ = ["Deadlines", "deadlines", "sla_state"]
