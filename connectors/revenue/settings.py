"""The connector's settings, as ``config/agencies.yaml`` gives them."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator


class RevenueSettings(BaseModel):
    """Where the revenue authority's SOAP gateway is and which account the hub uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    endpoint: str = Field(
        description="The SOAP endpoint, the soap:address of the gateway's WSDL, "
        "e.g. http://127.0.0.1:8101/soap."
    )
    username: str = Field(
        min_length=1, description="The hub's gateway account, sent in the UsernameToken."
    )
    password: SecretStr = Field(
        min_length=1, description="The account's password, sent as a PasswordText token."
    )
    timezone: str = Field(
        "Africa/Nairobi",
        description="The IANA time zone of the gateway's dates and times, which carry no offset.",
    )

    @field_validator("endpoint")
    @classmethod
    def _http_url(cls, value: str) -> str:
        try:
            url = httpx.URL(value)
        except httpx.InvalidURL as exc:
            raise ValueError(f"not a valid URL ({exc}): {value!r}") from exc
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(
                f"expected an http(s) URL like http://127.0.0.1:8101/soap, got {value!r}"
            )
        return value

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
        """The gateway's local time zone."""
        return ZoneInfo(self.timezone)
