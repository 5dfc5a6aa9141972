"""Cost analysis: what an operation is estimated to cost, before it runs.

See :mod:`hub.limits` for the rules; this module applies them to a parsed document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
)
from strawberry import Schema

from hub.limits.config import QueryLimits
from hub.limits.directives import Cost, ListSize
from hub.limits.document import Fragments, collect, find_operation
from hub.limits.errors import reported

D = TypeVar("D")

CONNECTION_SLICING = ("first", "last")
"""Arguments that size a Relay connection that declares no ``@listSize``."""
CONNECTION_SIZED = ("edges", "nodes")
"""Fields of a Relay connection whose length those arguments give."""

_STRAWBERRY_DEFINITION = "strawberry-definition"


def operation_cost(
    document: DocumentNode,
    schema: Schema | GraphQLSchema,
    variables: Mapping[str, Any] | None = None,
    limits: QueryLimits | None = None,
    operation_name: str | None = None,
) -> int:
    """The estimated cost of the operation ``operation_name`` (or the only one) of
    ``document``, with the request's ``variables``; 0 when the operation is unclear.

    Safe on documents that have not been validated: unknown fields, types and fragments
    cost nothing, and fragment cycles are cut. Costs above 2^53 - 1 are reported as that.
    """
    operation = find_operation(document, operation_name)
    if operation is None:
        return 0
    graphql_schema = schema._schema if isinstance(schema, Schema) else schema
    costing = _Costing(document, graphql_schema, operation, variables or {}, limits)
    return reported(costing.total())


@dataclass(slots=True)
class _Level:
    """The cost of one level of selections, and per field name what its fields cost, so
    that a parent with ``sizedFields`` can re-count them at its own size."""

    cost: int = 0
    counted: dict[str, int] = field(default_factory=dict)
    """Per field name: what those fields added to ``cost``."""
    each: dict[str, int] = field(default_factory=dict)
    """Per field name: what one item of those fields costs."""

    def add_field(self, name: str, cost: int, each: int) -> None:
        self.cost += cost
        self.counted[name] = self.counted.get(name, 0) + cost
        self.each[name] = self.each.get(name, 0) + each

    def add(self, other: _Level) -> None:
        for name, cost in other.counted.items():
            self.add_field(name, cost, other.each[name])

    def sized(self, names: Sequence[str], size: int) -> int:
        """The level's cost with the fields ``names`` counted ``size`` times each."""
        unique = set(names)
        return (
            self.cost
            - sum(self.counted.get(n, 0) for n in unique)
            + size * sum(self.each.get(n, 0) for n in unique)
        )


@dataclass(frozen=True, slots=True)
class _Sizing:
    slicing: tuple[str, ...]
    assumed: int | None
    sized_fields: tuple[str, ...]


class _Costing:
    def __init__(
        self,
        document: DocumentNode,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
        limits: QueryLimits | None,
    ) -> None:
        self.schema = schema
        self.operation = operation
        self.variables = variables
        self.defaults: dict[str, ValueNode] = {
            v.variable.name.value: v.default_value
            for v in operation.variable_definitions or ()
            if v.default_value is not None
        }
        self.default_list_size = (limits or QueryLimits()).default_list_size
        self.fragments = Fragments(document)
        self.own: dict[str, _Level] = {}
        for name in self.fragments.order:
            definition = self.fragments.definitions[name]
            on = schema.get_type(definition.type_condition.name.value)
            self.own[name] = self.fields(self.fragments.levels[name].fields, on)

    def total(self) -> int:
        root = {
            OperationType.QUERY: self.schema.query_type,
            OperationType.MUTATION: self.schema.mutation_type,
            OperationType.SUBSCRIPTION: self.schema.subscription_type,
        }[self.operation.operation]
        return self.selection(self.operation.selection_set, root).cost

    def selection(self, selection_set: SelectionSetNode, on: GraphQLNamedType | None) -> _Level:
        level = collect(selection_set)
        total = self.fields(level.fields, on)
        for name in self.fragments.closure(level.spreads):
            total.add(self.own.get(name, _Level()))
        return total

    def fields(
        self, fields: list[tuple[FieldNode, str | None]], on: GraphQLNamedType | None
    ) -> _Level:
        level = _Level()
        for node, condition in fields:
            parent = self.schema.get_type(condition) if condition else on
            if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
                continue  # a union's own fields are only __typename
            definition = parent.fields.get(node.name.value)
            if definition is None or node.name.value.startswith("__"):
                continue
            cost, each = self.field(node, definition)
            level.add_field(node.name.value, cost, each)
        return level

    def field(self, node: FieldNode, definition: GraphQLField) -> tuple[int, int]:
        """What the field costs in all, and per item."""
        named = get_named_type(definition.type)
        declared = _directive(definition, Cost)
        weight = declared.weight if declared else (1 if is_composite_type(named) else 0)
        inner = self.selection(node.selection_set, named) if node.selection_set else _Level()
        sizing = _sizing(definition, named)
        is_list = is_list_type(get_nullable_type(definition.type))
        if sizing and sizing.sized_fields:
            each = weight + inner.sized(sizing.sized_fields, self.size(node, definition, sizing))
            assumed = self.default_list_size if sizing.assumed is None else sizing.assumed
            count = assumed if is_list else 1
        else:
            each = weight + inner.cost
            count = self.size(node, definition, sizing) if is_list else 1
        return count * each, each

    def size(self, node: FieldNode, definition: GraphQLField, sizing: _Sizing | None) -> int:
        """The length of the list: the largest slicing argument given, else the assumed size."""
        values = (
            [self.argument(node, definition, name) for name in sizing.slicing] if sizing else []
        )
        given = [max(v, 0) for v in values if v is not None]
        if given:
            return max(given)
        if sizing and sizing.assumed is not None:
            return sizing.assumed
        return self.default_list_size

    def argument(self, node: FieldNode, definition: GraphQLField, name: str) -> int | None:
        """The whole-number value of argument ``name`` in this request, if it has one."""
        for argument in node.arguments or ():
            if argument.name.value == name:
                given = argument.value
                if not (
                    isinstance(given, VariableNode)
                    and given.name.value not in self.variables
                    and given.name.value not in self.defaults
                ):
                    return self.value(given)
                break  # a variable the request leaves out: the argument's default applies
        declared = definition.args.get(name)
        return _whole(declared.default_value) if declared else None

    def value(self, value: ValueNode) -> int | None:
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            name = value.name.value
            if name in self.variables:
                return _whole(self.variables[name])
            default = self.defaults.get(name)
            return self.value(default) if isinstance(default, IntValueNode) else None
        return None


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _directive(definition: GraphQLField, kind: type[D]) -> D | None:
    strawberry_field = (definition.extensions or {}).get(_STRAWBERRY_DEFINITION)
    for directive in getattr(strawberry_field, "directives", None) or ():
        if isinstance(directive, kind):
            return directive
    return None


def _sizing(definition: GraphQLField, named: GraphQLNamedType) -> _Sizing | None:
    declared = _directive(definition, ListSize)
    if declared is not None:
        return _Sizing(
            tuple(declared.slicing_arguments or ()),
            declared.assumed_size,
            tuple(declared.sized_fields or ()),
        )
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        slicing = tuple(a for a in CONNECTION_SLICING if a in definition.args)
        sized = tuple(f for f in CONNECTION_SIZED if f in named.fields)
        if slicing and sized:
            return _Sizing(slicing, None, sized)
    return None


__all__ = ["CONNECTION_SIZED", "CONNECTION_SLICING", "operation_cost"]
