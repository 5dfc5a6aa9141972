"""A new poll as admins and agency staff describe it, and the checks it must pass."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from hub.db import as_utc
from hub.errors import InvalidInput
from hub.participation import checks

QUESTION_LENGTH = (5, 300)
OPTION_LENGTH = (1, 100)
OPTION_COUNT = (2, 10)
MAX_AREA = 100


@dataclass(frozen=True, slots=True, kw_only=True)
class NewPoll:
    """A poll to create.

    ``agency`` is the agency that asks (``None``: the hub itself, for admins only);
    ``opens_at`` defaults to now, and a moment already past opens the poll at once.
    Errors name the arguments as ``createPoll``'s input does (``closesAt``,
    ``options[2]``).
    """

    question: str
    options: Sequence[str]
    closes_at: datetime
    opens_at: datetime | None = None
    agency: str | None = None
    area: str | None = None

    def checked(self, now: datetime, agencies: Collection[str]) -> NewPoll:
        """This poll cleaned, its ``opens_at`` set; :class:`InvalidInput` naming the
        first argument that is wrong."""
        least, most = QUESTION_LENGTH
        question = checks.text("question", self.question, least=least, most=most)
        options = self._options()
        agency = (
            None if self.agency is None else checks.known_agency("agency", self.agency, agencies)
        )
        area = checks.optional_text("area", self.area, most=MAX_AREA)
        opens_at = max(_moment("opensAt", self.opens_at or now), now)
        closes_at = _moment("closesAt", self.closes_at)
        if closes_at <= now:
            raise InvalidInput(
                "closesAt",
                f"{closes_at.isoformat()} has passed; give a moment in the future",
            )
        if closes_at <= opens_at:
            raise InvalidInput(
                "closesAt",
                f"must come after opensAt ({opens_at.isoformat()}); the poll would never be open",
            )
        return replace(
            self,
            question=question,
            options=options,
            agency=agency,
            area=area,
            opens_at=opens_at,
            closes_at=closes_at,
        )

    def _options(self) -> tuple[str, ...]:
        fewest, most = OPTION_COUNT
        if not fewest <= len(self.options) <= most:
            raise InvalidInput(
                "options",
                f"give {fewest} to {most} options to choose from, got {len(self.options)}",
            )
        shortest, longest = OPTION_LENGTH
        cleaned: list[str] = []
        seen: set[str] = set()
        for index, label in enumerate(self.options):
            one = checks.text(f"options[{index}]", label, least=shortest, most=longest)
            if one.casefold() in seen:
                raise InvalidInput(
                    f"options[{index}]", f"{one!r} is given twice; every option must differ"
                )
            seen.add(one.casefold())
            cleaned.append(one)
        return tuple(cleaned)


def _moment(argument: str, value: datetime) -> datetime:
    try:
        return as_utc(value)
    except ValueError:
        raise InvalidInput(
            argument, f"{value.isoformat()} has no time zone; give one, e.g. 2026-05-01T09:00:00Z"
        ) from None


__all__ = ["MAX_AREA", "OPTION_COUNT", "OPTION_LENGTH", "QUESTION_LENGTH", "NewPoll"]
