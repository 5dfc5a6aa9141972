"""A change a watcher found, its fingerprint, and the event it is published as."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from hub.db import as_utc
from hub.events.records import encode_record


class ChangeKind(enum.Enum):
    """Whether the record was never seen before, or seen with another fingerprint."""

    NEW = "NEW"
    CHANGED = "CHANGED"


@dataclass(frozen=True, slots=True)
class Change:
    """A record of ``agency`` that is new or changed, to publish on ``topic``."""

    agency: str
    topic: str
    kind: ChangeKind
    record: Any

    def event_data(self) -> dict[str, Any]:
        """The event's data: ``{"agency", "change", "record"}``, the record encoded by
        :func:`hub.events.records.encode_record` (subscribers decode it with
        :func:`~hub.events.records.decode_record`)."""
        return {
            "agency": self.agency,
            "change": self.kind.value,
            "record": encode_record(self.topic, self.record),
        }


def fingerprint(topic: str, record: Any) -> str:
    """What tells one version of ``record`` from another: its ``updated_at`` when it has
    one, else a hash of its encoded form (so that any change of any field is seen).
    At most 64 characters."""
    updated = getattr(record, "updated_at", None)
    if isinstance(updated, datetime):
        return as_utc(updated).isoformat()
    encoded = orjson.dumps(encode_record(topic, record), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(encoded).hexdigest()


__all__ = ["Change", "ChangeKind", "fingerprint"]
