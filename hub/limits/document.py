"""Walking a document's selections through fragments: once per fragment, never in circles.

A selection set's *level* is what execution collects for one object: its fields, the
fields of its inline fragments, and the fields of the fragments it spreads, transitively,
each named fragment once (as GraphQL's ``CollectFields`` does). Measures are computed for
each fragment's own level once, in :attr:`Fragments.order` (a fragment after those it
spreads), so a fragment spread a thousand times is walked once, a chain of fragments does
not nest Python calls, and a cycle (which validation refuses anyway) is cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_operation_ast,
)


@dataclass(slots=True)
class Level:
    """The selections of one selection set, through its inline fragments but not its spreads."""

    fields: list[tuple[FieldNode, str | None]] = field(default_factory=list)
    """Each field, with the type condition it sits under (``None``: the set's own type)."""
    spreads: list[str] = field(default_factory=list)
    """Names of the fragments spread at this level, in order, each once."""


def collect(selection_set: SelectionSetNode) -> Level:
    """The fields and spreads of ``selection_set``'s own level."""
    level = Level()
    stack: list[tuple[SelectionSetNode, str | None]] = [(selection_set, None)]
    while stack:
        selections, condition = stack.pop()
        for selection in reversed(selections.selections):
            if isinstance(selection, FieldNode):
                level.fields.append((selection, condition))
            elif isinstance(selection, InlineFragmentNode):
                inner = selection.type_condition
                stack.append((selection.selection_set, inner.name.value if inner else condition))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in level.spreads:
                    level.spreads.append(name)
    level.fields.reverse()
    level.spreads.reverse()
    return level


class Fragments:
    """The named fragments of a document."""

    def __init__(self, document: DocumentNode) -> None:
        self.definitions: dict[str, FragmentDefinitionNode] = {}
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                self.definitions.setdefault(definition.name.value, definition)
        self.levels = {
            name: collect(definition.selection_set) for name, definition in self.definitions.items()
        }
        self.order = self._dependency_order()
        """Every fragment's name, each after the fragments it spreads at any depth (in a
        cycle, one of them comes first)."""

    def closure(self, spreads: list[str]) -> list[str]:
        """The fragments a level gets through ``spreads``: those, and the fragments spread
        at their own levels, transitively; each once, unknown names left out."""
        seen: set[str] = set()
        found: list[str] = []
        stack = list(reversed(spreads))
        while stack:
            name = stack.pop()
            if name in seen or name not in self.definitions:
                continue
            seen.add(name)
            found.append(name)
            stack.extend(reversed(self.levels[name].spreads))
        return found

    def _dependency_order(self) -> list[str]:
        needs = {
            name: _spreads_anywhere(definition.selection_set)
            for name, definition in self.definitions.items()
        }
        order: list[str] = []
        state: dict[str, int] = {}  # 1: being ordered, 2: ordered
        for root in self.definitions:
            if root in state:
                continue
            state[root] = 1
            stack = [(root, iter(needs[root]))]
            while stack:
                name, pending = stack[-1]
                following = next(pending, None)
                if following is None:
                    stack.pop()
                    state[name] = 2
                    order.append(name)
                elif following in needs and following not in state:
                    state[following] = 1
                    stack.append((following, iter(needs[following])))
        return order


def _spreads_anywhere(selection_set: SelectionSetNode) -> list[str]:
    names: list[str] = []
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif (
                isinstance(selection, FieldNode | InlineFragmentNode)
                and selection.selection_set is not None
            ):
                stack.append(selection.selection_set)
    return names


def find_operation(
    document: DocumentNode, operation_name: str | None = None
) -> OperationDefinitionNode | None:
    """The operation a request runs: the one named, else the only one; ``None`` if unclear."""
    return get_operation_ast(document, operation_name)


__all__ = ["Fragments", "Level", "collect", "find_operation"]
