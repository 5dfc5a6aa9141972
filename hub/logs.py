"""Logging for the hub's processes: text or JSON lines, with personal data masked.

``configure_logging(level, fmt)`` sends every log record to standard error:

- :class:`MaskingRecordFactory` masks personal data and secrets in each record's
  message, arguments and traceback as the record is made, so every handler, the
  hub's or another's, gets them masked;
- on the hub's handler, :class:`RequestIdFilter` stamps the record with the current
  request id and :class:`MaskingFilter` masks its ``extra=`` fields;
- ``text`` writes ``2025-01-31 12:00:00,123 INFO hub.x [3f2a...]: message``;
  ``json`` (:class:`JsonFormatter`) writes one object per line: ``ts``, ``level``,
  ``logger``, ``message``, ``request_id`` (when set), the ``extra=`` fields, ``exc``.

Masked values name what they hid and keep a hint for support that is not enough to
recover them:

==========================  ==================================
KRA PIN ``A012345678Z``     ``[pin A...78Z]`` (A person, P company)
phone ``+254 712 345 678``  ``[phone ...678]``
e-mail ``jane@example.com`` ``[email j...@e....com]``
national ID ``12345678``    ``[national_id ...78]``
a name ``Jane Wanjiku``     ``[name J.W.]``
tokens, passwords, keys     ``[secret]``
==========================  ==================================

PINs, phones and e-mails are found anywhere in text. National IDs and names cannot
be told from other numbers and words, so they are masked by the field that holds
them: an ``extra=`` field, a key of a dict argument, or ``key=value`` /
``"key": "value"`` in the text. A field is a secret when its name holds ``token``,
``secret``, ``password``, ``authorization``, ``assertion``, ``api_key``, ``cookie``
or ``credential``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

from hub.observability.request_id import current_request_id

LogFormat = Literal["text", "json"]
FORMATS: tuple[LogFormat, ...] = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
TEXT_FORMAT_WITH_ID = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"

# --- what a field holds, from its name ----------------------------------------------

_SECRET_WORDS = (
    "token",
    "secret",
    "password",
    "passwd",
    "authorization",
    "assertion",
    "apikey",
    "api_key",
    "cookie",
    "credential",
    "private_key",
)
_PART_KINDS = {
    "pin": "pin",
    "phone": "phone",
    "msisdn": "phone",
    "mobile": "phone",
    "telephone": "phone",
    "tel": "phone",
    "email": "email",
    "name": "name",
    "surname": "name",
    "complainant": "name",
    "applicant": "name",
    "reporter": "name",
    "witness": "name",
    "suspect": "name",
}
_NATIONAL_ID_NAMES = ("national_id", "nationalid", "id_no", "idno", "id_number", "idnumber")
_NOT_A_PERSON = frozenset(
    [
        "agency",
        "operation",
        "file",
        "host",
        "service",
        "logger",
        "field",
        "type",
        "connector",
        "capability",
        "schema",
        "module",
        "func",
        "function",
        "table",
        "key",
        "class",
        "queue",
        "topic",
        "event",
        "metric",
        "short",
    ]
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def field_kind(name: str) -> str | None:
    """What a field called ``name`` holds: ``secret``, ``pin``, ``phone``, ``email``,
    ``national_id``, ``name``, or ``None`` for anything else."""
    normal = _CAMEL.sub("_", name).lower().replace("-", "_").replace(" ", "_")
    if any(word in normal for word in _SECRET_WORDS):
        return "secret"
    if any(word in normal for word in _NATIONAL_ID_NAMES):
        return "national_id"
    parts = [part for part in normal.split("_") if part]
    for part in parts:
        kind = _PART_KINDS.get(part) or _PART_KINDS.get(part.removesuffix("s"))
        if kind == "name" and _NOT_A_PERSON.intersection(parts):
            continue
        if kind is not None:
            return kind
    return None


# --- masking one value -------------------------------------------------------------

_PIN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\d{9}[A-Za-z](?![A-Za-z0-9])")
_EMAIL = re.compile(
    r"(?<![\w.!#$%&*+/=?^{|}~-])[\w.!#$%&*+/=?^{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+254|254|0)[ -]?[17]\d{2}[ -]?\d{3}[ -]?\d{3}"  # Kenyan mobile numbers
    r"|\+\d{1,3}(?:[ -]?\d){7,13}"  # any number in international form
    r")(?![\w])"
)
_BEARER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_JWT = re.compile(r"\beyJ[\w-]*\.[\w-]+\.[\w-]*")
_KEY_VALUE = re.compile(
    r"(?P<key>[A-Za-z_][\w-]*)"
    r"(?P<sep>[\"']?\s*[:=]\s*)"
    r"(?P<value>\"[^\"]*\"|'[^']*'|(?:(?:Bearer|Basic)\s+)?[^\s,;&}\])\"'\[][^\s,;&}\])\"']*)"
)
_ALREADY_MASKED = re.compile(r"\[(?:secret|pin|phone|email|national_id|name)(?: [^\]]*)?\]")


def _mask_pin(value: str) -> str:
    text = value.strip()
    if _PIN.fullmatch(text):
        return f"[pin {text[0]}...{text[-3:]}]"
    return "[pin]"


def _mask_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return f"[phone ...{digits[-3:]}]" if len(digits) >= 7 else "[phone]"


def _mask_email(value: str) -> str:
    local, at, domain = value.strip().partition("@")
    if not (at and local and "." in domain):
        return "[email]"
    return f"[email {local[0]}...@{domain[0]}....{domain.rsplit('.', 1)[1]}]"


def _mask_national_id(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return f"[national_id ...{digits[-2:]}]" if len(digits) >= 5 else "[national_id]"


def _mask_name(value: str) -> str:
    initials = [word[0].upper() for word in value.split() if word[:1].isalpha()][:4]
    return f"[name {'.'.join(initials)}.]" if initials else "[name]"


_MASKERS: dict[str, Callable[[str], str]] = {
    "secret": lambda value: "[secret]",
    "pin": _mask_pin,
    "phone": _mask_phone,
    "email": _mask_email,
    "national_id": _mask_national_id,
    "name": _mask_name,
}

# --- masking free text and values ----------------------------------------------------


def _mask_pair(match: re.Match[str]) -> str:
    kind = field_kind(match["key"])
    if kind is None:
        return match[0]
    value = match["value"]
    quote = value[0] if value[:1] in ("'", '"') else ""
    inner = value[1:-1] if quote else value
    if _ALREADY_MASKED.fullmatch(inner):
        return match[0]
    return f"{match['key']}{match['sep']}{quote}{_MASKERS[kind](inner)}{quote}"


def mask_text(text: str) -> str:
    """``text`` with personal data and secrets masked (see the module's table)."""
    text = _KEY_VALUE.sub(_mask_pair, text)
    text = _BEARER.sub(lambda m: f"{m[1]} [secret]", text)
    text = _JWT.sub("[secret]", text)
    text = _PIN.sub(lambda m: _mask_pin(m[0]), text)
    text = _EMAIL.sub(lambda m: _mask_email(m[0]), text)
    return _PHONE.sub(lambda m: _mask_phone(m[0]), text)


def mask_value(value: Any, key: str | None = None, *, objects_as_text: bool = False) -> Any:
    """``value`` masked as the field ``key`` (if any) asks, containers item by item.

    Strings come back masked; numbers, booleans and ``None`` stay as they are unless
    ``key`` names personal data. Items of a container under a personal key are masked
    as that kind unless their own key says otherwise. Other objects stay as they are
    (a message masks their text once formatted), or with ``objects_as_text`` become
    their masked ``str()``.
    """
    return _mask(value, field_kind(key) if key is not None else None, objects_as_text)


def _mask(value: Any, kind: str | None, objects_as_text: bool) -> Any:
    if isinstance(value, Mapping):
        masked: dict[str, Any] = {}
        for key, item in value.items():
            name = key if isinstance(key, str) else _safe_str(key)
            masked[name] = _mask(item, field_kind(name) or kind, objects_as_text)
        return masked
    if isinstance(value, list | tuple | set | frozenset):
        items = [_mask(item, kind, objects_as_text) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    if kind is not None and value is not None:
        return _MASKERS[kind](_safe_str(value))
    if isinstance(value, str):
        return mask_text(value)
    if objects_as_text and not isinstance(value, int | float | None):
        return mask_text(_safe_str(value))
    return value


def _safe_str(value: Any) -> str:
    try:
        return str(value)
    except Exception:
        return _safe_repr(value)


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception:
        return f"<unprintable {type(value).__name__}>"


# --- the filters and formatters ------------------------------------------------------

_RECORD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}
_MESSAGE_MASKED = "_hub_message_masked"
_EXTRAS_MASKED = "_hub_extras_masked"


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The fields ``extra=`` added to ``record``."""
    return {
        key: value
        for key, value in record.__dict__.items()
        if key not in _RECORD_FIELDS and key not in (_MESSAGE_MASKED, _EXTRAS_MASKED)
    }


class RequestIdFilter(logging.Filter):
    """Stamps each record with ``request_id``: the current request's id, or ``None``.

    An id given explicitly (``extra={"request_id": ...}``) is kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


class MaskingFilter(logging.Filter):
    """Masks personal data and secrets in a record before its handler writes it.

    The message is formatted with masked arguments (a record whose arguments do not
    fit its format keeps both, instead of failing), then masked as text; the
    traceback and stack text are masked too; extra fields are masked by name and
    content. Each part is masked once, however many filters see the record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        mask_message(record)
        if not getattr(record, _EXTRAS_MASKED, False):
            for key, value in extra_fields(record).items():
                setattr(record, key, mask_value(value, key, objects_as_text=True))
            setattr(record, _EXTRAS_MASKED, True)
        return True


class MaskingRecordFactory:
    """A log record factory masking each record's message as it is made.

    Installed by :func:`configure_logging` so that every handler, the hub's or not,
    gets masked messages. Extra fields are added to a record after it is made, so
    :class:`MaskingFilter` still masks those.
    """

    def __init__(self, inner: Callable[..., logging.LogRecord]) -> None:
        self.inner = inner

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.inner(*args, **kwargs)
        mask_message(record)
        return record


def mask_message(record: logging.LogRecord) -> None:
    """Mask ``record``'s message and arguments (formatting them into the message), its
    traceback and its stack; a record already masked is left alone."""
    if getattr(record, _MESSAGE_MASKED, False):
        return
    _mask_arguments(record)
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_text(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_text(record.stack_info)
    setattr(record, _MESSAGE_MASKED, True)


def _mask_arguments(record: logging.LogRecord) -> None:
    """Mask the message's template and each argument, keeping them apart so that
    formatters which read the arguments themselves (uvicorn's access log) still can;
    when they do not fit together, the message is formatted here and masked whole."""
    args = record.args
    if args:
        template = mask_text(_safe_str(record.msg))
        masked: Any = (
            mask_value(args, objects_as_text=True)
            if isinstance(args, Mapping)
            else tuple(mask_value(a, objects_as_text=True) for a in args)
        )
        try:
            template % masked
        except Exception:
            record.msg, record.args = mask_text(_message(record)), None
        else:
            record.msg, record.args = template, masked
        return
    record.msg = mask_text(_message(record))
    record.args = None


def _message(record: logging.LogRecord) -> str:
    msg = _safe_str(record.msg)
    args = record.args
    if not args:
        return msg
    masked: Any = (
        mask_value(args) if isinstance(args, Mapping) else tuple(mask_value(a) for a in args)
    )
    try:
        return str(msg % masked)
    except Exception:
        return f"{msg} (arguments that did not fit the message: {_safe_repr(masked)})"


class TextFormatter(logging.Formatter):
    """``asctime level logger [request id]: message``, the id only when there is one."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)
        self._with_id = logging.Formatter(TEXT_FORMAT_WITH_ID)

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is not None:
            return self._with_id.format(record)
        return super().format(record)


_JSON_KEYS = frozenset({"ts", "level", "logger", "message", "request_id", "exc", "stack"})


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line.

    Keys: ``ts`` (ISO 8601, UTC), ``level``, ``logger``, ``message``, ``request_id``
    when set, the ``extra=`` fields (one named like a key above is written as
    ``extra_<name>``), ``exc`` for an exception and ``stack`` for stack info. Values
    JSON cannot hold are written as their ``str()``.
    """

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id is not None:
            line["request_id"] = request_id
        for key, value in extra_fields(record).items():
            line[f"extra_{key}" if key in _JSON_KEYS else key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=_safe_str)


class _HubHandler(logging.StreamHandler[TextIO]):
    """The handler :func:`configure_logging` installs, told apart from others'."""


def configure_logging(level: str, fmt: str = "text", *, stream: TextIO | None = None) -> None:
    """Write log records at ``level`` and above to ``stream`` (standard error), in
    ``fmt`` (``text`` or ``json``), with personal data masked.

    Messages are masked as records are made (:class:`MaskingRecordFactory`), so
    other handlers get them masked too. Calling it again replaces the hub's handler;
    handlers others installed stay. Raises ``ValueError`` for an unknown level or
    format.
    """
    name = level.upper()
    if not isinstance(logging.getLevelNamesMapping().get(name), int):
        known = ", ".join(("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
        raise ValueError(f"unknown log level {level!r}; use one of {known}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown log format {fmt!r}; use one of {', '.join(FORMATS)}")
    handler = _HubHandler(stream if stream is not None else sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(MaskingFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    factory = logging.getLogRecordFactory()
    if not isinstance(factory, MaskingRecordFactory):
        logging.setLogRecordFactory(MaskingRecordFactory(factory))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _HubHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(name)
    logging.getLogger("hub").setLevel(name)


__all__ = [
    "FORMATS",
    "JsonFormatter",
    "LogFormat",
    "MaskingFilter",
    "MaskingRecordFactory",
    "RequestIdFilter",
    "TextFormatter",
    "configure_logging",
    "extra_fields",
    "field_kind",
    "mask_message",
    "mask_text",
    "mask_value",
]
