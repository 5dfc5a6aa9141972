"""Reading polls: one by id, pages of them, their results and citizens' votes.

Results are counted by the database, one query for any number of polls. Reads check
no rights: polls and their results are public, and who may read whose vote is the
graph's to decide.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.errors import InvalidInput, NotFound
from hub.gateway import decode_cursor, encode_cursor
from hub.participation.core import StoreCore, moment
from hub.participation.models import Poll, PollOption, PollVote
from hub.participation.views import OptionVotes, PollOptionView, PollPage, PollResults, PollView

MAX_PAGE = 100
_SCOPE = "polls"


def no_poll(poll_id: int) -> NotFound:
    """The error for a poll id no poll has."""
    return NotFound(f"no poll has the id {poll_id}; list the polls with the polls query")


class PollReads(StoreCore):
    """The poll store's reads."""

    async def get(self, poll_id: int) -> PollView:
        """The poll ``poll_id`` with its options; :class:`NotFound` if there is none."""
        polls = await self.get_many([poll_id])
        if poll_id not in polls:
            raise no_poll(poll_id)
        return polls[poll_id]

    async def get_many(self, poll_ids: Collection[int]) -> dict[int, PollView]:
        """The polls of ``poll_ids`` that exist, by id."""
        async with self._reading() as session:
            rows = (await session.scalars(select(Poll).where(Poll.id.in_(poll_ids)))).all()
            return await _with_options(session, rows)

    async def page(
        self,
        *,
        is_open: bool | None = None,
        area: str | None = None,
        first: int = 20,
        after: str | None = None,
        now: datetime | None = None,
    ) -> PollPage:
        """The polls, newest first: ``first`` of them after the cursor ``after``.

        ``is_open`` keeps the polls taking votes at ``now`` (``True``) or the others
        (``False``); ``area`` the polls about that area (ignoring case).
        """
        if not 0 <= first <= MAX_PAGE:
            raise InvalidInput("first", f"must be between 0 and {MAX_PAGE}, got {first}")
        conditions: list[ColumnElement[bool]] = []
        if is_open is not None:
            at = moment(now)
            taking_votes = and_(Poll.opens_at <= at, Poll.closes_at > at)
            conditions.append(taking_votes if is_open else not_(taking_votes))
        if area is not None:
            conditions.append(func.lower(Poll.area) == func.lower(area.strip()))
        page = list(conditions)
        if after is not None:
            page.append(Poll.id < _cursor_id(after))
        rows_query = select(Poll).where(*page).order_by(Poll.id.desc()).limit(first + 1)
        count_query = select(func.count()).select_from(Poll).where(*conditions)
        async with self._reading() as session:
            rows = (await session.scalars(rows_query)).all()
            total = (await session.execute(count_query)).scalar_one()
            polls = await _with_options(session, rows[:first])
        edges = [(encode_cursor(_SCOPE, (row.id,)), polls[row.id]) for row in rows[:first]]
        return PollPage(
            edges=edges,
            has_next_page=len(rows) > first,
            has_previous_page=after is not None,
            total_count=total,
        )

    async def results(self, poll_id: int) -> PollResults:
        """The votes per option of poll ``poll_id``; :class:`NotFound` if there is none."""
        results = await self.results_of([poll_id])
        if poll_id not in results:
            raise no_poll(poll_id)
        return results[poll_id]

    async def results_of(self, poll_ids: Collection[int]) -> dict[int, PollResults]:
        """The results of the polls of ``poll_ids`` that exist, by id, in one query."""
        votes = func.count(PollVote.voter_subject)
        statement = (
            select(PollOption.poll_id, PollOption.id, PollOption.position, PollOption.label, votes)
            .outerjoin(
                PollVote,
                and_(PollVote.poll_id == PollOption.poll_id, PollVote.option_id == PollOption.id),
            )
            .where(PollOption.poll_id.in_(poll_ids))
            .group_by(PollOption.poll_id, PollOption.id, PollOption.position, PollOption.label)
            .order_by(PollOption.poll_id, PollOption.position)
        )
        counted: defaultdict[int, list[OptionVotes]] = defaultdict(list)
        async with self._reading() as session:
            for poll_id, option_id, position, label, count in await session.execute(statement):
                counted[poll_id].append(
                    OptionVotes(PollOptionView(option_id, position, label), count)
                )
        return {poll_id: PollResults(poll_id, tuple(each)) for poll_id, each in counted.items()}

    async def votes_of(self, subject: str, poll_ids: Collection[int]) -> dict[int, int]:
        """The option ``subject`` chose in each of the polls of ``poll_ids`` they voted in."""
        statement = select(PollVote.poll_id, PollVote.option_id).where(
            PollVote.voter_subject == subject, PollVote.poll_id.in_(poll_ids)
        )
        async with self._reading() as session:
            rows = await session.execute(statement)
            return {row.poll_id: row.option_id for row in rows}


async def _with_options(session: AsyncSession, rows: Sequence[Poll]) -> dict[int, PollView]:
    if not rows:
        return {}
    options: defaultdict[int, list[PollOption]] = defaultdict(list)
    statement = select(PollOption).where(PollOption.poll_id.in_([row.id for row in rows]))
    for option in await session.scalars(statement):
        options[option.poll_id].append(option)
    return {row.id: PollView.of(row, options[row.id]) for row in rows}


def _cursor_id(cursor: str) -> int:
    (poll_id, *rest) = decode_cursor(_SCOPE, cursor)
    if rest or not isinstance(poll_id, int) or isinstance(poll_id, bool):
        raise InvalidInput(
            "after", "the cursor does not fit this list; pass the endCursor of a previous page"
        )
    return poll_id


__all__ = ["MAX_PAGE", "PollReads", "no_poll"]
