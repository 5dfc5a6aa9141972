"""Agency records carried in events: a watcher publishes what it found new or changed,
and a subscriber in any hub process gets the same record back.

An event of a watched capability has the data ``{"agency": id, "change": "NEW" |
"CHANGED", "record": {...}}``, the record in the JSON form :func:`encode_record` gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter

from hub import connector as contract
from hub.events import topics

RECORD_TYPES: Mapping[str, type[Any]] = {
    topics.VACANCIES: contract.Vacancy,
    topics.BIDS: contract.Bid,
    topics.NEWS: contract.NewsItem,
    topics.SECURITY_ALERTS: contract.SecurityAlert,
}
"""The record type each watched topic carries."""

_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    topic: TypeAdapter(record_type) for topic, record_type in RECORD_TYPES.items()
}


def encode_record(topic: str, record: object) -> dict[str, Any]:
    """``record`` as JSON-serialisable data, for an event on ``topic``."""
    data: dict[str, Any] = _adapter(topic).dump_python(record, mode="json")
    return data


def decode_record(topic: str, data: Mapping[str, Any]) -> Any:
    """The record :func:`encode_record` encoded; ``ValueError`` if ``data`` is not one."""
    return _adapter(topic).validate_python(dict(data))


def _adapter(topic: str) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(topic)
    if adapter is None:
        raise ValueError(f"topic {topic!r} carries no agency records; known: {sorted(_ADAPTERS)}")
    return adapter


__all__ = ["RECORD_TYPES", "decode_record", "encode_record"]
