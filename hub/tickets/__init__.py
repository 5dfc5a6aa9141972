"""Tickets: the citizen's enquiries, complaints, commendations, reports and requests.

The hub owns tickets: it routes each to an agency by explainable rules and watches its
service level agreement.
"""

from __future__ import annotations

from hub.tickets.config import (
    DEFAULT_AT_RISK_SHARE,
    AgencyTicketsConfig,
    PriorityRuleConfig,
    SlaOverride,
    SlaTargets,
    TicketAgency,
    TicketCategoryConfig,
    TicketRoutingConfig,
    check_ticket_config,
)
from hub.tickets.kinds import Priority, SlaState, TicketKind, TicketStatus
from hub.tickets.routing import Routing, RoutingError, RoutingRules, TicketSubmission, route
from hub.tickets.sla import Deadlines, deadlines, sla_state

__all__ = [
    "DEFAULT_AT_RISK_SHARE",
    "AgencyTicketsConfig",
    "Deadlines",
    "Priority",
    "PriorityRuleConfig",
    "Routing",
    "RoutingError",
    "RoutingRules",
    "SlaOverride",
    "SlaState",
    "SlaTargets",
    "TicketAgency",
    "TicketCategoryConfig",
    "TicketKind",
    "TicketRoutingConfig",
    "TicketStatus",
    "TicketSubmission",
    "check_ticket_config",
    "deadlines",
    "route",
    "sla_state",
]
