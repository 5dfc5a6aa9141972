"""The shape of a passport application number, checked before the API is called."""

from __future__ import annotations

import re

from hub.connector import InvalidInput

APPLICATION_NUMBER = re.compile(r"PA\d{4}-\d{7}")
"""``PA``, the year of submission, ``-`` and seven digits."""

EXPECTED = "expected an application number like PA2026-0012345"


def normalise_application_number(raw: str, *, agency: str | None = None) -> str:
    """``raw`` stripped and upper-cased; :class:`InvalidInput` if it is not a number."""
    number = raw.strip().upper()
    if not APPLICATION_NUMBER.fullmatch(number):
        raise InvalidInput("number", EXPECTED, agency=agency)
    return number
