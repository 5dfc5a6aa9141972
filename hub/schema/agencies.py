"""Agencies in the graph: who serves the hub, what they offer and how they are doing."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from hub import connector as hub
from hub.agencies import AgencyRuntime
from hub.limits import UPSTREAM_CALL_COST, Cost
from hub.resilience import BreakerState
from hub.schema.common import Contact, Node
from hub.schema.context import HubContext
from hub.schema.feedback import AgencyFeedbackSummary, feedback_summary
from hub.schema.ids import GlobalId, global_id

Info = strawberry.Info[HubContext, None]


@strawberry.enum(description="What an agency's connector can do.")
class AgencyCapability(enum.Enum):
    SERVICES = "services"
    NEWS = "news"
    VACANCIES = "vacancies"
    BIDS = "bids"
    ALERTS = "alerts"
    TICKETS = "tickets"
    HEALTH = "health"
    LOOKUPS = "schema"


strawberry.enum(hub.HealthStatus, description="How an agency's system is doing, as last probed.")
strawberry.enum(
    BreakerState,
    description="The hub's circuit breaker for an agency: CLOSED (calls go through), OPEN "
    "(calls fail at once after repeated failures) or HALF_OPEN (one probe call is let "
    "through to see whether the agency is back).",
)


@strawberry.type(description="The outcome of probing an agency's system.")
class AgencyHealth:
    status: hub.HealthStatus = strawberry.field(description="UP, DEGRADED, DOWN or UNKNOWN.")
    checked_at: datetime = strawberry.field(description="When the probe ran.")
    latency_ms: float | None = strawberry.field(description="How long the probe took, in ms.")
    detail: str = strawberry.field(description="What the probe found, in words.")
    breaker: BreakerState = strawberry.field(description="The circuit breaker's state now.")
    consecutive_failures: int = strawberry.field(
        description="Calls that failed in a row since the agency last answered."
    )
    recent_latency_ms: float | None = strawberry.field(
        description="Median duration of the agency's last 100 answered calls, in ms; null "
        "before the first."
    )
    in_flight: int = strawberry.field(description="Calls to the agency running now.")


@strawberry.type(description="A ministry, department or agency served through the hub.")
class Agency(Node):
    key: str = strawberry.field(description="The agency's short id in the hub, e.g. 'revenue'.")
    name: str = strawberry.field(description="The agency's full name.")
    short_name: str = strawberry.field(description="The agency's abbreviation.")
    description: str = strawberry.field(description="What the agency does.")
    contact: Contact = strawberry.field(description="How citizens reach the agency.")
    capabilities: list[AgencyCapability] = strawberry.field(
        description="What the hub can ask of the agency."
    )

    @strawberry.field(
        description="Probe the agency's system now; never fails, DOWN instead.",
        directives=[Cost(weight=UPSTREAM_CALL_COST)],
    )
    async def health(self, info: Info) -> AgencyHealth:
        health = await info.context.gateway.health(self.key)
        guarded = info.context.gateway.guard.status(self.key)
        return AgencyHealth(
            status=health.status,
            checked_at=health.checked_at,
            latency_ms=health.latency_ms,
            detail=health.detail,
            breaker=guarded.breaker,
            consecutive_failures=guarded.consecutive_failures,
            recent_latency_ms=guarded.median_latency_ms,
            in_flight=guarded.in_flight,
        )

    @strawberry.field(
        description="What citizens think of the agency: their feedback (sendFeedback), counted."
    )
    async def feedback(self, info: Info) -> AgencyFeedbackSummary:
        return await feedback_summary(info, self.key)

    @classmethod
    def of(cls, runtime: AgencyRuntime) -> Agency:
        """The GraphQL form of a registered agency."""
        agency = runtime.agency
        return cls(
            id=strawberry.ID(global_id("Agency", agency.id, agency.id)),
            key=agency.id,
            name=agency.name,
            short_name=agency.short_name,
            description=agency.description,
            contact=Contact.of(agency.contact),
            capabilities=[c for c in AgencyCapability if runtime.serves(c.value)],
        )


def agency_by_key(info: Info, key: str) -> Agency:
    """The agency ``key`` (it exists: records only name registered agencies)."""
    return Agency.of(info.context.registry.get(key))


@strawberry.type
class AgencyQueries:
    @strawberry.field(description="Every agency served through the hub.")
    def agencies(self, info: Info) -> list[Agency]:
        return [Agency.of(runtime) for runtime in info.context.registry]

    @strawberry.field(
        description="One agency by its key (e.g. 'revenue') or global ID; null if unknown."
    )
    def agency(self, info: Info, id: strawberry.ID) -> Agency | None:
        key = GlobalId.parse(id).agency if id.count(":") == 2 else id
        registry = info.context.registry
        return Agency.of(registry.get(key)) if key in registry else None


__all__ = ["Agency", "AgencyCapability", "AgencyHealth", "AgencyQueries", "agency_by_key"]
