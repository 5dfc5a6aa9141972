"""The shape of a taxpayer PIN, checked before the gateway is called."""

from __future__ import annotations

import re

from hub.connector import InvalidInput

PIN = re.compile(r"[AP]\d{9}[A-Z]")
"""``A`` (individual) or ``P`` (company), nine digits and a check letter."""

EXPECTED = (
    "expected a PIN like A012345678Z: A (individual) or P (company), nine digits and a letter"
)


def normalise_pin(raw: str, *, agency: str | None = None) -> str:
    """``raw`` stripped and upper-cased; :class:`InvalidInput` if it is not a PIN."""
    pin = raw.strip().upper()
    if not PIN.fullmatch(pin):
        raise InvalidInput("pin", EXPECTED, agency=agency)
    return pin
