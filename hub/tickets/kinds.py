"""The vocabularies of the ticket domain: kinds, priorities, statuses and SLA states."""

from __future__ import annotations

import enum


class TicketKind(enum.Enum):
    """What the citizen is doing by writing to an agency.

    - ``ENQUIRY``: asking a question ("how do I renew my passport?").
    - ``COMPLAINT``: saying a service or an official fell short.
    - ``COMMENDATION``: praising a service or an official.
    - ``REPORT``: telling the agency about an incident or a problem it should act on
      (a crime, an accident, a broken road).
    - ``REQUEST``: asking the agency to do something (a certificate, a refund).
    """

    ENQUIRY = "ENQUIRY"
    COMPLAINT = "COMPLAINT"
    COMMENDATION = "COMMENDATION"
    REPORT = "REPORT"
    REQUEST = "REQUEST"


class Priority(enum.Enum):
    """How soon a ticket needs attention, from ``LOW`` to ``URGENT``.

    Priorities are ordered (``Priority.LOW < Priority.URGENT``), so ``max()`` picks the
    most pressing of several.
    """

    LOW = "LOW"
    NORMAL = "NORMAL"
    HIGH = "HIGH"
    URGENT = "URGENT"

    @property
    def rank(self) -> int:
        """0 for ``LOW`` up to 3 for ``URGENT``."""
        return _PRIORITY_ORDER.index(self)

    def raised(self) -> Priority:
        """The priority one step up; ``URGENT`` stays ``URGENT``."""
        return _PRIORITY_ORDER[min(self.rank + 1, len(_PRIORITY_ORDER) - 1)]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank >= other.rank


_PRIORITY_ORDER: tuple[Priority, ...] = tuple(Priority)


class TicketStatus(enum.Enum):
    """Where a ticket stands in the agency's hands.

    Delivery to the agency's system is tracked apart (the outbox), not as a status.

    - ``RECEIVED``: stored by the hub; no one at the agency has answered yet.
    - ``ACKNOWLEDGED``: the agency has answered the citizen (its first response).
    - ``IN_PROGRESS``: the agency is working on it.
    - ``RESOLVED``: the agency has done what was asked or answered the question.
    - ``REJECTED``: the agency will not act on it (not its business, not enough detail),
      and says why.
    - ``REOPENED``: the citizen was not satisfied with the resolution and reopened it
      within the reopen window; the agency must work on it again.
    - ``CLOSED``: finished for good; it can no longer be reopened.
    """

    RECEIVED = "RECEIVED"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    IN_PROGRESS = "IN_PROGRESS"
    RESOLVED = "RESOLVED"
    REJECTED = "REJECTED"
    REOPENED = "REOPENED"
    CLOSED = "CLOSED"


class SlaState(enum.Enum):
    """How a ticket stands against its service level agreement.

    - ``ON_TRACK``: every deadline still open is less than ``at_risk_share`` elapsed.
    - ``AT_RISK``: an open deadline (first response or resolution) has ``at_risk_share``
      or more of its time elapsed, but has not passed yet.
    - ``BREACHED``: a deadline passed before the agency met it: no first response or no
      resolution by its due time. A breach is final: it stays breached once resolved.
    - ``MET``: resolved, with both the first response and the resolution in time.
    """

    ON_TRACK = "ON_TRACK"
    AT_RISK = "AT_RISK"
    BREACHED = "BREACHED"
    MET = "MET"


__all__ = ["Priority", "SlaState", "TicketKind", "TicketStatus"]
