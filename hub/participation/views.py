"""What the participation stores return: frozen views of their rows, never the rows."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.participation.models import AgencyFeedback, Poll, PollOption, SavedAlert


class PollState(enum.Enum):
    """Where a poll stands at a moment."""

    UPCOMING = "UPCOMING"
    """Not open yet."""
    OPEN = "OPEN"
    """Taking votes."""
    CLOSED = "CLOSED"
    """No longer taking votes; its results are final."""


@dataclass(frozen=True, slots=True)
class PollOptionView:
    """One answer of a poll."""

    id: int
    position: int
    """Its place among the poll's options, from 0."""
    label: str

    @classmethod
    def of(cls, option: PollOption) -> PollOptionView:
        """The view of a row."""
        return cls(id=option.id, position=option.position, label=option.label)


@dataclass(frozen=True, slots=True, kw_only=True)
class PollView:
    """A poll and its options, in order."""

    id: int
    question: str
    agency: str | None
    """The agency that asks; ``None`` for the hub."""
    area: str | None
    opens_at: datetime
    closes_at: datetime
    created_by: str
    created_at: datetime
    options: tuple[PollOptionView, ...]

    @classmethod
    def of(cls, poll: Poll, options: Sequence[PollOption]) -> PollView:
        """The view of a poll's row and its options' rows."""
        return cls(
            id=poll.id,
            question=poll.question,
            agency=poll.agency,
            area=poll.area,
            opens_at=poll.opens_at,
            closes_at=poll.closes_at,
            created_by=poll.created_by,
            created_at=poll.created_at,
            options=tuple(
                PollOptionView.of(option) for option in sorted(options, key=lambda o: o.position)
            ),
        )

    def state(self, now: datetime) -> PollState:
        """Where the poll stands at ``now``: open from ``opens_at`` until ``closes_at``."""
        if now < self.opens_at:
            return PollState.UPCOMING
        return PollState.OPEN if now < self.closes_at else PollState.CLOSED

    def option(self, option_id: int) -> PollOptionView | None:
        """The poll's option ``option_id``, or ``None`` if it has no such option."""
        return next((option for option in self.options if option.id == option_id), None)


@dataclass(frozen=True, slots=True)
class OptionVotes:
    """How many votes one option has."""

    option: PollOptionView
    votes: int


@dataclass(frozen=True, slots=True)
class PollResults:
    """A poll's votes per option, in the options' order."""

    poll_id: int
    options: tuple[OptionVotes, ...]

    @property
    def total_votes(self) -> int:
        """The votes cast in the poll."""
        return sum(each.votes for each in self.options)

    def to_data(self) -> dict[str, Any]:
        """The results as the JSON an event on the poll's topic carries."""
        return {
            "pollId": self.poll_id,
            "totalVotes": self.total_votes,
            "options": [
                {
                    "id": each.option.id,
                    "position": each.option.position,
                    "label": each.option.label,
                    "votes": each.votes,
                }
                for each in self.options
            ],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> PollResults:
        """The results :meth:`to_data` wrote; :class:`ValueError` if ``data`` is not that."""
        try:
            options = tuple(
                OptionVotes(
                    PollOptionView(int(each["id"]), int(each["position"]), str(each["label"])),
                    int(each["votes"]),
                )
                for each in data["options"]
            )
            return cls(int(data["pollId"]), options)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not the results of a poll: {exc!r}") from None


@dataclass(frozen=True, slots=True)
class PollPage:
    """One page of polls, newest first, with the cursor of each."""

    edges: list[tuple[str, PollView]]
    has_next_page: bool
    has_previous_page: bool
    total_count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedbackView:
    """A citizen's feedback to an agency, as stored."""

    id: int
    agency: str
    subject: str
    rating: int
    text: str
    created_at: datetime

    @classmethod
    def of(cls, row: AgencyFeedback) -> FeedbackView:
        """The view of a row."""
        return cls(
            id=row.id,
            agency=row.agency,
            subject=row.subject,
            rating=row.rating,
            text=row.text,
            created_at=row.created_at,
        )


@dataclass(frozen=True, slots=True)
class FeedbackSummary:
    """What citizens think of an agency: how many rated it, and their average rating."""

    count: int
    average_rating: float | None
    """From 1 to 5, rounded to two decimals; ``None`` when nobody rated it."""


class AlertKind(enum.Enum):
    """What a saved alert may be about: the public events the hub announces."""

    VACANCY = "VACANCY"
    BID = "BID"
    NEWS = "NEWS"
    SECURITY = "SECURITY"


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedAlertView:
    """A citizen's saved alert. Each criterion is a tuple; an empty one is left out."""

    id: int
    subject: str
    name: str
    keywords: tuple[str, ...]
    agencies: tuple[str, ...]
    areas: tuple[str, ...]
    kinds: tuple[AlertKind, ...]
    created_at: datetime

    @classmethod
    def of(cls, row: SavedAlert) -> SavedAlertView:
        """The view of a row."""
        return cls(
            id=row.id,
            subject=row.subject,
            name=row.name,
            keywords=tuple(row.keywords),
            agencies=tuple(row.agencies),
            areas=tuple(row.areas),
            kinds=tuple(AlertKind(kind) for kind in row.kinds),
            created_at=row.created_at,
        )


__all__ = [
    "AlertKind",
    "FeedbackSummary",
    "FeedbackView",
    "OptionVotes",
    "PollOptionView",
    "PollPage",
    "PollResults",
    "PollState",
    "PollView",
    "SavedAlertView",
]
