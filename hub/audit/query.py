"""What a search of the audit log asks for and what it answers."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, fields
from datetime import datetime

from hub.audit.entry import AuditEntry
from hub.db import as_utc

_CURSOR_VERSION = 1
_CURSOR_SCOPE = "audit"


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredAuditEntry(AuditEntry):
    """An entry as the audit log keeps it, with the ``id`` the log gave it."""

    id: int
    """Ascending in the order entries were stored."""

    @property
    def entry(self) -> AuditEntry:
        """The entry as it was recorded, without its ``id``."""
        values = {f.name: getattr(self, f.name) for f in fields(AuditEntry)}
        return AuditEntry(**values)


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditFilter:
    """Which entries a search returns: those matching every condition given.

    ``since`` and ``until`` bound ``at`` as ``since <= at < until``; they must be
    timezone-aware.
    """

    subject: str | None = None
    role: str | None = None
    agency: str | None = None
    caller_agency: str | None = None
    field: str | None = None
    object_id: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            moment = getattr(self, name)
            if moment is not None:
                try:
                    as_utc(moment)
                except ValueError as exc:
                    raise ValueError(f"AuditFilter.{name}: {exc}") from None


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of a search, newest first; pass ``end_cursor`` as ``after`` for the next."""

    entries: list[StoredAuditEntry]
    has_next_page: bool
    end_cursor: str | None
    total_count: int
    """How many entries match the filter, on every page."""


def encode_cursor(at: datetime, id_: int) -> str:
    """The opaque cursor of the entry with key (``at``, ``id_``)."""
    raw = json.dumps(
        [_CURSOR_VERSION, _CURSOR_SCOPE, as_utc(at).isoformat(), id_], separators=(",", ":")
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The key (``at``, ``id``) inside ``cursor``; :class:`ValueError` if the audit log
    did not issue it."""
    key = _key(cursor)
    if key is None:
        raise ValueError(
            f"{cursor!r} is not a cursor of the audit log; pass the end_cursor of a previous "
            "page of the same search, unchanged"
        )
    return key


def _key(cursor: str) -> tuple[datetime, int] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not (
        isinstance(data, list)
        and len(data) == 4
        and data[:2] == [_CURSOR_VERSION, _CURSOR_SCOPE]
        and isinstance(data[2], str)
        and type(data[3]) is int
    ):
        return None
    try:
        return as_utc(datetime.fromisoformat(data[2])), data[3]
    except ValueError:
        return None


__all__ = ["AuditFilter", "AuditPage", "StoredAuditEntry", "decode_cursor", "encode_cursor"]
