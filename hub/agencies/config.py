"""The typed form of ``config/agencies.yaml``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hub.tickets.config import AgencyTicketsConfig, TicketRoutingConfig

RESERVED_IDS = frozenset(
    {"agencies", "agency", "bids", "news", "node", "nodes", "service", "services", "vacancies"}
)
"""Names an agency id cannot take: they are fields of the graph's root ``Query``."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ContactConfig(_Strict):
    """How citizens reach the agency."""

    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: str | None = None


class CacheTTLConfig(_Strict):
    """Seconds the hub may keep each capability's answers; 0 turns caching off."""

    services: float = Field(3600, ge=0)
    news: float = Field(300, ge=0)
    vacancies: float = Field(600, ge=0)
    bids: float = Field(600, ge=0)
    lookups: float = Field(0, ge=0)


class RetryConfig(_Strict):
    """Retries of safe reads (never of writes) after the agency failed fast."""

    retries: int = Field(2, ge=0, le=10, description="Retries after the first attempt.")
    base_delay: float = Field(
        0.05, gt=0, description="Seconds; the n-th retry waits up to base_delay * 2**n."
    )
    max_delay: float = Field(1.0, gt=0, description="Seconds; the longest wait between tries.")
    budget_ratio: float = Field(
        0.2, ge=0, le=1, description="Retries allowed per call made (0.2: one in five)."
    )
    reserve_per_second: float = Field(
        3, ge=0, description="Retries allowed per second beyond the ratio, for a quiet hub."
    )


class BreakerConfig(_Strict):
    """When to stop calling an agency that keeps failing, and for how long."""

    failure_threshold: int = Field(
        5, ge=1, description="Consecutive failures that open the breaker."
    )
    open_seconds: float = Field(
        30, gt=0, description="Seconds the breaker stays open before one probe call."
    )


class WatchConfig(_Strict):
    """Seconds between two looks at each watched capability's records for new and
    changed ones; a capability left out is not watched. Its keys are
    :data:`hub.connector.WATCHABLE_CAPABILITIES`, and the agency's connector must serve
    each one given (checked when the file is loaded)."""

    vacancies: float | None = Field(None, ge=1, description="Seconds between polls of jobs.")
    bids: float | None = Field(None, ge=1, description="Seconds between polls of tenders.")
    news: float | None = Field(None, ge=1, description="Seconds between polls of news.")
    alerts: float | None = Field(
        None, ge=1, description="Seconds between polls of the security alerts in force."
    )

    def intervals(self) -> dict[str, float]:
        """The watched capabilities and their intervals, in the order of the fields."""
        return {
            capability: seconds
            for capability, seconds in self.model_dump().items()
            if seconds is not None
        }


class AgencyConfig(_Strict):
    """One agency: who it is, which connector serves it and how to guard its calls."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    contact: ContactConfig = ContactConfig()
    connector: str = Field(min_length=1)
    settings: dict[str, Any] = Field(default_factory=dict)
    timeout: float = Field(10.0, gt=0, description="Seconds a whole call may take.")
    connect_timeout: float = Field(3.0, gt=0, description="Seconds to open a connection.")
    max_connections: int = Field(
        20, gt=0, description="Concurrent calls (and HTTP connections) to the agency."
    )
    cache_ttl: CacheTTLConfig = CacheTTLConfig()
    stale_if_error: float = Field(
        86400,
        ge=0,
        description="Seconds past its TTL a cached answer may still be served while the "
        "agency fails; 0 never serves stale answers.",
    )
    retry: RetryConfig = RetryConfig()
    breaker: BreakerConfig = BreakerConfig()
    tickets: AgencyTicketsConfig = AgencyTicketsConfig()
    watch: WatchConfig = WatchConfig()

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_IDS:
            raise ValueError(
                f"{value!r} is reserved (a root field of the graph); choose another id"
            )
        return value


class AgenciesFile(_Strict):
    """The whole agencies file."""

    agencies: list[AgencyConfig] = Field(min_length=1)
    ticket_routing: TicketRoutingConfig | None = None

    @field_validator("agencies")
    @classmethod
    def _unique_ids(cls, agencies: list[AgencyConfig]) -> list[AgencyConfig]:
        seen: set[str] = set()
        for agency in agencies:
            if agency.id in seen:
                raise ValueError(f"agency id {agency.id!r} is declared twice; ids must be unique")
            seen.add(agency.id)
        return agencies


__all__ = [
    "RESERVED_IDS",
    "AgenciesFile",
    "AgencyConfig",
    "CacheTTLConfig",
    "ContactConfig",
    "WatchConfig",
]
