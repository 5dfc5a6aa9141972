"""Checks of what citizens and staff send, before anything is written.

Each check returns the cleaned value (surrounding whitespace removed) or raises
:class:`~hub.errors.InvalidInput` naming the argument and what to send instead.
"""

from __future__ import annotations

import re

from hub.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters; tabs and line breaks are not among them."""
_LINE_BREAK = re.compile(r"[\r\n\t]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]*")
_KEY = re.compile(r"[\x21-\x7e]+")


def text(argument: str, value: str, *, most: int, multiline: bool = False) -> str:
    """``value`` stripped; 1 to ``most`` characters, not blank, no control characters
    (line breaks and tabs only if ``multiline``)."""
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput(argument, "must not be empty or blank")
    if len(cleaned) > most:
        raise InvalidInput(
            argument, f"must be at most {most:,} characters, got {len(cleaned):,}; shorten it"
        )
    if _CONTROL.search(cleaned) or (not multiline and _LINE_BREAK.search(cleaned)):
        allowed = (
            "line breaks and tabs are the only ones allowed"
            if multiline
            else "send a single line of plain text"
        )
        raise InvalidInput(argument, f"must not contain control characters; {allowed}")
    return cleaned


def optional_text(argument: str, value: str | None, *, most: int) -> str | None:
    """``value`` checked as :func:`text`; ``None`` or blank is ``None``."""
    if value is None or not value.strip():
        return None
    return text(argument, value, most=most)


def email(argument: str, value: str | None) -> str | None:
    """An e-mail address shaped like ``name@example.org``, or ``None``."""
    cleaned = optional_text(argument, value, most=254)
    if cleaned is not None and not _EMAIL.fullmatch(cleaned):
        raise InvalidInput(argument, f"{cleaned!r} is not an e-mail address like name@example.org")
    return cleaned


def phone(argument: str, value: str | None) -> str | None:
    """A phone number of 7 to 15 digits, with an optional leading ``+`` and spaces,
    dashes, dots or brackets between them; or ``None``."""
    cleaned = optional_text(argument, value, most=32)
    if cleaned is None:
        return None
    digits = sum(character.isdigit() for character in cleaned)
    if not _PHONE.fullmatch(cleaned) or not 7 <= digits <= 15:
        raise InvalidInput(
            argument,
            f"{cleaned!r} is not a phone number; give 7 to 15 digits, e.g. +254 20 222 2022",
        )
    return cleaned


def coordinates(latitude: float | None, longitude: float | None) -> None:
    """Both or neither; latitude within -90..90, longitude within -180..180."""
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        raise InvalidInput(missing, "give latitude and longitude together, or neither")
    if latitude is not None and not -90 <= latitude <= 90:
        raise InvalidInput("latitude", f"must be between -90 and 90 degrees, got {latitude}")
    if longitude is not None and not -180 <= longitude <= 180:
        raise InvalidInput("longitude", f"must be between -180 and 180 degrees, got {longitude}")


def idempotency_key(argument: str, value: str) -> str:
    """8 to 100 printable ASCII characters without spaces (a UUID is a good one)."""
    if not 8 <= len(value) <= 100 or not _KEY.fullmatch(value):
        raise InvalidInput(
            argument,
            "must be 8 to 100 printable ASCII characters without spaces, e.g. a UUID the "
            "client generates once per ticket and reuses when it retries",
        )
    return value


__all__ = ["coordinates", "email", "idempotency_key", "optional_text", "phone", "text"]
