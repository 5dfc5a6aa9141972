"""One event: what happened, on which topic, when."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson


@dataclass(frozen=True, slots=True)
class Event:
    """Something subscribers may want to know: ``data`` is JSON-serialisable.

    ``id`` is unique per publication, so a subscriber can tell a repeated delivery from a
    new event; ``at`` is when it was published.
    """

    topic: str
    data: Mapping[str, Any]
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def encode(self) -> bytes:
        """The event as JSON, for a bus that crosses processes."""
        return orjson.dumps(
            {"topic": self.topic, "data": self.data, "id": self.id, "at": self.at.isoformat()}
        )

    @classmethod
    def decode(cls, raw: bytes | str) -> Event:
        """The event :meth:`encode` wrote; ``ValueError`` if ``raw`` is not one."""
        try:
            body = orjson.loads(raw)
            return cls(
                topic=str(body["topic"]),
                data=dict(body["data"]),
                id=str(body["id"]),
                at=datetime.fromisoformat(body["at"]),
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not an encoded hub event: {exc}") from None


__all__ = ["Event"]
