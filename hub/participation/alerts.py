"""Saved alerts: a citizen's standing wish to hear of the vacancies, bids, news and
security alerts that match their criteria.

The store keeps each citizen's alerts (at most :data:`MAX_ALERTS`); which events
match one is :func:`~hub.participation.matching.alert_matches`'s to say, and
delivering them is the ``myAlertFeed`` subscription's.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select

from hub.errors import InvalidInput, NotFound
from hub.identity import Caller, Role, require_role
from hub.participation import checks
from hub.participation.core import StoreCore, moment
from hub.participation.models import SavedAlert
from hub.participation.views import AlertKind, SavedAlertView

MAX_ALERTS = 20
"""Saved alerts one citizen may keep."""
MAX_NAME = 100
MAX_KEYWORDS = 10
KEYWORD_LENGTH = (2, 50)
MAX_AREAS = 10
MAX_AREA = 100


@dataclass(frozen=True, slots=True, kw_only=True)
class NewAlert:
    """An alert to save: its name and criteria (see :mod:`~hub.participation.matching`).

    At least one criterion must be given. Errors name the arguments as ``saveAlert``'s
    input does (``keywords[1]``, ``agencies``).
    """

    name: str
    keywords: Sequence[str] = ()
    agencies: Sequence[str] = ()
    areas: Sequence[str] = ()
    kinds: Sequence[AlertKind] = ()

    def checked(self, agencies: Collection[str]) -> NewAlert:
        """This alert cleaned (repeats dropped); :class:`InvalidInput` naming the first
        argument that is wrong."""
        shortest, longest = KEYWORD_LENGTH
        name = checks.text("name", self.name, most=MAX_NAME)
        keywords = checks.text_list(
            "keywords", self.keywords, most_items=MAX_KEYWORDS, least=shortest, most=longest
        )
        for index, agency in enumerate(self.agencies):
            checks.known_agency(f"agencies[{index}]", agency, agencies)
        known = list(dict.fromkeys(self.agencies))
        areas = checks.text_list("areas", self.areas, most_items=MAX_AREAS, most=MAX_AREA)
        cleaned = replace(
            self,
            name=name,
            keywords=tuple(keywords),
            agencies=tuple(known),
            areas=tuple(areas),
            kinds=tuple(kind for kind in AlertKind if kind in self.kinds),
        )
        if not (cleaned.keywords or cleaned.agencies or cleaned.areas or cleaned.kinds):
            raise InvalidInput(
                "input",
                "an alert needs at least one criterion: give keywords, agencies, areas or kinds",
            )
        return cleaned


class AlertStore(StoreCore):
    """Citizens' saved alerts."""

    async def save(
        self, alert: NewAlert, caller: Caller, *, now: datetime | None = None
    ) -> SavedAlertView:
        """Save ``alert`` for ``caller``. Citizens only; bad input, or a citizen who has
        :data:`MAX_ALERTS` already, is :class:`InvalidInput` and nothing is written."""
        require_role(caller, Role.CITIZEN)
        assert caller.subject is not None
        at = moment(now)
        checked = alert.checked(self.agencies)
        async with self._writing() as session:
            await self._lock_subject(session, caller.subject)
            statement = (
                select(func.count())
                .select_from(SavedAlert)
                .where(SavedAlert.subject == caller.subject)
            )
            if (await session.execute(statement)).scalar_one() >= MAX_ALERTS:
                raise InvalidInput(
                    "input",
                    f"you have {MAX_ALERTS} saved alerts, the most a citizen may keep; "
                    "delete one you no longer need (deleteAlert) first",
                )
            row = SavedAlert(
                subject=caller.subject,
                name=checked.name,
                keywords=list(checked.keywords),
                agencies=list(checked.agencies),
                areas=list(checked.areas),
                kinds=[kind.value for kind in checked.kinds],
                created_at=at,
            )
            session.add(row)
            await session.flush()
            return SavedAlertView.of(row)

    async def delete(self, alert_id: int, caller: Caller) -> SavedAlertView:
        """Delete ``caller``'s alert ``alert_id``; the alert as it was. :class:`NotFound`
        if they have no such alert (another citizen's is not theirs to delete)."""
        require_role(caller, Role.CITIZEN)
        async with self._writing() as session:
            row = await session.scalar(
                select(SavedAlert).where(
                    SavedAlert.id == alert_id, SavedAlert.subject == caller.subject
                )
            )
            if row is None:
                raise NotFound(
                    f"you have no saved alert {alert_id}; list yours with the myAlerts query"
                )
            gone = SavedAlertView.of(row)
            await session.delete(row)
            return gone

    async def alerts_of(self, subject: str) -> list[SavedAlertView]:
        """The alerts the citizen ``subject`` saved, oldest first."""
        statement = (
            select(SavedAlert)
            .where(SavedAlert.subject == subject)
            .order_by(SavedAlert.created_at, SavedAlert.id)
        )
        async with self._reading() as session:
            return [SavedAlertView.of(row) for row in await session.scalars(statement)]


__all__ = [
    "KEYWORD_LENGTH",
    "MAX_ALERTS",
    "MAX_AREA",
    "MAX_AREAS",
    "MAX_KEYWORDS",
    "MAX_NAME",
    "AlertStore",
    "NewAlert",
]
