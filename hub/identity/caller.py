"""Who is asking: the verified caller of one request.

The hub builds a :class:`Caller` from a verified bearer token (or none) before it
runs a request; resolvers, permission classes and connectors see only this object,
never the raw request headers.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Role(enum.StrEnum):
    """What a caller may do; a token's ``roles`` claim lists some of these."""

    CITIZEN = "citizen"
    """A member of the public: their own records only."""
    RESOLVER = "resolver"
    """Staff of one agency (the token's ``agency`` claim): that agency's data only."""
    ADMIN = "admin"
    """The hub's operators: everything, statistics and the audit log included."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Caller:
    """The verified identity behind a request.

    ``subject`` is ``None`` for an anonymous caller. ``claims`` holds the verified
    claims that tie a citizen to agency records: ``pin`` (a revenue PIN) and
    ``national_id``. ``problem`` says why a token that was sent was not accepted
    (expired, wrong audience, ...); such a caller is anonymous.
    """

    subject: str | None = None
    roles: frozenset[Role] = frozenset()
    agency: str | None = None
    claims: Mapping[str, str] = field(default_factory=dict)
    problem: str | None = None

    @classmethod
    def anonymous(cls, problem: str | None = None) -> Caller:
        """A caller without a (valid) token; ``problem`` explains a rejected token."""
        return cls(problem=problem)

    @property
    def is_authenticated(self) -> bool:
        """Whether a valid token identified the caller."""
        return self.subject is not None

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def resolves_for(self, agency: str) -> bool:
        """Whether the caller is staff of ``agency`` (a resolver with that agency claim)."""
        return Role.RESOLVER in self.roles and self.agency == agency

    def claim(self, name: str) -> str | None:
        """The verified claim ``name`` (``pin``, ``national_id``), or ``None``."""
        return self.claims.get(name)

    @property
    def primary_role(self) -> str:
        """The strongest role, for audit rows and logs: admin, resolver, citizen or anonymous."""
        for role in (Role.ADMIN, Role.RESOLVER, Role.CITIZEN):
            if role in self.roles:
                return role.value
        return "anonymous"

    def describe(self) -> dict[str, Any]:
        """Subject, role and agency, for logs (never the claims, which are personal data)."""
        return {"subject": self.subject, "role": self.primary_role, "agency": self.agency}


ANONYMOUS = Caller()
"""The caller of a request that sent no token."""

__all__ = ["ANONYMOUS", "Caller", "Role"]
