"""The depth limit: how many levels of fields an operation nests (``QUERY_TOO_DEEP``)."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import DocumentNode, FieldNode, OperationDefinitionNode, SelectionSetNode
from strawberry.extensions import SchemaExtension

from hub.limits.document import Fragments, collect, find_operation
from hub.limits.errors import QUERY_TOO_DEEP, limit_error, operation_label, refuse


def operation_depth(document: DocumentNode, operation_name: str | None = None) -> int:
    """How deep the operation nests: ``{ a { b } }`` is 2; fragments add no level of their
    own. Introspection fields (``__schema``, ``__type``, ``__typename``) and what they
    select do not count. 0 when the operation is unclear."""
    operation = find_operation(document, operation_name)
    return 0 if operation is None else _Depths(document).of(operation)


class _Depths:
    def __init__(self, document: DocumentNode) -> None:
        self.fragments = Fragments(document)
        self.own: dict[str, int] = {}
        for name in self.fragments.order:
            level = self.fragments.levels[name]
            self.own[name] = max((self.field(f) for f, _ in level.fields), default=0)

    def of(self, operation: OperationDefinitionNode) -> int:
        return self.selection(operation.selection_set)

    def selection(self, selection_set: SelectionSetNode) -> int:
        level = collect(selection_set)
        depth = max((self.field(f) for f, _ in level.fields), default=0)
        for name in self.fragments.closure(level.spreads):
            depth = max(depth, self.own.get(name, 0))
        return depth

    def field(self, node: FieldNode) -> int:
        if node.name.value.startswith("__"):
            return 0
        return 1 + (self.selection(node.selection_set) if node.selection_set else 0)


class DepthLimit(SchemaExtension):
    """Refuses an operation nested deeper than ``limit`` levels (0: no limit), before it
    is validated or executed."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = find_operation(document, context.operation_name) if document else None
        if self.limit and document is not None and operation is not None:
            depth = _Depths(document).of(operation)
            if depth > self.limit:
                refuse(
                    context,
                    limit_error(
                        QUERY_TOO_DEEP,
                        f"{operation_label(operation)} nests {depth} levels deep; the limit "
                        f"is {self.limit}: ask for fewer nested fields, or split the query",
                        limit=self.limit,
                        actual=depth,
                        nodes=operation,
                    ),
                )
        yield


__all__ = ["DepthLimit", "operation_depth"]
