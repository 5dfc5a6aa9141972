"""Page-number pagination and the ``{"data": [...], "pagination": {...}}`` envelope."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams

from legacy.immigration.errors import bad_request

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


@dataclass(frozen=True, slots=True)
class Page:
    """Which page a request asks for: ``page`` from 1, ``per_page`` records each."""

    page: int
    per_page: int

    @classmethod
    def from_query(cls, params: QueryParams) -> Page:
        """Read ``page`` and ``per_page``; raise a 400 :class:`ApiError` when out of range."""
        page = _positive_integer(params, "page", 1, maximum=None)
        per_page = _positive_integer(params, "per_page", DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)
        return cls(page, per_page)

    def envelope(self, records: Sequence[dict[str, Any]]) -> dict[str, Any]:
        """The response body holding this page of ``records`` (all matching records)."""
        start = (self.page - 1) * self.per_page
        return {
            "data": list(records[start : start + self.per_page]),
            "pagination": {
                "page": self.page,
                "per_page": self.per_page,
                "total_pages": math.ceil(len(records) / self.per_page),
                "total_records": len(records),
            },
        }


def _positive_integer(params: QueryParams, name: str, default: int, maximum: int | None) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    limits = f"between 1 and {maximum}" if maximum else "1 or more"
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(
            "INVALID_PAGINATION", f"{name} must be a whole number {limits}, got {raw!r}"
        ) from None
    if value < 1 or (maximum is not None and value > maximum):
        raise bad_request("INVALID_PAGINATION", f"{name} must be {limits}, got {value}")
    return value
