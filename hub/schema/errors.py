"""Turning whatever went wrong into GraphQL errors with a stable ``extensions.code``.

Every error in a response carries a code a portal can switch on:

- ``GRAPHQL_PARSE_FAILED`` and ``GRAPHQL_VALIDATION_FAILED`` for a bad document,
- ``BAD_USER_INPUT`` for variables of the wrong type and arguments of the wrong shape,
- the contract's codes (``AGENCY_UNAVAILABLE``, ``NOT_FOUND``, ...) with ``agency``,
- ``INTERNAL_SERVER_ERROR`` for anything unexpected: its message is replaced by one
  with an error id, and the log line with the stack trace carries the same id.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from hub.connector import HubError

log = logging.getLogger(__name__)


def agency_error(error: HubError, path: list[str | int] | None = None) -> GraphQLError:
    """The GraphQL error that reports ``error``, e.g. for an agency that failed."""
    return GraphQLError(describe(error), path=path, extensions=error.extensions())


def describe(error: HubError) -> str:
    """The message of a hub error, prefixed by the agency it concerns."""
    return f"{error.agency}: {error.message}" if error.agency else error.message


class HubErrors(SchemaExtension):
    """Adds codes to every error and the partial results' errors to the response."""

    def __init__(self) -> None:
        self._validation_errors: set[int] = set()

    def on_validate(self) -> Iterator[None]:
        yield
        self._validation_errors = {id(e) for e in self.execution_context.pre_execution_errors or ()}

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None:
            return
        context = self.execution_context.context
        errors = list(getattr(result, "errors", None) or [])
        errors.extend(getattr(context, "partial_errors", ()))
        if errors:
            has_data = getattr(result, "data", None) is not None
            result.errors = [self._coded(error, has_data) for error in errors]

    def get_results(self) -> dict[str, Any]:
        """``staleAnswers``: the answers served from the cache while their agency failed."""
        stale = getattr(self.execution_context.context, "stale_answers", None)
        return {"staleAnswers": stale} if stale else {}

    def _coded(self, error: GraphQLError, has_data: bool) -> GraphQLError:
        return coded(error, has_data=has_data, invalid=id(error) in self._validation_errors)


def coded(error: GraphQLError, *, has_data: bool, invalid: bool = False) -> GraphQLError:
    """``error`` with its ``extensions.code`` (see the module's docstring); ``invalid``
    when it is a validation error of the document. Unexpected errors are masked."""
    if error.extensions and "code" in error.extensions:
        return error
    original = error.original_error
    if isinstance(original, HubError):
        return _with(error, describe(original), original.extensions())
    if isinstance(error, GraphQLSyntaxError):
        return _with(error, error.message, {"code": "GRAPHQL_PARSE_FAILED"})
    if invalid:
        return _with(error, error.message, {"code": "GRAPHQL_VALIDATION_FAILED"})
    coercion = original is None or isinstance(original, GraphQLError)
    if coercion and not error.path and not has_data:
        return _with(error, error.message, {"code": "BAD_USER_INPUT"})
    return _masked(error)


def _masked(error: GraphQLError) -> GraphQLError:
    error_id = uuid.uuid4().hex[:12]
    log.error(
        "internal error %s at %s: %s",
        error_id,
        error.path,
        error.message,
        exc_info=error.original_error,
    )
    return _with(
        error,
        f"Internal server error (error id {error_id}); the hub's log has the details.",
        {"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
    )


def _with(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions={**(error.extensions or {}), **extensions},
    )


__all__ = ["HubErrors", "agency_error", "coded", "describe"]
