"""The alias limit: how many aliased fields an operation has (``TOO_MANY_ALIASES``).

Aliases let one request ask the same costly field many times (``a1: services ...
a2: services ...``); each aliased field counts once for every place it appears in the
executed operation, fragments included.
"""

from __future__ import annotations

from graphql import DocumentNode, FieldNode, OperationDefinitionNode, SelectionSetNode

from hub.limits.document import Fragments, collect, find_operation
from hub.limits.errors import TOO_MANY_ALIASES
from hub.limits.measured import MeasuredLimit


def operation_aliases(document: DocumentNode, operation_name: str | None = None) -> int:
    """How many aliased fields the operation has; 0 when the operation is unclear."""
    operation = find_operation(document, operation_name)
    return 0 if operation is None else _Aliases(document).of(operation)


class _Aliases:
    def __init__(self, document: DocumentNode) -> None:
        self.fragments = Fragments(document)
        self.own: dict[str, int] = {}
        for name in self.fragments.order:
            level = self.fragments.levels[name]
            self.own[name] = sum(self.field(f) for f, _ in level.fields)

    def of(self, operation: OperationDefinitionNode) -> int:
        return self.selection(operation.selection_set)

    def selection(self, selection_set: SelectionSetNode) -> int:
        level = collect(selection_set)
        count = sum(self.field(f) for f, _ in level.fields)
        return count + sum(self.own.get(name, 0) for name in self.fragments.closure(level.spreads))

    def field(self, node: FieldNode) -> int:
        inner = self.selection(node.selection_set) if node.selection_set else 0
        return inner + (1 if node.alias else 0)


class AliasLimit(MeasuredLimit):
    """Refuses an operation with more than ``limit`` aliased fields (0: no limit), before
    it is validated or executed."""

    code = TOO_MANY_ALIASES

    def measure(self, document: DocumentNode, operation: OperationDefinitionNode) -> int:
        return _Aliases(document).of(operation)

    def explain(self, label: str, actual: int) -> str:
        return (
            f"{label} has {actual} aliased fields; the limit is {self.limit}: "
            "ask for each field once, or split the query into several requests"
        )


__all__ = ["AliasLimit", "operation_aliases"]
