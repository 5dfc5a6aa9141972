"""The field extension that writes an audit row for every access to personal data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types import Info

from hub.audit.entry import AuditEntry, AuditSink
from hub.errors import HubError
from hub.identity.caller import Caller

OK = "OK"


class AuditedAccess(FieldExtension):
    """Records who resolved the field, for which record, and how it went.

    The row is written before the answer leaves the resolver, so no personal data
    reaches a caller unless its access is on record; when the audit log cannot be
    written the field fails.
    """

    def __init__(self, argument: str | None, agency: Callable[[Any], str] | None = None) -> None:
        self.argument = argument
        self.agency = agency

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: Info[Any, Any],
        **kwargs: Any,
    ) -> Any:
        agency = self.agency(source) if self.agency else None
        object_id = str(kwargs[self.argument]) if self.argument in kwargs else None
        try:
            result = await next_(source, info, **kwargs)
        except HubError as exc:
            await audit(info, agency=agency, object_id=object_id, outcome=exc.code)
            raise
        except Exception:
            await audit(info, agency=agency, object_id=object_id, outcome="INTERNAL_SERVER_ERROR")
            raise
        await audit(info, agency=agency, object_id=object_id, outcome=OK)
        return result


async def audit(
    info: Info[Any, Any], *, agency: str | None, object_id: str | None, outcome: str
) -> None:
    """Write the audit row of the field ``info`` describes."""
    context = info.context
    sink: AuditSink | None = getattr(context, "audit", None)
    if sink is None:
        raise RuntimeError("the request context has no audit log; personal data is refused")
    caller: Caller = context.caller
    operation = info.operation
    name = operation.name.value if operation.name else "anonymous"
    await sink.record(
        AuditEntry(
            at=datetime.now(UTC),
            subject=caller.subject,
            role=caller.primary_role,
            caller_agency=caller.agency,
            operation=f"{operation.operation.value} {name}",
            field=f"{agency}.{info.field_name}" if agency else info.field_name,
            object_id=object_id,
            agency=agency,
            outcome=outcome,
            request_id=getattr(context, "request_id", None),
            client=getattr(context, "client", None),
        )
    )


__all__ = ["OK", "AuditedAccess", "audit"]
