"""The connector's settings, as ``config/agencies.yaml`` gives them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from hub.connector_settings import TimeZoneName, check_http_url


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
    timezone: TimeZoneName = Field(
        "Africa/Nairobi",
        description="The IANA time zone of the gateway's dates and times, which carry no offset.",
    )

    @field_validator("endpoint")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return check_http_url(value, "http://127.0.0.1:8101/soap")

    @property
    def zone(self) -> ZoneInfo:
        """The gateway's local time zone."""
        return ZoneInfo(self.timezone)
