"""``@cost`` and ``@listSize``: what a field declares about its cost, as the GraphQL Cost
Directives specification (IBM, adopted by Apollo's demand control) spells them.

Declare them on a field::

    @strawberry.field(directives=[Cost(weight=10)])
    async def health(self, info: Info) -> AgencyHealth: ...

    @strawberry.field(directives=[ListSize(slicing_arguments=["limit"], assumed_size=50)])
    def documents(self, limit: int | None = None) -> list[Document]: ...

They appear in the SDL (``directive @cost(weight: Int!) on FIELD_DEFINITION``), so clients
can see what is costly. The hub reads them on fields only; the specification also allows
``@cost`` on types and arguments.
"""

from __future__ import annotations

import strawberry
from strawberry.schema_directive import Location


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    name="cost",
    description="The cost of resolving this field once, in cost points (default: 1 for "
    "fields of object, interface or union type, 0 for scalars and enums).",
)
class Cost:
    """The cost points of resolving the field once; a list field pays it per item."""

    weight: int = strawberry.field(name="weight", description="Cost points, a whole number >= 0.")

    def __post_init__(self) -> None:
        if isinstance(self.weight, bool) or not isinstance(self.weight, int) or self.weight < 0:
            raise ValueError(f"@cost(weight:): expected a whole number >= 0, got {self.weight!r}")


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    name="listSize",
    description="How many items this list field returns, for cost analysis.",
)
class ListSize:
    """How long the field's list is: the largest of its slicing arguments' values, else
    ``assumed_size``. With ``sized_fields`` the size applies to those fields of the
    field's type instead (``edges`` and ``nodes`` of a connection)."""

    assumed_size: int | None = strawberry.field(
        name="assumedSize",
        default=None,
        description="The size when no slicing argument is given.",
    )
    slicing_arguments: list[str] | None = strawberry.field(
        name="slicingArguments",
        default=None,
        description="Arguments whose value is the size of the list, e.g. first or last.",
    )
    sized_fields: list[str] | None = strawberry.field(
        name="sizedFields",
        default=None,
        description="Fields of the returned type that the size applies to, e.g. edges.",
    )

    def __post_init__(self) -> None:
        size = self.assumed_size
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
            raise ValueError(
                f"@listSize(assumedSize:): expected a whole number >= 0 or null, got {size!r}"
            )


UPSTREAM_CALL_COST = 10
"""The ``@cost`` of a field that calls an agency's system each time it resolves."""

__all__ = ["UPSTREAM_CALL_COST", "Cost", "ListSize"]
