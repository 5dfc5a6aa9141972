"""The access rules, in one place: who may read what.

=========== ==============================================================
anonymous   public data: catalogue, news, vacancies, bids, agencies, a
            ticket's public status by tracking number
citizen     their own records: a lookup whose owner (a PIN, a national ID)
            matches a verified claim of their token; their own tickets
resolver    staff of one agency: that agency's personal lookups and tickets
admin       everything, statistics and the audit log included
=========== ==============================================================

Each rule raises :class:`~hub.errors.Unauthenticated` when the caller has no valid
token and :class:`~hub.errors.Forbidden` when the token lacks the right.
"""

from __future__ import annotations

from hub.errors import Forbidden, Unauthenticated
from hub.identity.caller import Caller, Role


def require_authenticated(caller: Caller) -> None:
    """Refuse an anonymous caller, saying why a token that was sent was not accepted."""
    if caller.is_authenticated:
        return
    if caller.problem:
        raise Unauthenticated(f"the bearer token was not accepted: {caller.problem}")
    raise Unauthenticated(
        "this field needs a bearer token; send 'Authorization: Bearer <token>' "
        "(development tokens: hub token --help)"
    )


def require_role(caller: Caller, *roles: Role) -> None:
    """Refuse a caller who has none of ``roles`` (admins have every role's rights)."""
    require_authenticated(caller)
    if caller.is_admin or any(caller.has_role(role) for role in roles):
        return
    wanted = " or ".join(role.value for role in roles)
    raise Forbidden(f"this field is for {wanted} accounts; your token is a {caller.primary_role}")


def require_agency_staff(caller: Caller, agency: str) -> None:
    """Refuse anyone but admins and resolvers of ``agency``."""
    require_authenticated(caller)
    if caller.is_admin or caller.resolves_for(agency):
        return
    raise Forbidden(
        f"only staff of {agency} (a resolver token with agency={agency}) and admins may do this"
    )


def may_read_personal(caller: Caller, agency: str) -> None:
    """Refuse a caller who may not read ``agency``'s personal data at all.

    Admins and ``agency``'s resolvers may; citizens may, for their own records only,
    which :func:`require_owner` then checks record by record.
    """
    require_authenticated(caller)
    if caller.is_admin or caller.resolves_for(agency) or caller.has_role(Role.CITIZEN):
        return
    if caller.has_role(Role.RESOLVER):
        raise Forbidden(
            f"your token is for staff of {caller.agency}; {agency}'s personal data is "
            f"open to {agency}'s own staff and to the citizen it belongs to"
        )
    raise Forbidden(f"your token gives no right to {agency}'s personal data")


def require_owner(caller: Caller, agency: str, claim: str, owner: str) -> None:
    """Refuse a citizen reading a record of ``agency`` that is not theirs.

    ``owner`` is the record's owner as the claim ``claim`` names them (the PIN of a
    tax record, the national ID of a passport application). Admins and ``agency``'s
    resolvers pass; a citizen passes only when their token's ``claim`` equals ``owner``.
    """
    may_read_personal(caller, agency)
    if caller.is_admin or caller.resolves_for(agency):
        return
    mine = caller.claim(claim)
    if mine is None:
        raise Forbidden(
            f"your token has no {claim!r} claim, so no {agency} record can be shown as yours"
        )
    if mine.strip().upper() != owner.strip().upper():
        raise Forbidden(f"this {agency} record belongs to someone else; you may read only your own")


__all__ = [
    "may_read_personal",
    "require_agency_staff",
    "require_authenticated",
    "require_owner",
    "require_role",
]
