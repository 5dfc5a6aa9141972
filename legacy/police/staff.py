"""The station's staff at work: moving an Occurrence Book entry along.

Officers work in the Occurrence Book itself; what they do to an entry is two
statements in one transaction, the same for an entry taken at the counter and one
the Citizen Hub filed::

    UPDATE ob_register SET ob_status = :status, last_action_at = :now WHERE ob_no = :ob_no;
    INSERT INTO ob_action (ob_no, action_at, ob_status, remarks, officer_svc_no)
        VALUES (:ob_no, :now, :status, :remarks, :officer);

``:now`` is taken once the transaction holds the book (SQLite's write lock, or a lock
on ``ob_action`` on PostgreSQL), so actions commit in the order of their times and a
reader of the actions after a moment never misses one committed late.
:func:`advance` does exactly that, for tests and demos.

A security alert is one row the duty officer inserts in ``security_alert``;
:func:`issue_alert` does that.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from legacy.police.schema import ob_action, ob_register, security_alert

LOCAL_ZONE = ZoneInfo("Africa/Nairobi")
"""The zone of the Occurrence Book's naive local times."""

DUTY_OFFICER = "231456"
"""The service number recorded when no officer is named."""

STATUS_WORDS = (
    "REPORTED",
    "UNDER INVESTIGATION",
    "PUI",
    "REFERRED TO DCI",
    "TAKEN TO COURT",
    "PBC",
    "CLOSED",
    "FILE CLOSED - NFPA",
    "ABSTRACT ISSUED",
    "RESPONDED",
    "NO OFFENCE DISCLOSED",
)
"""The status words officers write in ``ob_status``; ``RESPONDED`` closes public
correspondence (an enquiry, a request, a commendation) once the station has answered,
``NO OFFENCE DISCLOSED`` a report the station will not act on."""

ALERT_LEVELS = ("ADVISORY", "WARNING", "CRITICAL")
"""The words officers write in ``security_alert.alert_level``."""

COUNTRYWIDE = "Countrywide"
"""The area of an alert for the whole country (its county is left empty)."""


async def advance(
    database_url: str,
    ob_number: str,
    status: str | None,
    note: str | None = None,
    *,
    officer: str = DUTY_OFFICER,
    at: datetime | None = None,
) -> datetime:
    """Record an action on entry ``ob_number`` of the database at ``database_url``.

    ``status`` is the entry's new status word (one of :data:`STATUS_WORDS`), or
    ``None`` to leave it and only write ``note``, the remarks for the complainant.
    ``at`` is when (default now; a naive time is taken as local). Return the moment
    recorded, in the Occurrence Book's zone. Raise ``ValueError`` for a status word
    the system does not use or an action with neither status nor note, and
    ``LookupError`` when no entry has that number.
    """
    if status is None and not note:
        raise ValueError("an action needs a new status, remarks, or both")
    if status is not None and status not in STATUS_WORDS:
        raise ValueError(f"unknown status word {status!r}; officers write one of {STATUS_WORDS}")
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            await _take_the_book(connection, ob_number)
            # stamped once no other action can commit first, so that the book's actions
            # are committed in the order of their times and a reader after a time misses none
            moment = _local(at or datetime.now(LOCAL_ZONE))
            changes: dict[str, object] = {"last_action_at": moment}
            if status is not None:
                changes["ob_status"] = status
            await connection.execute(
                update(ob_register).where(ob_register.c.ob_no == ob_number).values(**changes)
            )
            await connection.execute(
                insert(ob_action).values(
                    ob_no=ob_number,
                    action_at=moment,
                    ob_status=status,
                    remarks=note,
                    officer_svc_no=officer,
                )
            )
    finally:
        await engine.dispose()
    return moment.replace(tzinfo=LOCAL_ZONE)


async def issue_alert(
    database_url: str,
    *,
    area: str,
    county: str | None,
    level: str,
    title: str,
    message: str,
    issued_at: datetime | None = None,
    expires_at: datetime | None = None,
) -> int:
    """Issue a security alert in the database at ``database_url``; return its number.

    ``area`` is a town, road or county (:data:`COUNTRYWIDE` for the whole country, with
    no ``county``); ``level`` one of :data:`ALERT_LEVELS`. It is in force from
    ``issued_at`` (default now) until ``expires_at`` (default a day later); naive times
    are taken as local. Raise ``ValueError`` for an unknown level, empty text or an
    alert that expires before it is issued.
    """
    if level not in ALERT_LEVELS:
        raise ValueError(f"unknown alert level {level!r}; officers write one of {ALERT_LEVELS}")
    if not (area.strip() and title.strip() and message.strip()):
        raise ValueError("an alert needs an area, a title and a message")
    issued = _local(issued_at or datetime.now(LOCAL_ZONE))
    expires = _local(expires_at) if expires_at is not None else issued + timedelta(days=1)
    if expires <= issued:
        raise ValueError(f"the alert would expire ({expires}) before it is issued ({issued})")
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(
                insert(security_alert)
                .values(
                    alert_area=area,
                    county=county,
                    alert_level=level,
                    alert_title=title,
                    alert_msg=message,
                    issued_at=issued,
                    expires_at=expires,
                )
                .returning(security_alert.c.alert_id)
            )
            return int(result.scalar_one())
    finally:
        await engine.dispose()


async def _take_the_book(connection: AsyncConnection, ob_number: str) -> None:
    """Hold the right to record actions until the transaction ends; ``LookupError`` if
    there is no entry ``ob_number``. On SQLite the first write takes the file's write lock."""
    if connection.dialect.name == "postgresql":
        await connection.execute(text("LOCK TABLE ob_action IN SHARE ROW EXCLUSIVE MODE"))
    touched = await connection.execute(
        update(ob_register)
        .where(ob_register.c.ob_no == ob_number)
        .values(ob_status=ob_register.c.ob_status)
    )
    if touched.rowcount != 1:
        raise LookupError(f"the Occurrence Book has no entry {ob_number}")


def _local(moment: datetime) -> datetime:
    """``moment`` as the database writes it: a naive local time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(LOCAL_ZONE).replace(tzinfo=None)
