"""Citizen participation: polls, feedback to agencies, and saved alerts.

The hub keeps them in its own database (tables of :mod:`.models`, migration
``0003_participation``), one store each, bundled as :class:`Participation`:

- :class:`PollStore`: admins and agency staff create and close polls, citizens vote
  once, and each vote's results are published on the poll's topic;
- :class:`FeedbackStore`: citizens rate agencies; :meth:`FeedbackStore.summaries`
  counts them;
- :class:`AlertStore`: citizens save alerts; :func:`alert_matches` says whether an
  event is one an alert asks for.

Errors: :class:`~hub.errors.InvalidInput` (the argument and what to send instead),
:class:`~hub.errors.Unauthenticated`, :class:`~hub.errors.Forbidden`,
:class:`~hub.errors.NotFound`, :class:`~hub.errors.AlreadyVoted`,
:class:`~hub.errors.PollNotOpen`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.events import EventBus
from hub.participation.alerts import MAX_ALERTS, AlertStore, NewAlert
from hub.participation.feedback import FeedbackStore
from hub.participation.matching import AlertCandidate, alert_matches
from hub.participation.new_poll import OPTION_COUNT, NewPoll
from hub.participation.polls import PollStore
from hub.participation.views import (
    AlertKind,
    FeedbackSummary,
    FeedbackView,
    OptionVotes,
    PollOptionView,
    PollPage,
    PollResults,
    PollState,
    PollView,
    SavedAlertView,
)


@dataclass(frozen=True, slots=True)
class Participation:
    """The three stores over one database, for the agencies the hub serves."""

    polls: PollStore
    feedback: FeedbackStore
    alerts: AlertStore

    @classmethod
    def over(
        cls, engine: AsyncEngine, agencies: Collection[str], events: EventBus | None = None
    ) -> Participation:
        """The stores over ``engine`` (migrated by :func:`hub.db.upgrade`); poll results
        are published on ``events``."""
        return cls(
            polls=PollStore(engine, agencies, events),
            feedback=FeedbackStore(engine, agencies),
            alerts=AlertStore(engine, agencies),
        )


__all__ = [
    "MAX_ALERTS",
    "OPTION_COUNT",
    "AlertCandidate",
    "AlertKind",
    "AlertStore",
    "FeedbackStore",
    "FeedbackSummary",
    "FeedbackView",
    "NewAlert",
    "NewPoll",
    "OptionVotes",
    "Participation",
    "PollOptionView",
    "PollPage",
    "PollResults",
    "PollState",
    "PollStore",
    "PollView",
    "SavedAlertView",
    "alert_matches",
]
