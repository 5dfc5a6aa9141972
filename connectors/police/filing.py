"""Entering a citizen's ticket in the Occurrence Book, as a station enters what it hears.

Every kind of ticket becomes an entry with the next OB number of the day, status
``REPORTED``. REPORT and COMPLAINT tickets are occurrences (a report's category is
the hub's category, a complaint's ``COMPLAINT``); ENQUIRY, REQUEST and COMMENDATION
tickets are entered as ``PUBLIC CORRESPONDENCE``, as stations enter letters and
visits that are not occurrences. The entry is taken at the station whose county or
sub-county is the ticket's area, else at the connector's ``filing_station``.

The entry holds the hub's ticket id, whose unique index makes filing idempotent: a
ticket filed before gets its first OB number back. Two filings racing for the same
entry number or the same ticket make one of them fail on a unique index; it starts
again and then finds the number taken, or the ticket filed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from connectors.police.clock import LocalClock
from connectors.police.errors import UnreadableRow
from connectors.police.ob_numbers import ob_number
from connectors.police.tables import ob_entry, police_station
from hub.connector import AgencyRejected, AgencyUnavailable, TicketDelivery

KIND_WORDS = {
    "REPORT": "Report",
    "COMPLAINT": "Complaint",
    "ENQUIRY": "Enquiry",
    "REQUEST": "Request",
    "COMMENDATION": "Commendation",
}
"""The kinds of ticket the Occurrence Book takes, and how an entry's nature names them."""

CORRESPONDENCE = "PUBLIC CORRESPONDENCE"
FIRST_STATUS = "REPORTED"
ATTEMPTS = 5
"""How many times a filing that lost a race on a unique index starts again."""

_LIMITS = {"nature": 120, "category": 40, "ticket id": 64}
_CONTACT_LIMITS = {"contact_name": 80, "contact_phone": 20, "contact_email": 120}


@dataclass(frozen=True, slots=True)
class Entry:
    """The values of a new entry, except its number, station and the moment it is entered."""

    ticket_id: str
    nature: str
    category: str
    narrative: str
    reported_at: datetime
    area: str | None
    complainant_name: str | None
    complainant_phone: str | None
    complainant_email: str | None


@dataclass(frozen=True, slots=True)
class Filed:
    """An entry in the book: its OB number and when it was entered (local time)."""

    ob_number: str
    entered_at: datetime


def entry_for(ticket: TicketDelivery, clock: LocalClock, agency: str) -> Entry:
    """The entry ``ticket`` becomes; :class:`AgencyRejected` when the book cannot hold it."""
    word = KIND_WORDS.get(ticket.kind)
    if word is None:
        raise AgencyRejected(
            f"the Occurrence Book takes tickets of the kinds {', '.join(KIND_WORDS)}, "
            f"not {ticket.kind!r}",
            agency=agency,
        )
    if not 0 < len(ticket.ticket_id) <= _LIMITS["ticket id"]:
        raise AgencyRejected(
            f"the Occurrence Book keeps hub ticket ids of 1 to {_LIMITS['ticket id']} "
            f"characters, got {len(ticket.ticket_id)}",
            agency=agency,
        )
    title = " ".join(ticket.title.split())
    description = ticket.description.strip() or title
    if not description:
        raise AgencyRejected(
            "the ticket has neither a title nor a description; an entry needs a narrative",
            agency=agency,
        )
    contact = {
        name: _contact(ticket, name, limit, agency) for name, limit in _CONTACT_LIMITS.items()
    }
    return Entry(
        ticket_id=ticket.ticket_id,
        nature=_shortened(f"{word}: {title}" if title else word, _LIMITS["nature"]),
        category=_category(ticket),
        narrative=_narrative(ticket, description, word),
        reported_at=clock.to_local(ticket.submitted_at),
        area=" ".join(ticket.area.split()) if ticket.area else None,
        complainant_name=contact["contact_name"],
        complainant_phone=contact["contact_phone"],
        complainant_email=contact["contact_email"],
    )


async def file_entry(
    engine: AsyncEngine,
    entry: Entry,
    *,
    entered_at: datetime,
    station: str,
    officer: str,
    agency: str,
) -> Filed:
    """Enter ``entry`` at ``entered_at`` (local), or find it entered before.

    ``station`` is the code of the station that takes it when its area names none.
    Database failures propagate for the caller to translate.
    """
    for _ in range(ATTEMPTS):
        try:
            async with engine.begin() as connection:
                earlier = await _filed_before(connection, entry.ticket_id)
                if earlier is not None:
                    return earlier
                taken_at = await _station_for(connection, entry.area) or station
                number = await _next_entry_number(connection, entered_at.date())
                filed = Filed(ob_number(number, entered_at.date()), entered_at)
                await connection.execute(
                    insert(ob_entry).values(
                        ob_no=filed.ob_number,
                        entry_no=number,
                        entry_date=entered_at.date(),
                        stn_code=taken_at,
                        occ_nature=entry.nature,
                        occ_category=entry.category,
                        narrative=entry.narrative,
                        reported_at=entry.reported_at,
                        ob_status=FIRST_STATUS,
                        compl_name=entry.complainant_name,
                        compl_phone=entry.complainant_phone,
                        compl_email=entry.complainant_email,
                        officer_svc_no=officer,
                        last_action_at=entered_at,
                        hub_ticket_id=entry.ticket_id,
                        entered_at=entered_at,
                    )
                )
                return filed
        except IntegrityError:
            continue  # another filing took the number or the ticket first: look again
    raise AgencyUnavailable(
        f"could not enter the ticket in {ATTEMPTS} attempts: other entries kept taking the "
        "next OB number; the Occurrence Book is very busy, try again",
        agency=agency,
    )


async def _filed_before(connection: AsyncConnection, ticket_id: str) -> Filed | None:
    row = (
        await connection.execute(
            select(ob_entry.c.ob_no, ob_entry.c.entered_at).where(
                ob_entry.c.hub_ticket_id == ticket_id
            )
        )
    ).first()
    if row is None:
        return None
    if not isinstance(row.entered_at, datetime):
        raise UnreadableRow(f"entry {row.ob_no} of ticket {ticket_id} has no time of entry")
    return Filed(str(row.ob_no), row.entered_at)


async def _station_for(connection: AsyncConnection, area: str | None) -> str | None:
    if not area:
        return None
    name = area.casefold()
    table = police_station.c
    code = await connection.scalar(
        select(table.stn_code)
        .where(or_(func.lower(table.county) == name, func.lower(table.sub_county) == name))
        .order_by(table.stn_code)
        .limit(1)
    )
    return str(code) if code is not None else None


async def _next_entry_number(connection: AsyncConnection, day: date) -> int:
    highest = await connection.scalar(
        select(func.max(ob_entry.c.entry_no)).where(ob_entry.c.entry_date == day)
    )
    return int(highest or 0) + 1


def _category(ticket: TicketDelivery) -> str:
    if ticket.kind == "COMPLAINT":
        return "COMPLAINT"
    if ticket.kind != "REPORT":
        return CORRESPONDENCE
    words = " ".join(ticket.category.replace("-", " ").replace("_", " ").split()).upper()
    return _shortened(words or "GENERAL", _LIMITS["category"])


def _narrative(ticket: TicketDelivery, description: str, word: str) -> str:
    lines = [
        description,
        "",
        f"{word} received through Citizen Hub, tracking number {ticket.tracking_number} "
        f"(category {ticket.category}, priority {ticket.priority}).",
    ]
    scene = [part for part in (ticket.address, ticket.area) if part]
    if ticket.latitude is not None and ticket.longitude is not None:
        scene.append(f"{ticket.latitude:.6f}, {ticket.longitude:.6f}")
    if scene:
        lines.append("Scene: " + "; ".join(scene) + ".")
    return "\n".join(lines)


def _contact(ticket: TicketDelivery, name: str, limit: int, agency: str) -> str | None:
    value = getattr(ticket, name)
    if value is None or not value.strip():
        return None
    value = " ".join(value.split())
    if len(value) > limit:
        what = name.removeprefix("contact_").replace("_", " ")
        raise AgencyRejected(
            f"the Occurrence Book holds a complainant's {what} of at most {limit} characters, "
            f"got {len(value)}",
            agency=agency,
        )
    return value


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."
