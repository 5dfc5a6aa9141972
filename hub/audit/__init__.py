"""The audit log: who touched which personal data or ticket, kept append-only in the
hub's database.

``AuditLog(engine)`` is the hub's :class:`AuditSink`; its ``search`` pages through
the entries, newest first, by subject, role, agency, field, record, outcome and time.
"""

from __future__ import annotations

from hub.audit.entry import AuditEntry, AuditSink
from hub.audit.log import AuditLog
from hub.audit.query import AuditFilter, AuditPage, StoredAuditEntry

__all__ = ["AuditEntry", "AuditFilter", "AuditLog", "AuditPage", "AuditSink", "StoredAuditEntry"]
