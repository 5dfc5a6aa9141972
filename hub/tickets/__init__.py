"""Tickets: the citizen's enquiries, complaints, commendations, reports and requests.

The hub owns tickets: it routes each to an agency by explainable rules, watches its
service level agreement, and keeps it in its own database (:class:`TicketStore`, with
:func:`ticket_statistics` over it).
"""

from __future__ import annotations

from hub.tickets.attachment_store import AttachmentFile, AttachmentView
from hub.tickets.attachments import (
    AttachmentNotAllowed,
    AttachmentStorage,
    AttachmentTooLarge,
    TooManyAttachments,
    UploadedFile,
)
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
from hub.tickets.statistics import (
    Durations,
    GroupBy,
    GroupStatistics,
    StatisticsFilter,
    ticket_statistics,
)
from hub.tickets.store import Origin, TicketStore
from hub.tickets.submission import NewTicket
from hub.tickets.tracking import format_tracking_number, parse_tracking_number
from hub.tickets.views import (
    AgencySort,
    OutboxItem,
    TicketEdge,
    TicketEventKind,
    TicketEventView,
    TicketPage,
    TicketView,
)

__all__ = [
    "DEFAULT_AT_RISK_SHARE",
    "AgencySort",
    "AgencyTicketsConfig",
    "AttachmentFile",
    "AttachmentNotAllowed",
    "AttachmentStorage",
    "AttachmentTooLarge",
    "AttachmentView",
    "Deadlines",
    "Durations",
    "GroupBy",
    "GroupStatistics",
    "NewTicket",
    "Origin",
    "OutboxItem",
    "Priority",
    "PriorityRuleConfig",
    "Routing",
    "RoutingError",
    "RoutingRules",
    "SlaOverride",
    "SlaState",
    "SlaTargets",
    "StatisticsFilter",
    "TicketAgency",
    "TicketCategoryConfig",
    "TicketEdge",
    "TicketEventKind",
    "TicketEventView",
    "TicketKind",
    "TicketPage",
    "TicketRoutingConfig",
    "TicketStatus",
    "TicketStore",
    "TicketSubmission",
    "TicketView",
    "TooManyAttachments",
    "UploadedFile",
    "check_ticket_config",
    "deadlines",
    "format_tracking_number",
    "parse_tracking_number",
    "route",
    "sla_state",
    "ticket_statistics",
]
