"""What the polls, feedback and alerts parts of the graph share: how they reach their
stores, the DataLoaders that read them once for a whole response, their global IDs,
and errors that name the input field the client sent.

The loaders are made on first use for each request
(:attr:`hub.schema.context.HubContext.participation_loaders`), for its caller:

- ``feedback``: agencies' feedback summaries by agency key; one query for a list of
  agencies;
- ``results``: poll results by poll id; one query for a page of polls;
- ``my_votes``: the option the caller chose in each poll, by poll id (``None``: no
  vote, or an anonymous caller); one query for a page of polls.

None caches: a vote earlier in the same document must show in later fields.
"""

from __future__ import annotations

from collections.abc import Mapping

from strawberry.dataloader import DataLoader

from hub.errors import HubError, InvalidInput, NotFound
from hub.identity import Caller
from hub.participation import FeedbackSummary, Participation, PollResults
from hub.schema.ids import GlobalId, global_id

HOLDER = "hub"
"""The agency part of the global IDs of what the hub itself keeps: ``Poll:hub:7``."""


class ParticipationUnavailable(HubError):
    """The hub's database is not open yet, so it has no polls, feedback or alerts."""

    code = "PARTICIPATION_UNAVAILABLE"


def require_participation(participation: Participation | None) -> Participation:
    """``participation``; :class:`ParticipationUnavailable` when it is ``None``."""
    if participation is None:
        raise ParticipationUnavailable(
            "polls, feedback and saved alerts are kept in the hub's database, which is not "
            "open yet (the hub is starting); try again in a moment"
        )
    return participation


def hub_id(type_name: str, number: int) -> str:
    """The global ID of the hub's own record ``number`` of ``type_name``."""
    return global_id(type_name, HOLDER, str(number))


def number_of(value: str, type_name: str, argument: str) -> int:
    """The number inside ``value``, a global ID like ``Poll:hub:7`` of ``type_name``;
    :class:`InvalidInput` on ``argument`` for anything else."""
    gid = GlobalId.parse(value, argument)
    example = hub_id(type_name, 7)
    if gid.type_name != type_name or gid.agency != HOLDER:
        raise InvalidInput(argument, f"{value!r} is not the ID of a {type_name}; e.g. {example}")
    local = gid.local_id
    if not (local.isascii() and local.isdigit() and len(local) <= 18):
        raise InvalidInput(argument, f"{value!r} is not the ID of a {type_name}; e.g. {example}")
    return int(local)


def in_input(error: InvalidInput, paths: Mapping[str, str]) -> InvalidInput:
    """``error`` naming the field of the mutation's ``input`` the client sent: the
    store's ``options[2]`` becomes ``input.options[2]``."""
    base, bracket, rest = error.argument.partition("[")
    path = paths.get(base)
    if path is None:
        return error
    message = error.message.removeprefix(f"{error.argument}: ")
    return InvalidInput(f"{path}{bracket}{rest}", message, agency=error.agency)


class ParticipationLoaders:
    """The participation loaders of one request, for ``caller``."""

    def __init__(self, participation: Participation | None, caller: Caller) -> None:
        self._participation = participation
        self._caller = caller
        self.feedback: DataLoader[str, FeedbackSummary] = DataLoader(self._feedback, cache=False)
        self.results: DataLoader[int, PollResults] = DataLoader(self._results, cache=False)
        self.my_votes: DataLoader[int, int | None] = DataLoader(self._my_votes, cache=False)

    async def _feedback(self, agencies: list[str]) -> list[FeedbackSummary]:
        stores = require_participation(self._participation)
        found = await stores.feedback.summaries(agencies)
        return [found[agency] for agency in agencies]

    async def _results(self, poll_ids: list[int]) -> list[PollResults | HubError]:
        stores = require_participation(self._participation)
        found = await stores.polls.results_of(poll_ids)
        return [
            found.get(poll_id) or NotFound(f"no poll has the id {poll_id}") for poll_id in poll_ids
        ]

    async def _my_votes(self, poll_ids: list[int]) -> list[int | None]:
        subject = self._caller.subject
        if subject is None:
            return [None] * len(poll_ids)
        stores = require_participation(self._participation)
        found = await stores.polls.votes_of(subject, poll_ids)
        return [found.get(poll_id) for poll_id in poll_ids]


__all__ = [
    "HOLDER",
    "ParticipationLoaders",
    "ParticipationUnavailable",
    "hub_id",
    "in_input",
    "number_of",
    "require_participation",
]
