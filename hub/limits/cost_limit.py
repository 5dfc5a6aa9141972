"""The cost limit: an operation's estimated cost (``QUERY_TOO_COSTLY``)."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from hub.limits.config import QueryLimits
from hub.limits.cost import operation_cost
from hub.limits.document import find_operation
from hub.limits.errors import QUERY_TOO_COSTLY, limit_error, operation_label, refuse


class CostLimit(SchemaExtension):
    """Refuses an operation estimated to cost more than ``limits.max_cost`` (0: no limit),
    before it is validated or executed. Slicing arguments given as variables are read
    from the request's variables."""

    def __init__(self, limits: QueryLimits) -> None:
        super().__init__()
        self.limits = limits

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        limit = self.limits.max_cost
        operation = find_operation(document, context.operation_name) if document else None
        if limit and document is not None and operation is not None:
            cost = operation_cost(
                document, context.schema, context.variables, self.limits, context.operation_name
            )
            if cost > limit:
                refuse(
                    context,
                    limit_error(
                        QUERY_TOO_COSTLY,
                        f"{operation_label(operation)} would cost {cost} points; the limit "
                        f"is {limit}: ask for smaller pages (first/last), fewer nested lists "
                        "or fewer fields, or split the query",
                        limit=limit,
                        actual=cost,
                        nodes=operation,
                    ),
                )
        yield


__all__ = ["CostLimit"]
