"""Polls in the graph: admins and agency staff ask, citizens vote once, anyone reads the
results.

Resolvers stay thin: they parse global IDs, call the poll store (which checks who
asks and what they send) and show its answer. Results and the caller's own vote are
loaded for a whole page of polls at once (:mod:`hub.schema.participation`).

===========================  ==========================================
anyone                       ``polls``, ``poll(id)``, results
citizens                     ``vote``, ``myVote``
admins, agency staff         ``createPoll``, ``closePoll`` (staff: their own
                             agency's polls only; the hub's own: admins)
===========================  ==========================================
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from hub import participation
from hub.errors import InvalidInput, NotFound
from hub.identity.permissions import IsCitizen, IsResolver
from hub.limits import ListSize
from hub.participation import (
    OPTION_COUNT,
    NewPoll,
    OptionVotes,
    PollOptionView,
    PollState,
    PollView,
)
from hub.schema.agencies import Agency, Info, agency_by_key
from hub.schema.common import Connection, Edge, PageInfo
from hub.schema.participation import hub_id, in_input, number_of, require_participation

strawberry.enum(
    PollState,
    description="Where a poll stands: UPCOMING (not open yet), OPEN (taking votes) or CLOSED "
    "(its results are final).",
)

_MOST_OPTIONS = OPTION_COUNT[1]
_INPUT_PATHS = {
    name: f"input.{name}"
    for name in ("question", "options", "opensAt", "closesAt", "agency", "area")
}

PollId = Annotated[
    strawberry.ID, strawberry.argument(description="The poll's ID, e.g. Poll:hub:7.")
]


@strawberry.type(description="One answer of a poll.")
class PollOption:
    id: strawberry.ID = strawberry.field(description="The global ID: PollOption:hub:<n>.")
    label: str = strawberry.field(description="The answer, as voters read it.")
    position: int = strawberry.field(description="Its place among the poll's options, from 0.")

    @classmethod
    def of(cls, option: PollOptionView) -> PollOption:
        """The GraphQL form of a poll's option."""
        return cls(
            id=strawberry.ID(hub_id("PollOption", option.id)),
            label=option.label,
            position=option.position,
        )


@strawberry.type(description="How many votes one option of a poll has.")
class PollOptionResult:
    option: PollOption = strawberry.field(description="The option.")
    votes: int = strawberry.field(description="The votes cast for it.")

    @classmethod
    def of(cls, counted: OptionVotes) -> PollOptionResult:
        """The GraphQL form of an option's count."""
        return cls(option=PollOption.of(counted.option), votes=counted.votes)


@strawberry.type(
    name="PollResults",
    description="A poll's votes per option, as they stand after a vote.",
)
class PollResultsType:
    poll_id: strawberry.ID = strawberry.field(description="The poll's ID, e.g. Poll:hub:7.")
    results: list[PollOptionResult] = strawberry.field(
        description="The votes of each option, in the poll's order.",
        directives=[ListSize(assumed_size=_MOST_OPTIONS)],
    )
    total_votes: int = strawberry.field(description="The votes cast in the poll.")

    @classmethod
    def of(cls, results: participation.PollResults) -> PollResultsType:
        """The GraphQL form of a poll's results (:meth:`PollResults.from_data` reads them
        back from an event on the poll's topic)."""
        return cls(
            poll_id=strawberry.ID(hub_id("Poll", results.poll_id)),
            results=[PollOptionResult.of(counted) for counted in results.options],
            total_votes=results.total_votes,
        )


@strawberry.type(
    description="A question an agency (or the hub) puts to citizens, who answer by choosing "
    "one of its options, once. Its results are public while it runs."
)
class Poll:
    id: strawberry.ID = strawberry.field(description="The global ID: Poll:hub:<n>.")
    question: str = strawberry.field(description="What citizens are asked.")
    area: str | None = strawberry.field(
        description="The area the poll is about; null for everywhere."
    )
    opens_at: datetime = strawberry.field(description="When it starts taking votes.")
    closes_at: datetime = strawberry.field(
        description="When it stops taking votes (the moment it was closed, if closed early)."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    options: list[PollOption] = strawberry.field(
        description="The answers to choose from, in order.",
        directives=[ListSize(assumed_size=_MOST_OPTIONS)],
    )
    view: strawberry.Private[PollView]

    @strawberry.field(description="The agency that asks; null for the hub's own polls.")
    def agency(self, info: Info) -> Agency | None:
        key = self.view.agency
        return None if key is None else agency_by_key(info, key)

    @strawberry.field(description="Where the poll stands now.")
    def state(self) -> PollState:
        return self.view.state(datetime.now(UTC))

    @strawberry.field(description="Whether it takes votes now.")
    def is_open(self) -> bool:
        return self.view.state(datetime.now(UTC)) is PollState.OPEN

    @strawberry.field(
        description="The votes of each option, in order; they change with every vote until "
        "the poll closes.",
        directives=[ListSize(assumed_size=_MOST_OPTIONS)],
    )
    async def results(self, info: Info) -> list[PollOptionResult]:
        counted = await info.context.participation_loaders.results.load(self.view.id)
        return [PollOptionResult.of(each) for each in counted.options]

    @strawberry.field(description="The votes cast in the poll.")
    async def total_votes(self, info: Info) -> int:
        counted = await info.context.participation_loaders.results.load(self.view.id)
        return counted.total_votes

    @strawberry.field(
        description="The option the caller voted for; null when they have not voted (or sent "
        "no token)."
    )
    async def my_vote(self, info: Info) -> PollOption | None:
        chosen = await info.context.participation_loaders.my_votes.load(self.view.id)
        option = None if chosen is None else self.view.option(chosen)
        return None if option is None else PollOption.of(option)

    @classmethod
    def of(cls, poll: PollView) -> Poll:
        """The GraphQL form of a stored poll."""
        return cls(
            id=strawberry.ID(hub_id("Poll", poll.id)),
            question=poll.question,
            area=poll.area,
            opens_at=poll.opens_at,
            closes_at=poll.closes_at,
            created_at=poll.created_at,
            options=[PollOption.of(option) for option in poll.options],
            view=poll,
        )


@strawberry.input(description="A new poll.")
class CreatePollInput:
    question: str = strawberry.field(description="What citizens are asked: 5 to 300 characters.")
    options: list[str] = strawberry.field(
        description="2 to 10 different answers to choose from, each 1 to 100 characters, in "
        "the order voters see them."
    )
    closes_at: datetime = strawberry.field(
        description="When it stops taking votes: after opensAt and in the future, with a zone."
    )
    opens_at: datetime | None = strawberry.field(
        default=None,
        description="When it starts taking votes, with a zone; now if omitted or already past.",
    )
    agency: str | None = strawberry.field(
        default=None,
        description="The key of the agency that asks. Agency staff may name only their own "
        "agency, which is also the default for them; admins may name any, or none for a poll "
        "of the hub itself.",
    )
    area: str | None = strawberry.field(
        default=None, description="The area it is about (at most 100 characters); omit for all."
    )

    def to_new_poll(self) -> NewPoll:
        """The store's form of this poll, not yet checked."""
        return NewPoll(
            question=self.question,
            options=self.options,
            closes_at=self.closes_at,
            opens_at=self.opens_at,
            agency=self.agency,
            area=self.area,
        )


@strawberry.type
class PollQueries:
    @strawberry.field(description="Polls, newest first. Anyone may read them.")
    async def polls(
        self,
        info: Info,
        is_open: Annotated[
            bool | None,
            strawberry.argument(
                name="open",
                description="true: only polls taking votes now; false: only the others.",
            ),
        ] = None,
        area: Annotated[
            str | None,
            strawberry.argument(description="Only polls about this area (ignoring case)."),
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many polls, 0 to 100.")] = 20,
        after: Annotated[
            str | None,
            strawberry.argument(
                description="The endCursor of the previous page; omit for the first."
            ),
        ] = None,
    ) -> Connection[Poll]:
        if area is not None and (len(area) > 100 or not area.isprintable()):
            raise InvalidInput("area", "must be at most 100 characters of plain text")
        stores = require_participation(info.context.participation)
        page = await stores.polls.page(is_open=is_open, area=area, first=first, after=after)
        edges = [Edge(cursor=cursor, node=Poll.of(poll)) for cursor, poll in page.edges]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total_count,
        )

    @strawberry.field(description="One poll by its ID; null if there is none.")
    async def poll(self, info: Info, id: PollId) -> Poll | None:
        number = number_of(id, "Poll", "id")
        stores = require_participation(info.context.participation)
        try:
            return Poll.of(await stores.polls.get(number))
        except NotFound:
            return None


@strawberry.type
class PollMutations:
    @strawberry.mutation(
        description="Create a poll. Admins (for any agency, or the hub) and agency staff (for "
        "their own agency). Bad input is BAD_USER_INPUT naming the input field, and nothing is "
        "stored.",
        permission_classes=[IsResolver],
    )
    async def create_poll(
        self,
        info: Info,
        input: Annotated[CreatePollInput, strawberry.argument(description="The poll.")],
    ) -> Poll | None:
        stores = require_participation(info.context.participation)
        try:
            created = await stores.polls.create(input.to_new_poll(), info.context.caller)
        except InvalidInput as exc:
            raise in_input(exc, _INPUT_PATHS) from None
        return Poll.of(created)

    @strawberry.mutation(
        description="Stop a poll taking votes now; its results become final. Admins, and staff "
        "of the poll's agency. Closing a closed poll changes nothing.",
        permission_classes=[IsResolver],
    )
    async def close_poll(self, info: Info, id: PollId) -> Poll | None:
        number = number_of(id, "Poll", "id")
        stores = require_participation(info.context.participation)
        return Poll.of(await stores.polls.close(number, info.context.caller))

    @strawberry.mutation(
        description="Vote for one option of an open poll, once: a vote is final, and a second "
        "is ALREADY_VOTED. Citizens only. POLL_NOT_OPEN before the poll opens and after it "
        "closes. The poll's results are published to its subscribers.",
        permission_classes=[IsCitizen],
    )
    async def vote(
        self,
        info: Info,
        poll_id: PollId,
        option_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The chosen option's ID, e.g. PollOption:hub:21."),
        ],
    ) -> Poll | None:
        poll = number_of(poll_id, "Poll", "pollId")
        option = number_of(option_id, "PollOption", "optionId")
        stores = require_participation(info.context.participation)
        await stores.polls.vote(poll, option, info.context.caller)
        return Poll.of(await stores.polls.get(poll))


__all__ = [
    "CreatePollInput",
    "Poll",
    "PollId",
    "PollMutations",
    "PollOption",
    "PollOptionResult",
    "PollQueries",
    "PollResultsType",
]
