"""Between the database's naive local times and the hub's UTC datetimes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True, slots=True)
class LocalClock:
    """Converts times of the legacy system, kept as naive times in ``zone``.

    A date that closes something (a vacancy's closing date) means the end of that
    day local time; one that opens something, its start.
    """

    zone: ZoneInfo

    def now(self) -> datetime:
        """The current moment, in UTC."""
        return datetime.now(UTC)

    def to_utc(self, local: datetime) -> datetime:
        """A naive local time of the database as an aware UTC datetime."""
        return local.replace(tzinfo=self.zone).astimezone(UTC)

    def to_local(self, moment: datetime) -> datetime:
        """``moment`` as the database writes it: naive, local. Naive input is taken as UTC."""
        return aware(moment).astimezone(self.zone).replace(tzinfo=None)

    def start_of(self, day: date) -> datetime:
        """Midnight at the start of ``day`` local time, in UTC."""
        return self.to_utc(datetime.combine(day, time.min))

    def end_of(self, day: date) -> datetime:
        """The last second of ``day`` local time, in UTC."""
        return self.to_utc(datetime.combine(day, _END_OF_DAY))

    def first_day_ending_from(self, moment: datetime) -> date:
        """The earliest day whose end is at or after ``moment``."""
        day = self.to_local(moment).date()
        return day if self.end_of(day) >= aware(moment) else day + timedelta(days=1)

    def last_day_ending_by(self, moment: datetime) -> date:
        """The latest day whose end is at or before ``moment``."""
        day = self.to_local(moment).date()
        return day if self.end_of(day) <= aware(moment) else day - timedelta(days=1)


def aware(moment: datetime) -> datetime:
    """``moment`` with a time zone; a naive one is taken to be UTC, as the hub's are."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
