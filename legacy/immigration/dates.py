"""How the immigration system writes dates: ``dd/mm/yyyy`` and ``dd/mm/yyyy HH:MM``.

The system keeps local (Africa/Nairobi) wall-clock times without an offset, as the
real one does; seed records therefore hold naive datetimes meant as Nairobi time.
The complaints module, added later, writes instants as ISO 8601 with their offset
and microseconds (``2026-03-10T14:30:12.345678+03:00``), so that updates made within
the same minute keep their order.
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


def format_instant(moment: datetime) -> str:
    """An aware ``moment`` as ISO 8601 in Nairobi time, with microseconds and offset."""
    return moment.astimezone(NAIROBI).isoformat(timespec="microseconds")


def parse_instant(text: str) -> datetime:
    """Read an ISO 8601 instant; one without an offset is Nairobi time. Raise
    ``ValueError`` when ``text`` is not one."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=NAIROBI)


def instant_now() -> datetime:
    """The current moment, aware, in Nairobi time."""
    return datetime.now(NAIROBI)
