"""Polls: admins and agency staff ask, citizens vote once, everyone sees the results.

=====================================  =========================================
admins (any agency, or the hub)        :meth:`PollStore.create`, :meth:`~PollStore.close`
resolvers (their own agency's polls)   :meth:`PollStore.create`, :meth:`~PollStore.close`
citizens                               :meth:`PollStore.vote`
anyone                                 the reads of :class:`~.poll_reads.PollReads`
=====================================  =========================================

A vote is final: the database keeps one vote per citizen and poll (its primary key),
so a second vote, even one sent at the same moment as the first, is refused with
:class:`~hub.errors.AlreadyVoted` and writes nothing. Once a vote is committed, the
poll's results are published on :func:`~hub.events.topics.poll_topic` (the data is
:meth:`~hub.participation.views.PollResults.to_data`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hub.errors import AlreadyVoted, Forbidden, InvalidInput, PollNotOpen
from hub.events import EventBus
from hub.events.topics import poll_topic
from hub.identity import Caller, Role, require_authenticated, require_role
from hub.participation.core import moment
from hub.participation.models import Poll, PollOption, PollVote
from hub.participation.new_poll import NewPoll
from hub.participation.poll_reads import PollReads, no_poll
from hub.participation.views import PollResults, PollState, PollView


class PollStore(PollReads):
    """The hub's polls; see the module's docstring for who may do what.

    ``agencies`` are the keys of the agencies the hub serves; ``events`` is the bus
    the results go to after each vote (none: they are not published).
    """

    def __init__(
        self, engine: AsyncEngine, agencies: Collection[str], events: EventBus | None = None
    ) -> None:
        super().__init__(engine, agencies)
        self.events = events

    async def create(
        self, poll: NewPoll, caller: Caller, *, now: datetime | None = None
    ) -> PollView:
        """Store ``poll``, asked by ``caller``'s agency (or as given, for admins).

        Admins may create polls for any agency or, without one, for the hub; resolvers
        only for their own agency (the default for them). Bad input is
        :class:`InvalidInput` naming the argument, and nothing is written.
        """
        at = moment(now)
        agency = _asking_agency(caller, poll.agency)
        checked = replace(poll, agency=agency).checked(at, self.agencies)
        assert checked.opens_at is not None
        assert caller.subject is not None
        async with self._writing() as session:
            row = Poll(
                question=checked.question,
                agency=checked.agency,
                area=checked.area,
                opens_at=checked.opens_at,
                closes_at=checked.closes_at,
                created_by=caller.subject,
                created_at=at,
            )
            session.add(row)
            await session.flush()
            options = [
                PollOption(poll_id=row.id, position=position, label=label)
                for position, label in enumerate(checked.options)
            ]
            session.add_all(options)
            await session.flush()
            return PollView.of(row, options)

    async def close(self, poll_id: int, caller: Caller, *, now: datetime | None = None) -> PollView:
        """Stop poll ``poll_id`` taking votes now; a closed poll stays as it is.

        Admins may close any poll; resolvers their own agency's. :class:`NotFound` if
        there is no such poll.
        """
        at = moment(now)
        require_authenticated(caller)
        async with self._writing() as session:
            row = await session.scalar(select(Poll).where(Poll.id == poll_id).with_for_update())
            if row is None:
                raise no_poll(poll_id)
            _require_poll_staff(caller, row.agency)
            if row.closes_at > at:
                row.closes_at = at
                row.opens_at = min(row.opens_at, at)
            options = await _options(session, poll_id)
            await session.flush()
            return PollView.of(row, options)

    async def vote(
        self, poll_id: int, option_id: int, caller: Caller, *, now: datetime | None = None
    ) -> PollResults:
        """Cast ``caller``'s vote for option ``option_id`` of poll ``poll_id``; the
        results after it, as published.

        Citizens only. :class:`NotFound` for no such poll, :class:`PollNotOpen` outside
        its opening times, :class:`InvalidInput` (``optionId``) for an option of
        another poll, :class:`AlreadyVoted` for a second vote.
        """
        require_role(caller, Role.CITIZEN)
        assert caller.subject is not None
        at = moment(now)
        try:
            async with self._writing() as session:
                await self._check_vote(session, poll_id, option_id, caller.subject, at)
                session.add(
                    PollVote(
                        poll_id=poll_id,
                        option_id=option_id,
                        voter_subject=caller.subject,
                        voted_at=at,
                    )
                )
                await session.flush()
        except IntegrityError:
            # Another vote of the same citizen committed first.
            if await self.votes_of(caller.subject, [poll_id]):
                raise _already_voted(poll_id) from None
            raise
        results = await self.results(poll_id)
        if self.events is not None:
            await self.events.publish(poll_topic(poll_id), results.to_data())
        return results

    async def _check_vote(
        self, session: AsyncSession, poll_id: int, option_id: int, subject: str, at: datetime
    ) -> None:
        # FOR SHARE: a poll being closed right now is either closed before the vote
        # is checked, or after it is committed.
        statement = select(Poll).where(Poll.id == poll_id).with_for_update(read=True)
        row = await session.scalar(statement)
        if row is None:
            raise no_poll(poll_id)
        poll = PollView.of(row, await _options(session, poll_id))
        state = poll.state(at)
        if state is PollState.UPCOMING:
            raise PollNotOpen(
                f"poll {poll_id} opens at {poll.opens_at.isoformat()}; vote after that"
            )
        if state is PollState.CLOSED:
            raise PollNotOpen(
                f"poll {poll_id} closed at {poll.closes_at.isoformat()}; its results are final"
            )
        if poll.option(option_id) is None:
            choices = ", ".join(f"{option.id} ({option.label})" for option in poll.options)
            raise InvalidInput(
                "optionId",
                f"poll {poll_id} has no option {option_id}; choose one of its own: {choices}",
            )
        earlier = await session.get(PollVote, (poll_id, subject))
        if earlier is not None:
            raise _already_voted(poll_id)


def _asking_agency(caller: Caller, asked: str | None) -> str | None:
    """The agency a poll of ``caller`` asking for ``asked`` belongs to; refuses
    anyone but admins and that agency's resolvers."""
    require_authenticated(caller)
    if caller.is_admin:
        return asked
    if caller.has_role(Role.RESOLVER) and caller.agency is not None:
        if asked is None or asked == caller.agency:
            return caller.agency
        raise Forbidden(
            f"your token is for staff of {caller.agency}; you may create polls for "
            f"{caller.agency} only, not for {asked}"
        )
    raise Forbidden(
        "polls are created by admins and agency staff (resolver tokens); "
        f"your token is a {caller.primary_role}"
    )


def _require_poll_staff(caller: Caller, agency: str | None) -> None:
    if caller.is_admin or (agency is not None and caller.resolves_for(agency)):
        return
    if agency is None:
        raise Forbidden("this is the hub's own poll; only admins may close it")
    raise Forbidden(f"this poll is {agency}'s; only staff of {agency} and admins may close it")


def _already_voted(poll_id: int) -> AlreadyVoted:
    return AlreadyVoted(
        f"you have voted in poll {poll_id} already, and a vote is final; "
        "see your choice in the poll's myVote"
    )


async def _options(session: AsyncSession, poll_id: int) -> list[PollOption]:
    statement = select(PollOption).where(PollOption.poll_id == poll_id)
    return list(await session.scalars(statement))


__all__ = ["PollStore"]
