"""The audit row of what a request's caller did through a field of the graph."""

from __future__ import annotations

from datetime import UTC, datetime

from hub.audit import AuditEntry
from hub.schema.agencies import Info

OK = "OK"


def operation_of(info: Info) -> str:
    """The request's operation as the audit log names it, e.g. ``mutation SubmitTicket``."""
    operation = info.operation
    name = operation.name.value if operation.name else "anonymous"
    return f"{operation.operation.value} {name}"


async def record_access(
    info: Info, *, object_id: str | None, agency: str | None, outcome: str = OK
) -> None:
    """Write the audit row of the field ``info`` resolves, by the request's caller, on
    ``object_id`` of ``agency``: ``OK`` or the code it was refused with. Raises when the
    request has no audit log, so that nothing audited goes unrecorded."""
    sink = info.context.audit
    if sink is None:
        raise RuntimeError("the request context has no audit log; audited fields are refused")
    caller = info.context.caller
    await sink.record(
        AuditEntry(
            at=datetime.now(UTC),
            subject=caller.subject,
            role=caller.primary_role,
            caller_agency=caller.agency,
            operation=operation_of(info),
            field=info.field_name,
            object_id=object_id,
            agency=agency,
            outcome=outcome,
            request_id=info.context.request_id,
            client=info.context.client,
        )
    )


__all__ = ["OK", "operation_of", "record_access"]
