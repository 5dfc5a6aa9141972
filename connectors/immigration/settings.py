"""The connector's settings, as ``config/agencies.yaml`` gives them."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

MAX_PAGE_SIZE = 100
"""The largest ``per_page`` the immigration API accepts."""


class ImmigrationSettings(BaseModel):
    """Where the immigration department's REST API is and how to sign in to it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str = Field(
        description="The API's base URL, including its /api/v1 base path, e.g. "
        "http://127.0.0.1:8102/api/v1."
    )
    api_key: SecretStr = Field(
        min_length=1, description="The hub's API key, sent in the X-API-Key header."
    )
    page_size: int = Field(
        MAX_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description="Records asked for per page when following the API's pagination.",
    )
    timezone: str = Field(
        "Africa/Nairobi",
        description="The IANA time zone of the API's local dates and times.",
    )

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        try:
            url = httpx.URL(value)
        except httpx.InvalidURL as exc:
            raise ValueError(f"not a valid URL ({exc}): {value!r}") from exc
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(
                f"expected an http(s) URL like http://127.0.0.1:8102/api/v1, got {value!r}"
            )
        return value.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as Africa/Nairobi"
            ) from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The API's local time zone."""
        return ZoneInfo(self.timezone)
