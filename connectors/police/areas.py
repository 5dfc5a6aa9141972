"""Areas of security alerts: a town, road or county, checked before any query."""

from __future__ import annotations

from hub.connector import InvalidInput

LONGEST_AREA = 80


def clean_area(given: str, *, agency: str | None = None) -> str:
    """``given`` with its runs of spaces made one; :class:`~hub.connector.InvalidInput`
    when nothing is left or it is longer than any place name."""
    area = " ".join(given.split())
    if not area or len(area) > LONGEST_AREA:
        raise InvalidInput(
            "area",
            f"expected the name of a town, road or county of 1 to {LONGEST_AREA} characters, "
            "e.g. Nairobi CBD or Mombasa",
            agency=agency,
        )
    return area
