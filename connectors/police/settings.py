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
    """How to reach the Occurrence Book database, and how tickets are entered in it.

    Lookups and listings read through ``database_url`` (opened read-only on SQLite);
    tickets are filed through ``filing_database_url``, a role that may insert into
    ``ob_register``, or through ``database_url`` when it is not given. Both URLs may
    carry a password: they are secrets, never shown in reprs, logs or validation errors.
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

    filing_database_url: SecretStr | None = Field(
        None,
        description="SQLAlchemy URL of the role tickets are filed with (it inserts into "
        "ob_register and reads it); default: database_url, opened for writing.",
    )
    filing_station: str = Field(
        "NRB01",
        pattern=r"^[A-Z]{3}[0-9]{2}$",
        description="Code of the station that takes a ticket whose area names no station's "
        "county or sub-county.",
    )
    filing_officer: str = Field(
        "CITIZENHUB",
        min_length=1,
        max_length=12,
        description="The service number the Occurrence Book records for entries the hub files.",
    )

    @field_validator("database_url", "filing_database_url")
    @classmethod
    def _async_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
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
    def filing_url(self) -> URL:
        """The URL tickets are filed through, password included: hand it only to the engine."""
        if self.filing_database_url is None:
            return self.url
        return make_url(self.filing_database_url.get_secret_value())

    @property
    def zone(self) -> ZoneInfo:
        """The time zone of the database's local times."""
        return ZoneInfo(self.timezone)
