"""An agency's own lookups in a schema of their own, to test a connector's GraphQL types."""

from __future__ import annotations

from typing import Any

import strawberry

from hub.connector import Agency, AgencyHandle, Connector


async def unguarded(agency_id: str, method: Any, *args: Any) -> Any:
    """The hub's guard reduced to what connector tests need: call the method."""
    return await method(*args)


def lookups_schema(agency: Agency, connector: Connector) -> strawberry.Schema:
    """A schema whose ``Query`` has one field, ``<agency id>``, holding the connector's
    own lookups, which call the connector without the hub's guards."""
    handle = AgencyHandle(agency, connector, unguarded)
    fields_type = connector.schema()  # type: ignore[attr-defined]

    def resolve() -> Any:
        return fields_type(agency=handle)

    resolve.__annotations__["return"] = fields_type
    field = strawberry.field(resolver=resolve, name=agency.id)
    return strawberry.Schema(query=strawberry.type(type("Query", (), {agency.id: field})))
