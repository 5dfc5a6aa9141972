"""The errors the hub reports to its clients, each with a stable ``code``.

Connectors translate every failure of their legacy system, in one place per
connector, into one of these; the graph reports each with ``extensions.code``::

    HubError
     ├── InvalidInput           the caller's input has the wrong shape (BAD_USER_INPUT)
     ├── Unauthenticated        no valid bearer token for a field that needs one
     ├── Forbidden              the caller's token does not give the right asked for
     ├── AlreadyVoted           the citizen has voted in this poll already
     ├── PollNotOpen            the poll takes no votes now (not yet open, or closed)
     └── AgencyError            a call to an agency failed
          ├── AgencyUnavailable     the system is down or refused the connection
          ├── AgencyTimeout         the system did not answer in time
          ├── AgencyBadResponse     the system answered with something unreadable
          ├── AgencyRejected        the system refused the request, with its reason
          └── NotFound              the system does not know the requested record
"""

from __future__ import annotations

from typing import Any, ClassVar


class HubError(Exception):
    """Base of every error the hub reports to its clients, with a stable ``code``."""

    code: ClassVar[str] = "INTERNAL_ERROR"

    def __init__(self, message: str, *, agency: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.agency = agency

    def extensions(self) -> dict[str, Any]:
        """The ``extensions`` entry of the GraphQL error this becomes."""
        data: dict[str, Any] = {"code": self.code}
        if self.agency is not None:
            data["agency"] = self.agency
        return data


class InvalidInput(HubError):
    """The caller's input has the wrong shape (a PIN with too few digits, say)."""

    code = "BAD_USER_INPUT"

    def __init__(self, argument: str, message: str, *, agency: str | None = None) -> None:
        super().__init__(f"{argument}: {message}", agency=agency)
        self.argument = argument

    def extensions(self) -> dict[str, Any]:
        return {**super().extensions(), "argument": self.argument}


class Unauthenticated(HubError):
    """The field needs a valid bearer token and the request has none (or a bad one)."""

    code = "UNAUTHENTICATED"


class Forbidden(HubError):
    """The caller is known but has no right to what was asked."""

    code = "FORBIDDEN"


class AlreadyVoted(HubError):
    """The citizen has voted in this poll already; a vote is final."""

    code = "ALREADY_VOTED"


class PollNotOpen(HubError):
    """The poll takes no votes now: it has not opened yet, or it has closed."""

    code = "POLL_NOT_OPEN"


class AgencyError(HubError):
    """A call to an agency's system failed."""

    code = "AGENCY_ERROR"


class AgencyUnavailable(AgencyError):
    """The agency's system is down, unreachable or failing."""

    code = "AGENCY_UNAVAILABLE"


class AgencyTimeout(AgencyError):
    """The agency's system did not answer within its timeout."""

    code = "AGENCY_TIMEOUT"


class AgencyBadResponse(AgencyError):
    """The agency's system answered with something the connector cannot read."""

    code = "AGENCY_BAD_RESPONSE"


class AgencyRejected(AgencyError):
    """The agency's system refused the request; ``reason`` is its own explanation."""

    code = "AGENCY_REJECTED"

    def __init__(self, reason: str, *, agency: str | None = None) -> None:
        super().__init__(f"the agency rejected the request: {reason}", agency=agency)
        self.reason = reason


class NotFound(AgencyError):
    """The agency's system does not know the requested record."""

    code = "NOT_FOUND"


__all__ = [
    "AgencyBadResponse",
    "AgencyError",
    "AgencyRejected",
    "AgencyTimeout",
    "AgencyUnavailable",
    "AlreadyVoted",
    "Forbidden",
    "HubError",
    "InvalidInput",
    "NotFound",
    "PollNotOpen",
    "Unauthenticated",
]
