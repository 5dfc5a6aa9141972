"""Identity and access: who asks (:class:`Caller`), what they may see (:mod:`.rights`),
and the hub's signed assertions to agencies (:mod:`.assertion`)."""

from hub.identity.assertion import (
    ASSERTION_HEADER,
    AssertionSigner,
    development_signer,
    request_digest,
)
from hub.identity.caller import ANONYMOUS, Caller, Role
from hub.identity.rights import (
    may_read_personal,
    require_agency_staff,
    require_authenticated,
    require_owner,
    require_role,
)

__all__ = [
    "ANONYMOUS",
    "ASSERTION_HEADER",
    "AssertionSigner",
    "Caller",
    "Role",
    "development_signer",
    "may_read_personal",
    "request_digest",
    "require_agency_staff",
    "require_authenticated",
    "require_owner",
    "require_role",
]
