"""Strawberry permission classes: the access rules of :mod:`hub.identity.rights`,
attached to fields.

Hub fields use ``permission_classes=[IsAdmin]`` and the like. Agencies' own fields
that return personal data use ``extensions=personal_data(...)``, which checks the
rights before the connector is called and audits the access, allowed or refused.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from hub.connector import AgencyHandle
from hub.identity.audited import AuditedAccess
from hub.identity.caller import Caller, Role
from hub.identity.rights import may_read_personal, require_owner, require_role


def caller_of(info: Info[Any, Any]) -> Caller:
    """The verified caller of the request ``info`` belongs to."""
    caller: Caller = info.context.caller
    return caller


class IsAuthenticated(BasePermission):
    """Any caller with a valid token."""

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        require_role(caller_of(info), Role.CITIZEN, Role.RESOLVER, Role.ADMIN)
        return True


class IsCitizen(BasePermission):
    """Citizens (and admins)."""

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        require_role(caller_of(info), Role.CITIZEN)
        return True


class IsResolver(BasePermission):
    """Agency staff (and admins); which agency's data is checked by the resolver."""

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        require_role(caller_of(info), Role.RESOLVER)
        return True


class IsAdmin(BasePermission):
    """The hub's administrators only."""

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        require_role(caller_of(info), Role.ADMIN)
        return True


class PersonalDataAccess(BasePermission):
    """An agency's personal lookup: admins, the agency's resolvers, and citizens.

    With ``argument`` and ``owner_claim``, a citizen may ask only for the record the
    argument names when it matches that claim of their token (their own PIN, say).
    Without them, the resolver checks ownership on the record it fetched
    (:func:`~hub.identity.rights.require_owner`).
    """

    def __init__(self, argument: str | None = None, owner_claim: str | None = None) -> None:
        self.argument = argument
        self.owner_claim = owner_claim

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        caller, agency = caller_of(info), agency_of(source)
        may_read_personal(caller, agency)
        if self.argument and self.owner_claim:
            require_owner(caller, agency, self.owner_claim, str(kwargs[self.argument]))
        return True


def agency_of(source: Any) -> str:
    """The agency whose own lookup type ``source`` is (it holds an ``AgencyHandle``)."""
    handle = getattr(source, "agency", None)
    if not isinstance(handle, AgencyHandle):
        raise TypeError(
            f"personal_data() is for fields of an agency's own lookup type, whose instances "
            f"hold 'agency: strawberry.Private[AgencyHandle]'; {type(source).__name__} does not"
        )
    return handle.agency.id


def personal_data(
    argument: str | None = None, owner_claim: str | None = None
) -> list[FieldExtension]:
    """The extensions of a field that returns an agency's personal data.

    ``argument`` names the field argument that identifies the record (it goes to the
    audit log as the object id); ``owner_claim`` the token claim that must match it
    for a citizen. Use as ``strawberry.field(extensions=personal_data("pin", "pin"))``.
    """
    permission = PermissionExtension(
        [PersonalDataAccess(argument, owner_claim)], use_directives=False
    )
    # The last extension is the outermost: the audit sees refusals too.
    return [permission, AuditedAccess(argument, agency_of)]


__all__ = [
    "IsAdmin",
    "IsAuthenticated",
    "IsCitizen",
    "IsResolver",
    "PersonalDataAccess",
    "agency_of",
    "caller_of",
    "personal_data",
]
