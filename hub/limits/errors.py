"""The errors a refused request gets: a stable ``extensions.code`` and the numbers."""

from __future__ import annotations

from collections.abc import Sequence

from graphql import GraphQLError, Node, OperationDefinitionNode
from strawberry.types import ExecutionContext

QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"

MAX_REPORTED = 2**53 - 1
"""Numbers above this are reported as this: the largest whole number every JSON reader
(JavaScript's included) holds exactly."""


def reported(number: int) -> int:
    """``number``, capped at :data:`MAX_REPORTED`."""
    return min(number, MAX_REPORTED)


def limit_error(
    code: str,
    message: str,
    *,
    limit: int,
    actual: int | None = None,
    nodes: Sequence[Node] | Node | None = None,
) -> GraphQLError:
    """A GraphQL error saying a limit was exceeded, with ``extensions: {code, limit, actual}``."""
    extensions: dict[str, object] = {"code": code, "limit": limit}
    if actual is not None:
        extensions["actual"] = reported(actual)
    return GraphQLError(message, nodes, extensions=extensions)


def refuse(execution_context: ExecutionContext, error: GraphQLError) -> None:
    """Refuse the request with ``error`` before validation: Strawberry then neither validates
    the document further nor executes it."""
    execution_context.pre_execution_errors = [
        *(execution_context.pre_execution_errors or ()),
        error,
    ]


def operation_label(operation: OperationDefinitionNode) -> str:
    """How messages name an operation: ``the query``, ``the query Portal``, ``the mutation``."""
    kind = operation.operation.value
    return f"the {kind} {operation.name.value}" if operation.name else f"the {kind}"


__all__ = [
    "MAX_REPORTED",
    "QUERY_TOO_COSTLY",
    "QUERY_TOO_DEEP",
    "QUERY_TOO_LARGE",
    "TOO_MANY_ALIASES",
    "limit_error",
    "operation_label",
    "refuse",
    "reported",
]
