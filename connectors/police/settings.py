"""Settings of the police connector, as ``config/agencies.yaml`` gives them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from hub.connector_settings import TimeZoneName

_URL_EXAMPLES = (
    "sqlite+aiosqlite:///var/legacy/police.db or "
    "postgresql+asyncpg://hub:${POLICE_DB_PASSWORD}@ob-db:5432/occurrence_book"
)


class PoliceSettings(BaseModel):
    """How to reach the Occurrence Book database.

    ``database_url`` may carry a password: it is a secret, never shown in reprs,
    logs or validation errors.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    database_url: SecretStr = Field(
        description="SQLAlchemy URL with an async driver, e.g. " + _URL_EXAMPLES + "."
    )
    pool_size: int = Field(
        5, ge=1, le=100, description="Most connections the hub keeps open to the database."
    )
    timezone: TimeZoneName = Field(
        "Africa/Nairobi", description="IANA time zone of the times the database stores."
    )
    connect_timeout: float = Field(
        2.0,
        gt=0,
        le=120,
        description="Seconds to wait for a connection, or for a locked SQLite file, "
        "before giving up.",
    )

    @field_validator("database_url")
    @classmethod
    def _async_url(cls, value: SecretStr) -> SecretStr:
        try:
            url = make_url(value.get_secret_value())
        except ArgumentError:
            raise ValueError(f"not a database URL; expected e.g. {_URL_EXAMPLES}") from None
        try:
            dialect = url.get_dialect()
        except NoSuchModuleError:
            raise ValueError(
                f"unknown database driver {url.drivername!r}; expected e.g. {_URL_EXAMPLES}"
            ) from None
        if not dialect.is_async:
            raise ValueError(
                f"driver {url.drivername!r} is not asynchronous; name an async driver "
                f"(sqlite+aiosqlite, postgresql+asyncpg), e.g. {_URL_EXAMPLES}"
            )
        return value

    @property
    def url(self) -> URL:
        """The database URL, password included: hand it only to the engine."""
        return make_url(self.database_url.get_secret_value())

    @property
    def zone(self) -> ZoneInfo:
        """The time zone of the database's local times."""
        return ZoneInfo(self.timezone)
