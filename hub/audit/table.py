"""The ``audit_log`` table, as the migration ``0001_audit_log`` creates it."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table

from hub.db import UtcDateTime, metadata

audit_log = Table(
    "audit_log",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("at", UtcDateTime(), nullable=False),
    Column("request_id", String(), nullable=True),
    Column("subject", String(), nullable=True),
    Column("role", String(), nullable=False),
    Column("caller_agency", String(), nullable=True),
    Column("operation", String(), nullable=False),
    Column("field", String(), nullable=False),
    Column("object_id", String(), nullable=True),
    Column("agency", String(), nullable=True),
    Column("outcome", String(), nullable=False),
    Column("client", String(), nullable=True),
)
"""Append-only: the database refuses UPDATE and DELETE on it."""

FILTERED = ("subject", "role", "caller_agency", "field", "object_id", "agency", "outcome")
"""The columns :class:`~hub.audit.log.AuditLog` searches by, each indexed with ``at``."""

Index("ix_audit_log_at_id", audit_log.c.at, audit_log.c.id)
for _column in FILTERED:
    Index(f"ix_audit_log_{_column}_at", audit_log.c[_column], audit_log.c.at)

__all__ = ["FILTERED", "audit_log"]
