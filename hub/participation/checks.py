"""Checks of what citizens and staff send, before anything is written.

Each check returns the cleaned value (surrounding whitespace removed, runs of spaces
made one) or raises :class:`~hub.errors.InvalidInput` naming the argument and what to
send instead.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from hub.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters; tabs and line breaks are not among them."""
_LINE_BREAK = re.compile(r"[\r\n\t]")
_SPACES = re.compile(r" {2,}")


def text(argument: str, value: str, *, least: int = 1, most: int, multiline: bool = False) -> str:
    """``value`` stripped: ``least`` to ``most`` characters, not blank, no control
    characters (line breaks and tabs only if ``multiline``)."""
    cleaned = value.strip()
    if not multiline:
        cleaned = _SPACES.sub(" ", cleaned)
    if not cleaned:
        raise InvalidInput(argument, "must not be empty or blank")
    if _CONTROL.search(cleaned) or (not multiline and _LINE_BREAK.search(cleaned)):
        allowed = (
            "line breaks and tabs are the only ones allowed"
            if multiline
            else "send a single line of plain text"
        )
        raise InvalidInput(argument, f"must not contain control characters; {allowed}")
    if not least <= len(cleaned) <= most:
        raise InvalidInput(
            argument,
            f"must be {least:,} to {most:,} characters long, got {len(cleaned):,}",
        )
    return cleaned


def optional_text(argument: str, value: str | None, *, most: int) -> str | None:
    """``value`` checked as :func:`text`; ``None`` or blank is ``None``."""
    if value is None or not value.strip():
        return None
    return text(argument, value, most=most)


def text_list(
    argument: str, values: Sequence[str], *, most_items: int, least: int = 1, most: int
) -> list[str]:
    """Up to ``most_items`` single-line texts, each checked as :func:`text`; repeats
    (ignoring case) are dropped, the first spelling kept."""
    if len(values) > most_items:
        raise InvalidInput(argument, f"give at most {most_items}, got {len(values)}")
    cleaned: dict[str, str] = {}
    for index, value in enumerate(values):
        one = text(f"{argument}[{index}]", value, least=least, most=most)
        cleaned.setdefault(one.casefold(), one)
    return list(cleaned.values())


def known_agency(argument: str, agency: str, agencies: Collection[str]) -> str:
    """``agency`` if the hub serves it; otherwise the agencies it does serve."""
    if agency not in agencies:
        known = ", ".join(sorted(agencies))
        raise InvalidInput(argument, f"unknown agency {agency!r}; known agencies: {known}")
    return agency


__all__ = ["known_agency", "optional_text", "text", "text_list"]
