"""Reading a GraphQL multipart request: files sent with the operations.

The GraphQL multipart request specification
(https://github.com/jaydenseric/graphql-multipart-request-spec): a
``multipart/form-data`` POST whose parts are, in this order,

1. ``operations``: the operation as JSON (an array of them for a batch), with
   ``null`` wherever a file goes;
2. ``map``: JSON mapping the name of each file part to the paths it fills, e.g.
   ``{"0": ["variables.input.attachments.0"]}`` (``"0.variables..."`` in a batch);
3. the files, one part each, named as in the map.

The limits hold while the body streams in, so that a request over them is refused
(``413``) before anything is kept: at most ``max_files`` files
(``TOO_MANY_ATTACHMENTS``), each at most ``max_file_bytes`` (``ATTACHMENT_TOO_LARGE``),
``operations`` and ``map`` at most ``max_field_bytes`` each (``PAYLOAD_TOO_LARGE``). A
request that breaks the specification (parts out of order, JSON that does not parse, a
path that does not lead to a ``null`` in the variables, a file part missing from the
map or from the request) is ``400``.

Each file becomes an :class:`~hub.tickets.UploadedFile` in place of its ``null``: the
bytes are spooled (in memory up to 1 MiB, then in an anonymous temporary file) and
closed by :func:`close_uploads` once the response is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from tempfile import SpooledTemporaryFile
from typing import TYPE_CHECKING, Any

import orjson
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request
from starlette.types import Scope

from hub.tickets import UploadedFile

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MULTIPART = "multipart/form-data"
OPERATIONS, MAP = "operations", "map"
SCOPE_KEY = "hub.uploads"
"""Where the files of a request are listed in its ASGI scope, for :func:`close_uploads`."""
_SPOOL_BYTES = 1024 * 1024
_PART_OVERHEAD = 16 * 1024
"""Room for a part's boundary and headers when bounding the whole body."""


class UploadRefused(Exception):
    """The multipart request breaks the specification or a limit."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """How much one multipart request may carry."""

    max_files: int
    max_file_bytes: int
    max_field_bytes: int

    @property
    def max_body_bytes(self) -> int:
        """The largest body that can hold what the other limits allow."""
        fields = 2 * (self.max_field_bytes + _PART_OVERHEAD)
        return fields + self.max_files * (self.max_file_bytes + _PART_OVERHEAD) + _PART_OVERHEAD


async def read_multipart(request: Request, limits: UploadLimits) -> Any:
    """The operations of a multipart ``request`` (a JSON object, or an array for a
    batch), each file in place of the ``null`` its map paths point at;
    :class:`UploadRefused` if the request breaks the specification or a limit."""
    _, options = parse_options_header(request.headers.get("content-type"))
    boundary = options.get(b"boundary")
    if not boundary:
        raise UploadRefused(400, "the multipart Content-Type has no boundary parameter")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_body_bytes:
        raise _body_too_large(limits)
    parts = _Parts(limits, request.scope.setdefault(SCOPE_KEY, []))
    try:
        parser = MultipartParser(boundary, parts.callbacks())
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limits.max_body_bytes:
                raise _body_too_large(limits)
            parser.write(chunk)
        parser.finalize()
        return parts.operations_with_files()
    except FormParserError as exc:
        close_uploads(request.scope)
        raise UploadRefused(400, f"the multipart body is malformed: {exc}") from None
    except BaseException:
        close_uploads(request.scope)
        raise


def close_uploads(scope: Scope) -> None:
    """Close the files read from the request of ``scope``."""
    for file in scope.pop(SCOPE_KEY, ()):
        file.close()


class _Parts:
    """The parts of one multipart body, taken in as the parser finds them."""

    def __init__(self, limits: UploadLimits, opened: list[UploadedFile]) -> None:
        self.limits = limits
        self.opened = opened
        self.operations: Any = None
        self.map: dict[str, list[str]] | None = None
        self.files: dict[str, UploadedFile] = {}
        self.ended = False
        self._headers: dict[bytes, bytes] = {}
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._name = ""
        self._field: bytearray | None = None
        self._file: UploadedFile | None = None

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_end": self.on_end,
        }

    def on_part_begin(self) -> None:
        self._headers = {}
        self._field = None
        self._file = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[bytes(self._header_name).lower()] = bytes(self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition"))
        if b"name" not in options:
            raise UploadRefused(
                400,
                "each part needs a header 'Content-Disposition: form-data; name=\"...\"'",
            )
        self._name = options[b"name"].decode("utf-8", "replace")
        expected = OPERATIONS if self.operations is None else MAP if self.map is None else None
        if expected is not None:
            if self._name != expected:
                raise UploadRefused(
                    400,
                    f"the part {expected!r} must come before {self._name!r}: send "
                    "'operations', then 'map', then the files",
                )
            self._field = bytearray()
            return
        filename = options.get(b"filename", self._name.encode()).decode("utf-8", "replace")
        self._file = self._open(filename, self._headers.get(b"content-type"))

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None:
            self._file.size += end - start
            if self._file.size > self.limits.max_file_bytes:
                raise UploadRefused(
                    413,
                    f"the file {self._file.filename!r} is larger than "
                    f"{self.limits.max_file_bytes:,} bytes, the largest the hub keeps",
                    "ATTACHMENT_TOO_LARGE",
                )
            self._file.content.write(data[start:end])
        elif self._field is not None:
            if len(self._field) + end - start > self.limits.max_field_bytes:
                raise UploadRefused(
                    413,
                    f"the part {self._name!r} is larger than {self.limits.max_field_bytes:,} "
                    "bytes; send a smaller query",
                )
            self._field += data[start:end]

    def on_part_end(self) -> None:
        if self._field is None:
            return
        if self.operations is None:
            self.operations = _operations(_json(self._field, OPERATIONS))
        else:
            self.map = _map(_json(self._field, MAP), self.operations, self.limits.max_files)

    def on_end(self) -> None:
        self.ended = True

    def operations_with_files(self) -> Any:
        """The operations with the files in place; every mapped file must have come."""
        if not self.ended:
            raise UploadRefused(400, "the multipart body ends before its closing boundary")
        if self.operations is None or self.map is None:
            missing = OPERATIONS if self.operations is None else MAP
            raise UploadRefused(400, f"the multipart request has no {missing!r} part")
        for name, paths in self.map.items():
            file = self.files.get(name)
            if file is None:
                raise UploadRefused(
                    400, f"the map names the file part {name!r}, but the request carries none"
                )
            for path in paths:
                _place(self.operations, path, file)
        return self.operations

    def _open(self, filename: str, content_type: bytes | None) -> UploadedFile:
        assert self.map is not None
        if self._name not in self.map:
            raise UploadRefused(
                400,
                f"the file part {self._name!r} is not in the map; map each file part to the "
                "variables it fills",
            )
        if self._name in self.files:
            raise UploadRefused(400, f"the request carries the file part {self._name!r} twice")
        if len(self.files) >= self.limits.max_files:
            raise _too_many(self.limits.max_files)
        declared = None if content_type is None else content_type.decode("latin-1").strip()
        # Closed by close_uploads once the response is sent.
        spool: SpooledTemporaryFile[bytes] = SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
        file = UploadedFile(filename=filename, content_type=declared, content=spool)
        self.opened.append(file)
        self.files[self._name] = file
        return file


def _json(data: bytearray, name: str) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        raise UploadRefused(400, f"the {name!r} part is not valid JSON") from None


def _operations(data: Any) -> Any:
    if not isinstance(data, dict | list):
        raise UploadRefused(
            400, "the 'operations' part must be a JSON object (or an array of them for a batch)"
        )
    return data


def _map(data: Any, operations: Any, max_files: int) -> dict[str, list[str]]:
    shape = (
        isinstance(data, dict)
        and all(isinstance(paths, list) and paths for paths in data.values())
        and all(isinstance(path, str) for paths in data.values() for path in paths)
    )
    if not shape:
        raise UploadRefused(
            400,
            "the 'map' part must be a JSON object mapping each file part's name to a "
            'non-empty list of paths, e.g. {"0": ["variables.input.attachments.0"]}',
        )
    mapping: dict[str, list[str]] = data
    if len(mapping) > max_files:
        raise _too_many(max_files)
    for paths in mapping.values():
        for path in paths:
            _slot(operations, path)
    return mapping


def _place(operations: Any, path: str, file: UploadedFile) -> None:
    container, key = _slot(operations, path)
    container[key] = file


def _slot(operations: Any, path: str) -> tuple[Any, Any]:
    """The container and key at ``path``, which must hold ``null`` in the variables."""
    wrong = UploadRefused(
        400,
        f"the map path {path!r} does not lead to a null in the operations' variables; each "
        "path names where a file goes, e.g. variables.input.attachments.0, with null there",
    )
    segments = path.split(".")
    within = segments[1:] if isinstance(operations, list) else segments
    if len(within) < 2 or within[0] != "variables":
        raise wrong
    container: Any = None
    key: Any = None
    value: Any = operations
    for segment in segments:
        container = value
        if isinstance(value, dict) and segment in value:
            key = segment
        elif isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
            key = int(segment)
        else:
            raise wrong
        value = container[key]
    if value is not None:
        raise wrong
    return container, key


def _too_many(max_files: int) -> UploadRefused:
    return UploadRefused(
        413,
        f"the request carries more than {max_files} files, the most one request (and one "
        "ticket) may carry",
        "TOO_MANY_ATTACHMENTS",
    )


def _body_too_large(limits: UploadLimits) -> UploadRefused:
    return UploadRefused(
        413,
        f"the multipart body is larger than {limits.max_body_bytes:,} bytes, more than "
        f"{limits.max_files} files of {limits.max_file_bytes:,} bytes need",
    )


__all__ = [
    "MULTIPART",
    "SCOPE_KEY",
    "UploadLimits",
    "UploadRefused",
    "close_uploads",
    "read_multipart",
]
