"""The depth limit: how many levels of fields an operation nests (``QUERY_TOO_DEEP``)."""

from __future__ import annotations

from graphql import DocumentNode, FieldNode, OperationDefinitionNode, SelectionSetNode

from hub.limits.document import Fragments, collect, find_operation
from hub.limits.errors import QUERY_TOO_DEEP
from hub.limits.measured import MeasuredLimit


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


class DepthLimit(MeasuredLimit):
    """Refuses an operation nested deeper than ``limit`` levels (0: no limit), before it
    is validated or executed."""

    code = QUERY_TOO_DEEP

    def measure(self, document: DocumentNode, operation: OperationDefinitionNode) -> int:
        return _Depths(document).of(operation)

    def explain(self, label: str, actual: int) -> str:
        return (
            f"{label} nests {actual} levels deep; the limit is {self.limit}: "
            "ask for fewer nested fields, or split the query"
        )


__all__ = ["DepthLimit", "operation_depth"]
