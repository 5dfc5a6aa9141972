"""What every resolver receives as ``info.context``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError

from hub.agencies import AgencyRegistry
from hub.audit.entry import AuditSink
from hub.events import EventBus
from hub.gateway import Gateway
from hub.identity import ANONYMOUS, Caller
from hub.participation import Participation
from hub.schema.loaders import Loaders
from hub.schema.participation import ParticipationLoaders
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
    ``tickets`` the ticket store (``None`` when the agencies file routes no tickets);
    ``events`` the bus subscriptions listen on (``None`` before the hub has started);
    ``participation`` the stores of polls, feedback and saved alerts (``None`` before
    the hub has started).
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
    events: EventBus | None = None
    participation: Participation | None = None
    partial_errors: list[GraphQLError] = field(default_factory=list)
    stale_answers: list[dict[str, Any]] = field(default_factory=list)
    _loaders: Loaders | None = field(default=None, init=False, repr=False)
    _participation_loaders: ParticipationLoaders | None = field(
        default=None, init=False, repr=False
    )

    def forget_loaded(self) -> None:
        """Drop what the loaders hold, so the next reads see the current state: a
        subscription calls this before each result it sends."""
        self._loaders = None
        self._participation_loaders = None

    @property
    def loaders(self) -> Loaders:
        """The request's DataLoaders (:mod:`hub.schema.loaders`), made on first use."""
        if self._loaders is None:
            self._loaders = Loaders(self.gateway, self.caller, self.tickets)
        return self._loaders

    @property
    def participation_loaders(self) -> ParticipationLoaders:
        """The request's loaders of polls and feedback, made on first use
        (:mod:`hub.schema.participation`)."""
        if self._participation_loaders is None:
            self._participation_loaders = ParticipationLoaders(self.participation, self.caller)
        return self._participation_loaders


__all__ = ["HubContext"]
