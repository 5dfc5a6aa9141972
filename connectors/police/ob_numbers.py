"""OB numbers: ``OB/<entry>/<day>/<month>/<year>``, checked before any query, and written
for new entries."""

from __future__ import annotations

import re
from datetime import date

from hub.connector import InvalidInput

OB_NUMBER_ARGUMENT = "obNumber"
OB_NUMBER_HINT = "expected an OB number like OB/23/14/11/2026"

_OB_NUMBER = re.compile(
    r"OB\s*/\s*(\d{1,5})\s*/\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.IGNORECASE
)
_LONGEST = 40


def canonical_ob_number(text: str, *, agency: str | None = None) -> str:
    """``text`` as the system writes OB numbers (``OB/23/04/11/2026``).

    Case, spaces around the slashes and leading zeros do not matter. Raises
    :class:`~hub.connector.InvalidInput` for anything else, or a date that does not exist.
    """
    match = _OB_NUMBER.fullmatch(text.strip()) if len(text) <= _LONGEST else None
    if match is None:
        raise InvalidInput(OB_NUMBER_ARGUMENT, OB_NUMBER_HINT, agency=agency)
    entry, day, month, year = (int(group) for group in match.groups())
    if entry == 0:
        raise InvalidInput(
            OB_NUMBER_ARGUMENT, f"entries are numbered from 1; {OB_NUMBER_HINT}", agency=agency
        )
    try:
        date(year, month, day)
    except ValueError:
        raise InvalidInput(
            OB_NUMBER_ARGUMENT,
            f"{day:02d}/{month:02d}/{year} is not a date; {OB_NUMBER_HINT}",
            agency=agency,
        ) from None
    return f"OB/{entry}/{day:02d}/{month:02d}/{year}"


def ob_number(entry: int, day: date) -> str:
    """The OB number of entry ``entry`` of ``day``, as the system writes it."""
    return f"OB/{entry}/{day:%d}/{day:%m}/{day:%Y}"
