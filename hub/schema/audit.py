"""The audit log in the graph: who read which personal data, for admins only."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import strawberry

from hub.audit import AuditFilter, AuditLog, StoredAuditEntry
from hub.audit.query import encode_cursor
from hub.errors import InvalidInput
from hub.identity.permissions import IsAdmin
from hub.schema.agencies import Info
from hub.schema.common import PageInfo

MAX_PAGE = 200


@strawberry.enum(
    description="The strongest role of the caller an audit entry records; SYSTEM for the "
    "hub's own workers (deliveries, agency updates, the SLA sweep)."
)
class AuditRole(enum.Enum):
    ANONYMOUS = "anonymous"
    CITIZEN = "citizen"
    RESOLVER = "resolver"
    ADMIN = "admin"
    SYSTEM = "system"


@strawberry.type(description="One access to personal data, or one change to a ticket.")
class AuditLogEntry:
    id: strawberry.ID = strawberry.field(description="The entry's number in the audit log.")
    at: datetime = strawberry.field(description="When it happened (UTC).")
    subject: str | None = strawberry.field(description="Who: the token subject; null if none.")
    role: AuditRole = strawberry.field(description="The caller's strongest role.")
    caller_agency: str | None = strawberry.field(description="The caller's agency, for staff.")
    operation: str = strawberry.field(description="The GraphQL operation, e.g. 'query MyTax'.")
    field: str = strawberry.field(description="The graph field, e.g. revenue.taxCompliance.")
    object_id: str | None = strawberry.field(description="The record asked for.")
    agency: str | None = strawberry.field(description="The agency whose system was called.")
    outcome: str = strawberry.field(description="OK, or the error code the caller got.")
    request_id: str | None = strawberry.field(description="The request id, as in the logs.")
    client: str | None = strawberry.field(description="The client's address.")

    @classmethod
    def of(cls, stored: StoredAuditEntry) -> AuditLogEntry:
        """The GraphQL form of a stored entry."""
        return cls(
            id=strawberry.ID(str(stored.id)),
            at=stored.at,
            subject=stored.subject,
            role=AuditRole(stored.role),
            caller_agency=stored.caller_agency,
            operation=stored.operation,
            field=stored.field,
            object_id=stored.object_id,
            agency=stored.agency,
            outcome=stored.outcome,
            request_id=stored.request_id,
            client=stored.client,
        )


@strawberry.type(description="An audit log entry in a page, with its cursor.")
class AuditLogEdge:
    cursor: str = strawberry.field(description="Opaque position of the entry.")
    node: AuditLogEntry = strawberry.field(description="The entry.")


@strawberry.type(description="A page of the audit log, newest first.")
class AuditLogConnection:
    edges: list[AuditLogEdge] = strawberry.field(description="The entries of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page stands.")
    total_count: int = strawberry.field(description="How many entries match the filter.")


@strawberry.input(description="Which audit entries to list; every condition given must hold.")
class AuditLogFilter:
    subject: str | None = strawberry.field(
        default=strawberry.UNSET, description="The caller's token subject."
    )
    role: AuditRole | None = strawberry.field(
        default=strawberry.UNSET, description="The caller's strongest role."
    )
    agency: str | None = strawberry.field(
        default=strawberry.UNSET, description="The agency whose system was called."
    )
    caller_agency: str | None = strawberry.field(
        default=strawberry.UNSET, description="The agency of the staff member who asked."
    )
    field: str | None = strawberry.field(
        default=strawberry.UNSET, description="The graph field, e.g. revenue.taxCompliance."
    )
    object_id: str | None = strawberry.field(
        default=strawberry.UNSET, description="The record asked for, e.g. a PIN."
    )
    outcome: str | None = strawberry.field(
        default=strawberry.UNSET, description="OK, or an error code such as FORBIDDEN."
    )
    since: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="From this moment on (inclusive)."
    )
    until: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Before this moment (exclusive)."
    )

    def to_filter(self) -> AuditFilter:
        """The audit log's own filter; :class:`InvalidInput` for a moment without time zone."""
        values: dict[str, Any] = {
            name: (value.value if isinstance(value, AuditRole) else value)
            for name, value in vars(self).items()
            if value is not strawberry.UNSET and value is not None
        }
        try:
            return AuditFilter(**values)
        except ValueError as exc:
            raise InvalidInput("filter", f"{exc}; give moments with a time zone") from None


@strawberry.type
class AuditQueries:
    @strawberry.field(
        description="The audit log, newest first: every access to personal data and every "
        "change to a ticket. Admins only.",
        permission_classes=[IsAdmin],
    )
    async def audit_log(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        filter: AuditLogFilter | None = None,
    ) -> AuditLogConnection:
        if not 1 <= first <= MAX_PAGE:
            raise InvalidInput("first", f"must be between 1 and {MAX_PAGE}, got {first}")
        log = info.context.audit
        if not isinstance(log, AuditLog):
            raise RuntimeError("the hub was started without its audit log")
        try:
            page = await log.search(
                (filter or AuditLogFilter()).to_filter(), first=first, after=after
            )
        except ValueError as exc:
            raise InvalidInput("after", str(exc)) from None
        edges = [
            AuditLogEdge(cursor=encode_cursor(entry.at, entry.id), node=AuditLogEntry.of(entry))
            for entry in page.entries
        ]
        return AuditLogConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=page.end_cursor,
            ),
            total_count=page.total_count,
        )


__all__ = ["AuditQueries"]
