"""The connector's settings, as ``config/agencies.yaml`` gives them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from hub.connector_settings import TimeZoneName, check_http_url

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
    timezone: TimeZoneName = Field(
        "Africa/Nairobi",
        description="The IANA time zone of the API's local dates and times.",
    )

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return check_http_url(value, "http://127.0.0.1:8102/api/v1").rstrip("/")

    @property
    def zone(self) -> ZoneInfo:
        """The API's local time zone."""
        return ZoneInfo(self.timezone)
