"""The hub's settings: ``HUB_*`` environment variables, then a ``.env`` file, then defaults."""

from __future__ import annotations

import enum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(enum.StrEnum):
    """Where the hub runs; production turns off developer conveniences."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class LogLevel(enum.StrEnum):
    """Standard logging levels accepted by ``HUB_LOG_LEVEL``."""

    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class Settings(BaseSettings):
    """Every setting of the hub; see docs/configuration.md for each one."""

    model_config = SettingsConfigDict(
        env_prefix="HUB_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    host: str = Field("127.0.0.1", description="Address the HTTP server binds to.")
    port: int = Field(8000, ge=0, le=65535, description="Port the HTTP server listens on.")
    environment: Environment = Field(
        Environment.DEVELOPMENT, description="development serves GraphiQL; production does not."
    )
    agencies_file: Path = Field(
        Path("config/agencies.yaml"), description="The agencies file to load."
    )
    env_file: Path = Field(
        Path(".env"),
        description="File whose NAME=value lines fill ${NAME} references in the agencies file "
        "when the environment lacks them.",
    )
    database_url: str = Field(
        "sqlite+aiosqlite:///var/hub.db", description="SQLAlchemy URL of the hub's own database."
    )
    cache_url: str = Field("memory://", description="memory:// or redis://host:port/db.")
    log_level: LogLevel = Field(LogLevel.INFO, description="Lowest level of log lines written.")
    max_upstream_items: int = Field(
        1000, gt=0, description="Most records asked of one agency for one listing."
    )
    max_page_size: int = Field(100, gt=0, description="Largest `first` a connection accepts.")
    readiness_timeout: float = Field(
        2.0, gt=0, description="Seconds /readyz waits for each agency's health probe."
    )

    @property
    def is_production(self) -> bool:
        """Whether the hub runs in production."""
        return self.environment is Environment.PRODUCTION


__all__ = ["Environment", "LogLevel", "Settings"]
