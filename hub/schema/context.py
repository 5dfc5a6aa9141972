"""What every resolver receives as ``info.context``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError

from hub.agencies import AgencyRegistry
from hub.audit.entry import AuditSink
from hub.gateway import Gateway
from hub.identity import ANONYMOUS, Caller
from hub.settings import Settings
from hub.tickets import TicketStore


@dataclass(slots=True)
class HubContext:
    """Per-request context: the gateway, the settings, and errors to add to the answer.

    ``partial_errors`` collects the errors of agencies that failed while others
    answered; they are added to the response's ``errors`` after execution.
    ``stale_answers`` marks answers served from the cache while their agency failed;
    they go to the response's ``extensions.staleAnswers``. ``caller`` is the verified
    caller; ``audit`` the log every access to personal data is written to;
    ``tickets`` the ticket store (``None`` when the agencies file routes no tickets).
    """

    settings: Settings
    registry: AgencyRegistry
    gateway: Gateway
    request: Any = None
    caller: Caller = ANONYMOUS
    audit: AuditSink | None = None
    tickets: TicketStore | None = None
    request_id: str | None = None
    client: str | None = None
    partial_errors: list[GraphQLError] = field(default_factory=list)
    stale_answers: list[dict[str, Any]] = field(default_factory=list)


__all__ = ["HubContext"]
