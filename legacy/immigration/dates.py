"""How the immigration system writes dates: ``dd/mm/yyyy`` and ``dd/mm/yyyy HH:MM``.

The system keeps local (Africa/Nairobi) wall-clock times without an offset, as the
real one does; seed records therefore hold naive datetimes meant as Nairobi time.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

NAIROBI = ZoneInfo("Africa/Nairobi")
"""The system's local time zone."""

DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"


def format_date(day: date) -> str:
    """``day`` as ``dd/mm/yyyy``."""
    return day.strftime(DATE_FORMAT)


def format_datetime(moment: datetime) -> str:
    """A local wall-clock ``moment`` as ``dd/mm/yyyy HH:MM``."""
    return moment.strftime(DATETIME_FORMAT)


def parse_date(text: str) -> date:
    """Read a ``dd/mm/yyyy`` date; raise ``ValueError`` when ``text`` is not one."""
    return datetime.strptime(text, DATE_FORMAT).date()


def local_now() -> datetime:
    """The current Nairobi wall-clock time, without an offset."""
    return datetime.now(NAIROBI).replace(tzinfo=None)
