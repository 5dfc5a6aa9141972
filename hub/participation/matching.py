"""Whether a public event is one a saved alert asks for.

A saved alert holds up to four criteria; every criterion it has must hold, and a
criterion holds when any of its values does:

- ``keywords``: a keyword appears in the event's text as whole words, ignoring case
  ("road" matches "Road works on Moi Avenue", not "railroad"; "road works" matches
  "ROAD   WORKS");
- ``agencies``: the event comes from one of them;
- ``areas``: the event is about one of them, ignoring case (an event without an area
  matches no area);
- ``kinds``: the event is of one of them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from hub.participation.views import AlertKind, SavedAlertView


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertCandidate:
    """A public event as saved alerts see it."""

    kind: AlertKind
    agency: str
    text: str
    """What it says: its title and summary."""
    area: str | None = None


def alert_matches(alert: SavedAlertView, candidate: AlertCandidate) -> bool:
    """Whether ``candidate`` meets every criterion ``alert`` has (see the module)."""
    if alert.kinds and candidate.kind not in alert.kinds:
        return False
    if alert.agencies and candidate.agency not in alert.agencies:
        return False
    if alert.areas:
        if candidate.area is None:
            return False
        area = _folded(candidate.area)
        if not any(_folded(wanted) == area for wanted in alert.areas):
            return False
    if alert.keywords:
        return any(_keyword(keyword).search(candidate.text) for keyword in alert.keywords)
    return True


@functools.lru_cache(maxsize=4096)
def _keyword(keyword: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in keyword.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def _folded(area: str) -> str:
    return " ".join(area.split()).casefold()


__all__ = ["AlertCandidate", "alert_matches"]
