"""Each agency's own lookups, mounted as ``Query.<agency id>``.

A connector with the ``schema`` capability returns a Strawberry type; the hub gives
each instance an :class:`~hub.connector.AgencyHandle` whose ``call`` runs connector
methods under the gateway's guards, whose ``load`` merges the keys the whole request
asks of one lookup into one call (the request's ``loaders.lookups``), and whose
``caller`` is the request's verified caller.
"""

from __future__ import annotations

from typing import Any

import strawberry

from hub.agencies import AgencyRegistry, AgencyRuntime
from hub.agencies.errors import ConfigError
from hub.connector import AgencyHandle
from hub.gateway import Guard
from hub.limits import UPSTREAM_CALL_COST, Cost


def lookups_type(registry: AgencyRegistry, guard: Guard) -> type | None:
    """A Strawberry type with one field per agency that has its own lookups."""
    namespace: dict[str, Any] = {}
    for runtime in registry.serving("schema"):
        namespace[runtime.id] = _lookup_field(runtime, guard)
    if not namespace:
        return None
    return strawberry.type(type("AgencyLookups", (), namespace))


def _lookup_field(runtime: AgencyRuntime, guard: Guard) -> Any:
    fields_type = runtime.connector.schema()  # type: ignore[attr-defined]
    if not hasattr(fields_type, "__strawberry_definition__"):
        raise ConfigError(
            [
                f"agency {runtime.id!r}: its connector's schema() must return a Strawberry type, "
                f"got {fields_type!r}"
            ]
        )

    def resolve(info: strawberry.Info) -> Any:
        context = info.context
        handle = AgencyHandle(
            runtime.agency,
            runtime.connector,
            guard.call,
            context.caller,
            batches=context.loaders.lookups,
        )
        return fields_type(agency=handle)

    # Nullable, so that a failed lookup (its fields are non-null) nulls this agency's
    # lookups only, never the whole response.
    resolve.__annotations__["return"] = fields_type | None
    return strawberry.field(
        resolver=resolve,
        name=runtime.id,
        description=f"Lookups of {runtime.agency.name} ({runtime.agency.short_name}); "
        "null when one of the requested lookups failed (see errors).",
        directives=[Cost(weight=UPSTREAM_CALL_COST)],
    )


__all__ = ["lookups_type"]
