"""An agency's own lookups in a schema of their own, to test a connector's GraphQL types."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import strawberry
from strawberry.types import ExecutionResult, Info

from hub.connector import Agency, AgencyHandle, Caller, Connector
from hub.connector_batches import LookupBatches
from hub.identity import ANONYMOUS
from tests.support.audit import AuditRecorder


async def unguarded(agency_id: str, method: Any, *args: Any) -> Any:
    """The hub's guard reduced to what connector tests need: call the method."""
    return await method(*args)


@dataclass
class LookupContext:
    """What the hub's request context offers an agency's lookups: the verified caller,
    the audit log (here a list) and the request's batched lookups (made on first use)."""

    caller: Caller = ANONYMOUS
    audit: AuditRecorder = field(default_factory=AuditRecorder)
    request_id: str | None = "test-request"
    client: str | None = "127.0.0.1"
    batches: LookupBatches | None = None


def lookups_schema(
    agency: Agency,
    connector: Connector,
    guard: Callable[..., Awaitable[Any]] = unguarded,
    *,
    nullable: bool = False,
) -> strawberry.Schema:
    """A schema whose ``Query`` has one field, ``<agency id>``, holding the connector's
    own lookups, which call the connector through ``guard`` (by default unguarded);
    ``nullable`` makes that field nullable, as it is in the hub.

    As in the hub, each request gets its own :class:`AgencyHandle`, carrying the caller
    of the context (a :class:`LookupContext`; anonymous without one); the handles of
    one request share its batches, so the keys of all its fields go out together.
    """
    fields_type = connector.schema()  # type: ignore[attr-defined]

    def resolve(info: Info[Any, Any]) -> Any:
        context = info.context
        caller = getattr(context, "caller", ANONYMOUS)
        batches = None
        if isinstance(context, LookupContext):
            if context.batches is None:
                context.batches = LookupBatches(guard)
            batches = context.batches
        return fields_type(agency=AgencyHandle(agency, connector, guard, caller, batches))

    # The hub's field is nullable, so that a failed lookup nulls its own alias only.
    resolve.__annotations__["return"] = fields_type | None if nullable else fields_type
    resolver = strawberry.field(resolver=resolve, name=agency.id)
    return strawberry.Schema(query=strawberry.type(type("Query", (), {agency.id: resolver})))


async def run_lookup(
    schema: strawberry.Schema,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    caller: Caller = ANONYMOUS,
) -> tuple[ExecutionResult, AuditRecorder]:
    """Run ``query`` as ``caller``; the result and the audit rows it wrote."""
    context = LookupContext(caller=caller)
    result = await schema.execute(query, variable_values=variables, context_value=context)
    return result, context.audit
