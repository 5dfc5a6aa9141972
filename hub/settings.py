"""The hub's settings: ``HUB_*`` environment variables, then a ``.env`` file, then defaults."""

from __future__ import annotations

import enum
from pathlib import Path

from pydantic import Field, SecretStr
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


class LogFormat(enum.StrEnum):
    """Formats of log lines accepted by ``HUB_LOG_FORMAT``."""

    TEXT = "text"
    JSON = "json"


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
    response_cache: bool = Field(
        True,
        description="Keep whole responses to anonymous queries over public data, in the cache "
        "of HUB_CACHE_URL, as long as the answers they read stay fresh.",
    )
    document_cache_size: int = Field(
        500, ge=0, description="GraphQL documents kept parsed and validated; 0: none."
    )
    log_level: LogLevel = Field(LogLevel.INFO, description="Lowest level of log lines written.")
    log_format: LogFormat = Field(
        LogFormat.TEXT,
        description="text for people; json, one object per line, for log collectors. "
        "Personal data is masked in both.",
    )
    max_upstream_items: int = Field(
        1000, gt=0, description="Most records asked of one agency for one listing."
    )
    max_page_size: int = Field(100, gt=0, description="Largest `first` a connection accepts.")
    readiness_timeout: float = Field(
        2.0, gt=0, description="Seconds /readyz waits for each agency's health probe."
    )

    assertion_key_file: Path = Field(
        Path("var/hub-assertion-key.pem"),
        description="PEM file of the hub's EC P-256 private key that signs its assertions to "
        "agencies; created on first use in development, required in production.",
    )

    token_secret: SecretStr | None = Field(
        None,
        description="HS256 secret of development tokens (hub token); unset in development "
        "means the built-in development secret. Production refuses HS256: use HUB_JWKS.",
    )
    jwks: str | None = Field(
        None,
        description="The identity provider's JSON Web Key Set: a file path or an https:// URL. "
        "Required in production; RS256 and ES256 tokens are verified against it.",
    )
    token_issuer: str = Field("citizen-hub", description="The `iss` every token must carry.")
    token_audience: str = Field("citizen-hub", description="The `aud` every token must carry.")
    token_leeway: float = Field(
        30.0, ge=0, le=300, description="Seconds of clock skew allowed on exp and nbf."
    )
    introspection: bool | None = Field(
        None, description="Whether schema introspection is allowed; default: not in production."
    )
    max_body_bytes: int = Field(
        1_000_000, gt=0, description="Largest GraphQL request body, in bytes (413 beyond)."
    )
    max_batch: int = Field(
        10, ge=1, description="Most operations in one batched request (a JSON array)."
    )
    max_depth: int = Field(12, ge=0, description="Deepest field nesting of a query; 0: no limit.")
    max_aliases: int = Field(30, ge=0, description="Most aliased fields in a query; 0: no limit.")
    max_tokens: int = Field(
        3000, ge=0, description="Most lexical tokens in a query document; 0: no limit."
    )
    max_cost: int = Field(
        2000, ge=0, description="Highest cost of a query (see docs/security.md); 0: no limit."
    )
    rate_limit_burst: int = Field(
        60, ge=0, description="Requests a client may make at once (token bucket); 0: no limit."
    )
    rate_limit_per_second: float = Field(
        1.0, gt=0, description="Requests per second a client's budget refills by."
    )
    rate_limit_url: str | None = Field(
        None,
        description="memory:// or redis://...; default: HUB_CACHE_URL when it is Redis, so that "
        "hub processes sharing a cache share budgets, else memory://.",
    )

    events_url: str | None = Field(
        None,
        description="Where events travel to subscribers: memory:// (one hub process) or "
        "redis://... (every process sharing it); default: HUB_CACHE_URL when it is Redis, "
        "else memory://.",
    )
    subscriber_queue: int = Field(
        256,
        ge=1,
        le=100_000,
        description="Events a subscriber may leave unread before its subscription is ended "
        "as too slow (SUBSCRIBER_TOO_SLOW), so it never holds back the others.",
    )
    max_subscriptions: int = Field(
        50, ge=1, description="Most subscriptions one WebSocket connection may hold at once."
    )
    connection_init_timeout: float = Field(
        10.0,
        gt=0,
        description="Seconds a WebSocket client has to send connection_init before it is "
        "closed (4408).",
    )

    workers_in_serve: bool = Field(
        True,
        description="Run the ticket workers (delivery, status sync, SLA watch) inside "
        "`hub serve`; set false when `hub worker` processes run them instead.",
    )
    worker_delivery_interval: float = Field(
        1.0, gt=0, description="Seconds between looks at the ticket outbox when nothing is due."
    )
    worker_delivery_batch: int = Field(
        20, ge=1, le=1000, description="Most ticket deliveries one process makes at once."
    )
    worker_delivery_lease: float = Field(
        60.0,
        gt=0,
        description="Seconds a process holds a ticket delivery before another may take it "
        "over; longer than every agency's timeout.",
    )
    worker_retry_base: float = Field(
        5.0,
        gt=0,
        description="Seconds before retrying a failed delivery or read of an agency's ticket "
        "updates; doubles with each failure, with jitter.",
    )
    worker_retry_max: float = Field(
        600.0, gt=0, description="Longest wait, in seconds, between two such retries."
    )
    worker_sync_interval: float = Field(
        30.0, gt=0, description="Seconds between reads of each agency's ticket updates."
    )
    worker_sweep_interval: float = Field(
        60.0, gt=0, description="Seconds between sweeps for tickets past an SLA deadline."
    )

    attachments_dir: Path | None = Field(
        None,
        description="Folder the files attached to tickets are kept in; default: attachments "
        "beside the SQLite database file, else var/attachments.",
    )
    attachment_max_bytes: int = Field(
        10 * 1024 * 1024,
        gt=0,
        le=2**31 - 1,
        description="Largest file attached to a ticket, in bytes (ATTACHMENT_TOO_LARGE beyond).",
    )
    attachment_types: str = Field(
        "image/jpeg,image/png,image/webp,video/mp4,application/pdf",
        description="Comma-separated types of the files a ticket may carry, recognised by "
        "their content (ATTACHMENT_NOT_ALLOWED otherwise).",
    )
    attachments_per_ticket: int = Field(
        5, ge=0, le=100, description="Most files one ticket (and one request) may carry."
    )

    @property
    def rate_limit_backend(self) -> str:
        """Where rate limit budgets live: the setting, else the cache's Redis, else memory."""
        if self.rate_limit_url:
            return self.rate_limit_url
        return (
            self.cache_url if self.cache_url.startswith(("redis://", "rediss://")) else "memory://"
        )

    @property
    def events_backend(self) -> str:
        """Where events travel: the setting, else the cache's Redis, else memory."""
        if self.events_url:
            return self.events_url
        return (
            self.cache_url if self.cache_url.startswith(("redis://", "rediss://")) else "memory://"
        )

    @property
    def is_production(self) -> bool:
        """Whether the hub runs in production."""
        return self.environment is Environment.PRODUCTION


__all__ = ["Environment", "LogFormat", "LogLevel", "Settings"]
