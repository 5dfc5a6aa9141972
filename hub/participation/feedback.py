"""Feedback: citizens rate an agency from 1 to 5 and say why; the agency's statistics
count it.

Each feedback is kept as sent; the summary of an agency (how many rated it, their
average rating) is computed by the database, one query for any number of agencies.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select

from hub.errors import InvalidInput
from hub.identity import Caller, Role, require_role
from hub.participation import checks
from hub.participation.core import StoreCore, moment
from hub.participation.models import AgencyFeedback
from hub.participation.views import FeedbackSummary, FeedbackView

RATINGS = range(1, 6)
MAX_TEXT = 2000
_DIGITS = 2
"""Average ratings are rounded to this many decimals."""


class FeedbackStore(StoreCore):
    """Citizens' feedback to the agencies the hub serves."""

    async def send(
        self,
        agency: str,
        rating: int,
        text: str,
        caller: Caller,
        *,
        now: datetime | None = None,
    ) -> FeedbackView:
        """Store ``caller``'s ``rating`` (1 to 5) of ``agency`` with ``text``.

        Citizens only. Bad input is :class:`InvalidInput` naming the argument
        (``agency``, ``rating``, ``text``), and nothing is written.
        """
        require_role(caller, Role.CITIZEN)
        assert caller.subject is not None
        at = moment(now)
        checks.known_agency("agency", agency, self.agencies)
        if isinstance(rating, bool) or rating not in RATINGS:
            raise InvalidInput(
                "rating", f"must be a whole number from 1 (poor) to 5 (excellent), got {rating}"
            )
        cleaned = checks.text("text", text, most=MAX_TEXT, multiline=True)
        async with self._writing() as session:
            row = AgencyFeedback(
                agency=agency, subject=caller.subject, rating=rating, text=cleaned, created_at=at
            )
            session.add(row)
            await session.flush()
            return FeedbackView.of(row)

    async def summaries(self, agencies: Collection[str]) -> dict[str, FeedbackSummary]:
        """The summary of each of ``agencies``, in one query; an agency nobody rated
        has a count of 0 and no average."""
        statement = (
            select(AgencyFeedback.agency, func.count(), func.avg(AgencyFeedback.rating))
            .where(AgencyFeedback.agency.in_(agencies))
            .group_by(AgencyFeedback.agency)
        )
        found: dict[str, FeedbackSummary] = {}
        async with self._reading() as session:
            for agency, count, average in await session.execute(statement):
                found[agency] = FeedbackSummary(count, round(float(average), _DIGITS))
        empty = FeedbackSummary(0, None)
        return {agency: found.get(agency, empty) for agency in agencies}


__all__ = ["MAX_TEXT", "RATINGS", "FeedbackStore"]
