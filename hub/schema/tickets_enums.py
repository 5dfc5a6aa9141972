"""The ticket domain's vocabularies as GraphQL enums.

The enums of :mod:`hub.tickets` are registered with Strawberry here, once, before any
type or input of the graph names them: import them from this module.
"""

from __future__ import annotations

import strawberry

from hub.tickets import (
    AgencySort,
    GroupBy,
    Priority,
    SlaState,
    TicketEventKind,
    TicketKind,
    TicketStatus,
)

strawberry.enum(
    TicketKind,
    description="What the citizen is doing by writing: ENQUIRY (asking a question), COMPLAINT "
    "(a service fell short), COMMENDATION (praise), REPORT (an incident the agency should act "
    "on) or REQUEST (asking the agency to do something).",
)
strawberry.enum(
    TicketStatus,
    description="Where a ticket stands: RECEIVED (stored, no answer yet), ACKNOWLEDGED (the "
    "agency answered), IN_PROGRESS, RESOLVED, REJECTED (the agency will not act, and says "
    "why), REOPENED (the citizen was not satisfied) or CLOSED (final).",
)
strawberry.enum(
    Priority,
    name="TicketPriority",
    description="How soon a ticket needs attention: LOW, NORMAL, HIGH or URGENT.",
)
strawberry.enum(
    SlaState,
    description="A ticket against its service level agreement: ON_TRACK, AT_RISK (most of the "
    "time to an open deadline has passed), BREACHED (a deadline was missed; final) or MET.",
)
strawberry.enum(TicketEventKind, description="What an entry of a ticket's timeline records.")
strawberry.enum(
    AgencySort,
    name="AgencyTicketSort",
    description="Orders of an agency's ticket queue: DUE_DATE (the next deadline first: the "
    "first response's until it is given, then the resolution's) or PRIORITY (URGENT first, "
    "then by the next deadline).",
)
strawberry.enum(
    GroupBy,
    name="TicketStatisticsGroupBy",
    description="What ticket statistics are broken down by: AGENCY, CATEGORY (agency/category) "
    "or AREA (the area citizens gave).",
)

__all__ = [
    "AgencySort",
    "GroupBy",
    "Priority",
    "SlaState",
    "TicketEventKind",
    "TicketKind",
    "TicketStatus",
]
