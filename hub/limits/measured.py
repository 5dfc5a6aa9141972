"""The shape of a limit on a number measured on the operation (depth, aliases)."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from typing import ClassVar

from graphql import DocumentNode, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from hub.limits.document import find_operation
from hub.limits.errors import limit_error, operation_label, refuse


class MeasuredLimit(SchemaExtension, abc.ABC):
    """Refuses an operation whose :meth:`measure` exceeds ``limit`` (0: no limit),
    before it is validated or executed, with the error ``code``."""

    code: ClassVar[str]

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    @abc.abstractmethod
    def measure(self, document: DocumentNode, operation: OperationDefinitionNode) -> int:
        """The number the limit applies to."""

    @abc.abstractmethod
    def explain(self, label: str, actual: int) -> str:
        """The error's message: what was exceeded and how to fix it."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = find_operation(document, context.operation_name) if document else None
        if self.limit and document is not None and operation is not None:
            actual = self.measure(document, operation)
            if actual > self.limit:
                message = self.explain(operation_label(operation), actual)
                refuse(
                    context,
                    limit_error(
                        self.code, message, limit=self.limit, actual=actual, nodes=operation
                    ),
                )
        yield


__all__ = ["MeasuredLimit"]
