"""Reading a GraphQL request off HTTP: size limits, CSRF defence, one operation or a batch.

- ``POST`` with ``Content-Type: application/json`` holds one operation, or a JSON array
  of at most ``max_batch`` operations (a batch); ``GET`` holds one operation in
  ``?query=``. The body is read up to ``max_body_bytes`` (``413`` beyond).
- A ``POST`` whose content type a browser may send cross-site without a preflight
  (``text/plain``, ``application/x-www-form-urlencoded``, ``multipart/form-data``, or
  none) is refused unless it carries a header that forces a preflight
  (:data:`PREFLIGHT_HEADERS`): the CSRF defence of common GraphQL gateways.
- ``POST`` with ``Content-Type: multipart/form-data`` (past that check) carries files
  with the operations, as the GraphQL multipart request specification says
  (:mod:`hub.http.uploads`): at most ``max_files`` of at most ``max_file_bytes`` each;
  an endpoint whose ``max_files`` is 0 takes none (``415``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request

from hub.http.uploads import MULTIPART, UploadLimits, UploadRefused, read_multipart

JSON = "application/json"
SIMPLE_CONTENT_TYPES = frozenset(
    {"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}
)
"""Content types a cross-site form or ``fetch`` may send without a CORS preflight."""
PREFLIGHT_HEADERS = ("graphql-require-preflight", "apollo-require-preflight", "x-requested-with")
"""Headers a browser sends cross-site only after a preflight the hub does not approve."""


class RequestError(Exception):
    """The HTTP request is not a well-formed GraphQL request; ``code`` goes to the body."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: Mapping[str, str] | None = None,
        *,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})
        self.code = code or HTTP_ERROR_CODES.get(status, "BAD_REQUEST")


HTTP_ERROR_CODES = {
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "PAYLOAD_TOO_LARGE",
    414: "URI_TOO_LONG",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
}


@dataclass(frozen=True, slots=True)
class GraphQLParams:
    """The parameters of one GraphQL operation."""

    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    """The operations of one HTTP request; ``batched`` when the body was a JSON array."""

    operations: list[GraphQLParams]
    batched: bool


@dataclass(frozen=True, slots=True)
class RequestLimits:
    """How much one HTTP request may carry."""

    max_body_bytes: int = 1_000_000
    max_batch: int = 10
    max_files: int = 0
    """Files a multipart request may carry; 0: the endpoint takes no multipart requests."""
    max_file_bytes: int = 10 * 1024 * 1024


async def read_request(request: Request, limits: RequestLimits) -> GraphQLRequest:
    """The operations of ``request``; :class:`RequestError` when it is malformed."""
    if request.method == "GET":
        if len(request.url.query) > limits.max_body_bytes:
            raise RequestError(414, "the query string is too long; send the query with POST")
        query_params = request.query_params
        data: Any = {
            "query": query_params.get("query"),
            "operationName": query_params.get("operationName"),
            "variables": _json_param(query_params.get("variables"), "variables"),
            "extensions": _json_param(query_params.get("extensions"), "extensions"),
        }
        return GraphQLRequest([params_of(data)], batched=False)
    if request.method != "POST":
        raise RequestError(405, "GraphQL requests use GET or POST", {"Allow": "GET, POST"})
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    check_csrf(request, content_type)
    if content_type == MULTIPART and limits.max_files > 0:
        data = await _multipart(request, limits)
    elif content_type != JSON:
        files = f" (or {MULTIPART} with files)" if limits.max_files > 0 else ""
        raise RequestError(
            415, f"POST bodies must be {JSON}{files}, got {content_type or 'no content type'!r}"
        )
    else:
        try:
            data = orjson.loads(await read_body(request, limits.max_body_bytes))
        except orjson.JSONDecodeError:
            raise RequestError(400, "the request body is not valid JSON") from None
    if isinstance(data, list):
        return GraphQLRequest(_batch_of(data, limits.max_batch), batched=True)
    return GraphQLRequest([params_of(data)], batched=False)


def check_csrf(request: Request, content_type: str) -> None:
    """Refuse a simple cross-site request that carries no preflight-forcing header."""
    if content_type not in SIMPLE_CONTENT_TYPES:
        return
    if any(header in request.headers for header in PREFLIGHT_HEADERS):
        return
    raise RequestError(
        400,
        f"this POST could be a cross-site request forgery: send Content-Type: {JSON}, or add "
        "the header 'GraphQL-Require-Preflight: 1'",
        code="CSRF_REJECTED",
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The body of ``request``, refused with ``413`` as soon as it passes ``limit`` bytes."""
    too_large = RequestError(
        413, f"the request body is larger than {limit} bytes; send a smaller query"
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def _multipart(request: Request, limits: RequestLimits) -> Any:
    uploads = UploadLimits(limits.max_files, limits.max_file_bytes, limits.max_body_bytes)
    try:
        return await read_multipart(request, uploads)
    except UploadRefused as exc:
        raise RequestError(exc.status, exc.message, code=exc.code) from None


def _batch_of(data: list[Any], max_batch: int) -> list[GraphQLParams]:
    if not data:
        raise RequestError(400, "the batch is empty; send at least one operation")
    if len(data) > max_batch:
        raise RequestError(
            400,
            f"the batch holds {len(data)} operations; the limit is {max_batch}: "
            "split it into several requests",
            code="BATCH_TOO_LARGE",
        )
    return [params_of(item) for item in data]


def params_of(data: Any) -> GraphQLParams:
    """The operation in ``data`` (a decoded JSON object); :class:`RequestError` if malformed."""
    if not isinstance(data, dict):
        raise RequestError(400, "each operation must be a JSON object with a 'query'")
    query, variables = data.get("query"), data.get("variables")
    operation_name, extensions = data.get("operationName"), data.get("extensions")
    if not isinstance(query, str) or not query.strip():
        raise RequestError(400, "'query' must be a non-empty string holding a GraphQL document")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(400, "'variables' must be a JSON object or null")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "'operationName' must be a string or null")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError(400, "'extensions' must be a JSON object or null")
    return GraphQLParams(query, variables, operation_name, extensions)


def _json_param(raw: str | None, name: str) -> Any:
    if raw is None or raw == "":
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise RequestError(400, f"the {name!r} parameter is not valid JSON") from None


__all__ = [
    "PREFLIGHT_HEADERS",
    "GraphQLParams",
    "GraphQLRequest",
    "RequestError",
    "RequestLimits",
    "check_csrf",
    "params_of",
    "read_body",
    "read_request",
]
