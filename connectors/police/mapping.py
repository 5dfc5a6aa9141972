"""The Occurrence Book's rows turned into the hub's types.

The database keeps naive local times and whole shillings; a closing date means
the end of that day locally. A value that cannot be read raises
:class:`~connectors.police.errors.UnreadableRow`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from connectors.police.clock import LocalClock
from connectors.police.errors import UnreadableRow
from connectors.police.tables import REQUIREMENT_SEPARATOR
from connectors.police.types import AlertLevel, Occurrence, OccurrenceStatus, SecurityAlert
from hub.connector import Bid, BidStatus, Money, NewsItem, Service, TicketUpdate, Vacancy

CURRENCY = "KES"

Row = Mapping[str, Any]

_OCCURRENCE_STATUSES: dict[str, tuple[OccurrenceStatus, str]] = {
    "REPORTED": (OccurrenceStatus.REPORTED, "Reported; an officer will take the matter up"),
    "UNDER INVESTIGATION": (OccurrenceStatus.UNDER_INVESTIGATION, "Under investigation"),
    "PUI": (OccurrenceStatus.UNDER_INVESTIGATION, "Pending under investigation"),
    "REFERRED TO DCI": (
        OccurrenceStatus.REFERRED_TO_DCI,
        "Referred to the Directorate of Criminal Investigations",
    ),
    "TAKEN TO COURT": (OccurrenceStatus.TAKEN_TO_COURT, "Taken to court"),
    "PBC": (OccurrenceStatus.TAKEN_TO_COURT, "Pending before court"),
    "CLOSED": (OccurrenceStatus.CLOSED, "Closed"),
    "FILE CLOSED - NFPA": (OccurrenceStatus.CLOSED, "Closed: no further police action"),
    "ABSTRACT ISSUED": (OccurrenceStatus.CLOSED, "Police abstract issued"),
    "RESPONDED": (OccurrenceStatus.CLOSED, "The station has responded"),
    "NO OFFENCE DISCLOSED": (OccurrenceStatus.CLOSED, "Closed: no offence disclosed"),
}

TICKET_STATUSES: dict[OccurrenceStatus, str] = {
    OccurrenceStatus.REPORTED: "ACKNOWLEDGED",
    OccurrenceStatus.UNDER_INVESTIGATION: "IN_PROGRESS",
    OccurrenceStatus.REFERRED_TO_DCI: "IN_PROGRESS",
    OccurrenceStatus.TAKEN_TO_COURT: "IN_PROGRESS",
    OccurrenceStatus.CLOSED: "RESOLVED",
}
"""The hub's ticket status each state of a file means; a refusal is told by its word."""

REFUSED = frozenset({"NO OFFENCE DISCLOSED"})
"""Status words by which the station refuses to act on what it was told: REJECTED."""

_BID_STATUSES = {
    "OPEN": BidStatus.OPEN,
    "UNDER EVALUATION": BidStatus.CLOSED,
    "CLOSED": BidStatus.CLOSED,
    "AWARDED": BidStatus.AWARDED,
    "CANCELLED": BidStatus.CANCELLED,
}

BID_STATUS_WORDS: dict[BidStatus, tuple[str, ...]] = {
    status: tuple(word for word, mapped in _BID_STATUSES.items() if mapped is status)
    for status in BidStatus
}
"""The database's status words for each of the hub's bid statuses."""


def service_from(row: Row, clock: LocalClock) -> Service:
    """A ``service_catalogue`` row as a hub :class:`Service`."""
    requirements = str(row["requirements"] or "").split(REQUIREMENT_SEPARATOR)
    return Service(
        id=str(row["svc_code"]),
        title=str(row["svc_name"]),
        description=str(row["svc_desc"]),
        category=str(row["svc_group"]),
        fee=_money(row["fee_kes"]),
        processing_days=row["processing_days"],
        requirements=tuple(part.strip() for part in requirements if part.strip()),
        online=_yes_no(row["online_yn"]),
        url=row["apply_url"],
        updated_at=_instant(row["last_updated"], clock),
    )


def news_item_from(row: Row, clock: LocalClock) -> NewsItem:
    """A ``public_notice`` row as a hub :class:`NewsItem`."""
    return NewsItem(
        id=str(row["pn_id"]),
        title=str(row["pn_title"]),
        summary=str(row["pn_summary"]),
        body=str(row["pn_body"]),
        category=str(row["pn_type"]),
        published_at=_instant(row["published_at"], clock),
    )


def vacancy_from(row: Row, clock: LocalClock) -> Vacancy:
    """A ``recruitment_notice`` row as a hub :class:`Vacancy`; the category is the cadre."""
    return Vacancy(
        id=str(row["rec_ref"]),
        title=str(row["post_title"]),
        description=str(row["post_details"]),
        category=str(row["cadre"]),
        location=str(row["duty_station"]),
        positions=int(row["no_of_posts"]),
        opens_at=clock.start_of(row["open_date"]),
        closes_at=clock.end_of(row["close_date"]),
        grade=row["job_grade"],
        salary=_money(row["monthly_salary_kes"]),
    )


def bid_from(row: Row, clock: LocalClock) -> Bid:
    """A ``tender_notice`` row as a hub :class:`Bid`; an OPEN tender past its closing
    time is CLOSED, whatever the register has not yet caught up with."""
    word = str(row["tender_status"]).strip().upper()
    status = _BID_STATUSES.get(word)
    if status is None:
        raise UnreadableRow(f"tender {row['tender_no']} has the unknown status {word!r}")
    closes_at = _instant(row["closing_at"], clock)
    if status is BidStatus.OPEN and closes_at <= clock.now():
        status = BidStatus.CLOSED
    return Bid(
        id=str(row["tender_no"]),
        reference=str(row["tender_no"]),
        title=str(row["tender_title"]),
        description=str(row["tender_desc"]),
        category=str(row["proc_category"]),
        status=status,
        published_at=clock.start_of(row["advert_date"]),
        closes_at=closes_at,
        estimated_value=_money(row["est_value_kes"]),
    )


def occurrence_from(row: Row, clock: LocalClock) -> Occurrence:
    """An ``ob_register`` row joined with its station as an :class:`Occurrence`."""
    word = str(row["ob_status"]).strip().upper()
    status, text = _OCCURRENCE_STATUSES.get(word, (OccurrenceStatus.OTHER, word.capitalize()))
    return Occurrence(
        ob_number=str(row["ob_no"]),
        station_code=str(row["stn_code"]),
        station_name=str(row["stn_name"] or row["stn_code"]),
        category=str(row["occ_category"]),
        nature=str(row["occ_nature"]),
        status=status,
        status_text=text,
        reported_at=_instant(row["reported_at"], clock),
        updated_at=_instant(row["last_action_at"], clock),
        complainant_id_number=row["compl_id_no"],
    )


def ticket_update_from(row: Row, clock: LocalClock) -> TicketUpdate:
    """An ``ob_action`` row as a :class:`TicketUpdate` of the entry it acted on.

    ``ob_status`` is ``NULL`` when the officer only wrote remarks. A status word the
    connector does not know gives no hub status (only its text): the update is still
    passed on rather than holding up every later one.
    """
    word = row["ob_status"]
    status = text = None
    if word is not None:
        word = str(word).strip().upper()
        known = _OCCURRENCE_STATUSES.get(word)
        if known is None:
            text = word.capitalize()
        else:
            status = "REJECTED" if word in REFUSED else TICKET_STATUSES[known[0]]
            text = known[1]
    remarks = str(row["remarks"] or "").strip()
    return TicketUpdate(
        reference=str(row["ob_no"]),
        updated_at=_instant(row["action_at"], clock),
        status=status,
        note=remarks or None,
        status_text=text,
    )


def security_alert_from(row: Row, clock: LocalClock) -> SecurityAlert:
    """A ``security_alert`` row as a :class:`SecurityAlert`."""
    level = str(row["alert_level"]).strip().upper()
    try:
        parsed_level = AlertLevel(level)
    except ValueError:
        raise UnreadableRow(f"alert {row['alert_id']} has the unknown level {level!r}") from None
    return SecurityAlert(
        id=str(row["alert_id"]),
        area=str(row["alert_area"]),
        county=row["county"],
        level=parsed_level,
        title=str(row["alert_title"]),
        message=str(row["alert_msg"]),
        issued_at=_instant(row["issued_at"], clock),
        expires_at=_instant(row["expires_at"], clock),
    )


def _instant(value: Any, clock: LocalClock) -> datetime:
    if not isinstance(value, datetime):
        raise UnreadableRow(f"expected a date and time, got {value!r}")
    return clock.to_utc(value.replace(tzinfo=None))


def _money(shillings: Any) -> Money | None:
    if shillings is None:
        return None
    return Money(amount=Decimal(int(shillings)), currency=CURRENCY)


def _yes_no(flag: Any) -> bool:
    word = str(flag).strip().upper()
    if word not in {"Y", "N"}:
        raise UnreadableRow(f"expected Y or N, got {flag!r}")
    return word == "Y"
