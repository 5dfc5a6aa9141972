"""One row of the audit log: who touched which personal data or ticket, and how it went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    """An access to personal data, or a change to a ticket.

    ``outcome`` is ``OK`` or the error code the caller got (``FORBIDDEN``,
    ``NOT_FOUND``, ``AGENCY_UNAVAILABLE``...): refused attempts are recorded too.
    """

    at: datetime
    """When it happened (UTC)."""
    subject: str | None
    """The caller's token subject; ``None`` for an anonymous caller."""
    role: str
    """The caller's strongest role: admin, resolver, citizen or anonymous."""
    caller_agency: str | None
    """The caller's agency, for agency staff."""
    operation: str
    """The GraphQL operation: its type and name, e.g. ``query MyTaxStatus``."""
    field: str
    """The graph field, e.g. ``revenue.taxCompliance`` or ``setTicketStatus``."""
    object_id: str | None
    """The record asked for: a PIN, an application number, a tracking number."""
    agency: str | None
    """The agency whose system was called, if any."""
    outcome: str
    """``OK`` or the error code returned to the caller."""
    request_id: str | None = None
    """The request id, as in the hub's logs and the headers sent to the agency."""
    client: str | None = None
    """The client's address."""


class AuditSink(Protocol):
    """Where audit entries go; the hub's is the append-only ``audit_log`` table."""

    async def record(self, entry: AuditEntry) -> None:
        """Store ``entry`` durably before returning; raise if it cannot be stored."""


__all__ = ["AuditEntry", "AuditSink"]
