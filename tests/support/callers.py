"""Verified callers of a request, as the hub builds them from tokens, for tests below
the HTTP layer."""

from __future__ import annotations

from hub.connector import Caller, Role


def citizen(subject: str = "citizen-a", **claims: str) -> Caller:
    """A citizen whose token carries ``claims`` (``pin``, ``national_id``)."""
    return Caller(subject=subject, roles=frozenset({Role.CITIZEN}), claims=claims)


def resolver(agency: str, subject: str | None = None) -> Caller:
    """Staff of ``agency``."""
    return Caller(
        subject=subject or f"staff@{agency}", roles=frozenset({Role.RESOLVER}), agency=agency
    )


def admin(subject: str = "ops@hub") -> Caller:
    """One of the hub's operators."""
    return Caller(subject=subject, roles=frozenset({Role.ADMIN}))
