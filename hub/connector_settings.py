"""Checks that connectors' settings models share: time zones and HTTP URLs.

A connector declares ``timezone: TimeZoneName = Field("Africa/Nairobi", ...)`` and
checks its URL settings with :func:`check_http_url` in a field validator.
"""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import AfterValidator


def check_time_zone(value: str) -> str:
    """``value`` if it names an IANA time zone; ``ValueError`` otherwise."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r}; use an IANA name such as Africa/Nairobi"
        ) from None
    return value


TimeZoneName = Annotated[str, AfterValidator(check_time_zone)]
"""An IANA time zone name, checked when the settings are read."""


def check_http_url(value: str, example: str) -> str:
    """``value`` if it is an absolute http(s) URL; ``ValueError`` naming ``example``."""
    try:
        url = httpx.URL(value)
    except httpx.InvalidURL as exc:
        raise ValueError(f"not a valid URL ({exc}): {value!r}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"expected an http(s) URL like {example}, got {value!r}")
    return value


__all__ = ["TimeZoneName", "check_http_url", "check_time_zone"]
