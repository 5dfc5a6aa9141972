"""What streaming transports (WebSocket, Server-Sent Events) share: the caller from a
token, the payload of a result, and running one operation as a stream of results."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Any

import jwt
from graphql import GraphQLError
from starlette.requests import HTTPConnection
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from hub.errors import HubError
from hub.http.auth import bearer_token
from hub.http.reading import GraphQLParams
from hub.identity import ANONYMOUS, Caller
from hub.identity.tokens import TokenRejected, TokenVerifier
from hub.schema import HubContext, HubSchema
from hub.schema.errors import coded

ContextFactory = Callable[[HTTPConnection, Caller], HubContext]


class TokenAuthenticator:
    """The caller of a bearer token given outside an ``Authorization`` header (the
    WebSocket ``connection_init`` payload): unlike HTTP, a bad token is refused."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self.verifier = verifier

    async def caller(self, token: str | None) -> Caller:
        """``ANONYMOUS`` without a token; :class:`TokenRejected` for a bad one."""
        if token is None:
            return ANONYMOUS
        return await self.verifier.verify(token)


def token_of(payload: object) -> str | None:
    """The bearer token in a ``connection_init`` payload: ``{"authorization": "Bearer …"}``
    (any capitalisation of the key) or ``{"token": "…"}``; ``TokenRejected`` when the
    payload has one in another shape."""
    if payload is None:
        return None
    if not isinstance(payload, dict):
        raise TokenRejected("the connection_init payload must be an object")
    lowered = {str(key).lower(): value for key, value in payload.items()}
    if "authorization" in lowered:
        bearer = bearer_token(str(lowered["authorization"]))
        if bearer is None:
            raise TokenRejected("'authorization' must be 'Bearer <token>'")
        return bearer
    if "token" in lowered:
        token = lowered["token"]
        if not isinstance(token, str) or not token.strip():
            raise TokenRejected("'token' must be the bearer token, a non-empty string")
        return token.strip()
    return None


def expires_at(token: str) -> float | None:
    """The ``exp`` claim of a token already verified, in seconds since 1970."""
    claims = jwt.decode(token, options={"verify_signature": False})
    exp = claims.get("exp")
    return float(exp) if isinstance(exp, int | float) else None


def result_payload(result: ExecutionResult) -> dict[str, Any]:
    """The GraphQL response of one result, as streaming transports send it."""
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    return payload


async def run_operation(
    schema: HubSchema,
    context: HubContext,
    params: GraphQLParams,
    allowed: tuple[OperationType, ...],
) -> AsyncGenerator[ExecutionResult, None]:
    """Run one operation and yield its results: one for a query or mutation, one per event for a
    subscription. A :class:`PreExecutionError` (a bad document, wrong variables) is
    yielded alone; a :class:`HubError` that ends a subscription's stream is yielded as
    its last result."""
    stream = await schema.stream(
        params.query,
        variable_values=params.variables,
        context_value=context,
        operation_name=params.operation_name,
        operation_extensions=params.extensions,
        allowed_operation_types=allowed,
    )
    try:
        async for result in stream:
            if not isinstance(result, ExecutionResult):
                raise TypeError(f"incremental delivery is not supported: {result!r}")
            invalid = isinstance(result, PreExecutionError)
            has_data = result.data is not None
            result.errors = [
                coded(error, has_data=has_data, invalid=invalid and not _of_variables(error))
                for error in result.errors or ()
            ] or None
            yield result
            if invalid:
                return
    except HubError as exc:
        yield ExecutionResult(
            data=None, errors=[GraphQLError(exc.message, extensions=exc.extensions())]
        )


def _of_variables(error: GraphQLError) -> bool:
    """Whether a pre-execution error is about the variables' values (BAD_USER_INPUT),
    not the document; graphql-core words every such error this way."""
    return error.message.startswith("Variable '$")


__all__ = [
    "ContextFactory",
    "TokenAuthenticator",
    "expires_at",
    "result_payload",
    "run_operation",
    "token_of",
]
