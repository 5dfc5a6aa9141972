"""The immigration API's records (snake_case, ``dd/mm/yyyy``, local times) as hub types.

Dates become timezone-aware UTC datetimes: a date that starts something (an opening
day, an update) means the start of that day in the API's zone, a closing date the end
of it. A missing field or one of the wrong type raises
:class:`~connectors.immigration.errors.UnexpectedShape`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from connectors.immigration.errors import UnexpectedShape
from connectors.immigration.types import PassportApplicationRecord, PassportApplicationStatus
from hub.connector import (
    AgencyReceipt,
    Health,
    HealthStatus,
    Money,
    NewsItem,
    Service,
    TicketUpdate,
    Vacancy,
)

KES = "KES"
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"

STATUS_BY_WORD: Mapping[str, PassportApplicationStatus] = {
    "SUBMITTED": PassportApplicationStatus.RECEIVED,
    "PAYMENT CONFIRMED": PassportApplicationStatus.RECEIVED,
    "BIOMETRICS CAPTURED": PassportApplicationStatus.IN_PROGRESS,
    "UNDER REVIEW": PassportApplicationStatus.IN_PROGRESS,
    "PRINTING": PassportApplicationStatus.IN_PROGRESS,
    "READY FOR COLLECTION": PassportApplicationStatus.READY_FOR_COLLECTION,
    "COLLECTED": PassportApplicationStatus.COLLECTED,
    "REJECTED": PassportApplicationStatus.REJECTED,
}
"""The department's status words and the hub's status each one means."""

CASE_STATUSES: Mapping[str, str] = {
    "RECEIVED": "ACKNOWLEDGED",
    "ASSIGNED": "ACKNOWLEDGED",
    "UNDER REVIEW": "IN_PROGRESS",
    "AWAITING CUSTOMER": "IN_PROGRESS",
    "ESCALATED": "IN_PROGRESS",
    "RESOLVED": "RESOLVED",
    "CLOSED": "RESOLVED",
    "DECLINED": "REJECTED",
}
"""The complaints desk's status words and the hub's ticket status each one means."""

Record = Mapping[str, Any]


def service_from(record: Record, zone: ZoneInfo) -> Service:
    """A catalogue entry of ``/services`` as a hub :class:`Service`."""
    return Service(
        id=_text(record, "service_code"),
        title=_text(record, "name"),
        description=_text(record, "description"),
        category=_text(record, "category"),
        fee=Money(amount=Decimal(_integer(record, "fee_kes")), currency=KES),
        processing_days=_integer(record, "processing_days"),
        requirements=_texts(record, "requirements"),
        online=_boolean(record, "apply_online"),
        url=_optional_text(record, "application_url"),
        updated_at=_start_of_day(_date(record, "last_updated"), zone),
    )


def news_item_from(record: Record, zone: ZoneInfo) -> NewsItem:
    """A notice of ``/news`` as a hub :class:`NewsItem`."""
    return NewsItem(
        id=_text(record, "notice_no"),
        title=_text(record, "title"),
        summary=_text(record, "summary"),
        body=_text(record, "body"),
        category=_text(record, "category"),
        published_at=_datetime(record, "published_at", zone),
        url=_optional_text(record, "url"),
    )


def vacancy_from(record: Record, zone: ZoneInfo) -> Vacancy:
    """An advert of ``/vacancies`` as a hub :class:`Vacancy`, open until its closing day ends."""
    return Vacancy(
        id=_text(record, "advert_no"),
        title=_text(record, "job_title"),
        description=_text(record, "job_description"),
        category=_text(record, "job_category"),
        location=_text(record, "duty_station"),
        positions=_integer(record, "no_of_posts"),
        opens_at=_start_of_day(_date(record, "opening_date"), zone),
        closes_at=_end_of_day(_date(record, "closing_date"), zone),
        grade=_optional_text(record, "grade"),
        salary=Money(amount=Decimal(_integer(record, "monthly_basic_salary_kes")), currency=KES),
        url=_optional_text(record, "advert_url"),
    )


def passport_application_from(record: Record, zone: ZoneInfo) -> PassportApplicationRecord:
    """An application of ``/passport-applications`` as a :class:`PassportApplicationRecord`."""
    status_text = _text(record, "status")
    status = STATUS_BY_WORD.get(status_text.strip().upper())
    if status is None:
        raise UnexpectedShape(
            f"unknown application status {status_text!r}; known: {', '.join(STATUS_BY_WORD)}"
        )
    return PassportApplicationRecord(
        number=_text(record, "application_no"),
        applicant_id_no=_text(record, "applicant_id_no"),
        passport_type=_text(record, "passport_type"),
        status=status,
        status_text=status_text,
        submitted_on=_date(record, "submitted_date"),
        updated_at=_datetime(record, "last_updated", zone),
        collection_centre=_text(record, "collection_centre"),
        remark=_optional_text(record, "remarks"),
    )


def receipt_from(record: Record, zone: ZoneInfo) -> AgencyReceipt:
    """The answer to ``POST /complaints`` as the receipt of a delivered ticket."""
    return AgencyReceipt(
        reference=_case_number(record), filed_at=_instant(record, "received_at", zone)
    )


def ticket_update_from(record: Record, zone: ZoneInfo) -> TicketUpdate:
    """An update of ``/complaints/updates`` as a :class:`TicketUpdate`.

    A status word the connector does not know gives no hub status, only its text: the
    update is passed on rather than holding up every later one.
    """
    word = _optional_text(record, "status")
    status = text = None
    if word is not None:
        status = CASE_STATUSES.get(word.strip().upper())
        text = word.strip().capitalize()
    remarks = (_optional_text(record, "remarks") or "").strip()
    return TicketUpdate(
        reference=_case_number(record),
        updated_at=_instant(record, "updated_at", zone),
        status=status,
        note=remarks or None,
        status_text=text,
    )


def health_from(body: Any, *, checked_at: datetime, latency_ms: float) -> Health:
    """The answer of ``/health``: UP when the API says ``OK``, DEGRADED for other words."""
    if not isinstance(body, Mapping):
        raise UnexpectedShape(f"/health should answer a JSON object, got {body!r}")
    word = _text(body, "status")
    about = " ".join(str(body[key]) for key in ("service", "version") if key in body)
    if word == "OK":
        return Health(
            status=HealthStatus.UP, checked_at=checked_at, latency_ms=latency_ms, detail=about
        )
    return Health(
        status=HealthStatus.DEGRADED,
        checked_at=checked_at,
        latency_ms=latency_ms,
        detail=f"{about} reports status {word!r}".strip(),
    )


def _value(record: Record, name: str) -> Any:
    if name not in record:
        raise UnexpectedShape(f"the field {name!r} is missing")
    return record[name]


def _text(record: Record, name: str) -> str:
    value = _value(record, name)
    if not isinstance(value, str):
        raise UnexpectedShape(f"{name!r} should be a string, got {value!r}")
    return value


def _optional_text(record: Record, name: str) -> str | None:
    if record.get(name) is None:
        return None
    return _text(record, name)


def _texts(record: Record, name: str) -> tuple[str, ...]:
    value = _value(record, name)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise UnexpectedShape(f"{name!r} should be a list of strings, got {value!r}")
    return tuple(value)


def _integer(record: Record, name: str) -> int:
    value = _value(record, name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise UnexpectedShape(f"{name!r} should be a whole number, got {value!r}")
    return value


def _boolean(record: Record, name: str) -> bool:
    value = _value(record, name)
    if not isinstance(value, bool):
        raise UnexpectedShape(f"{name!r} should be true or false, got {value!r}")
    return value


def _date(record: Record, name: str) -> date:
    text = _text(record, name)
    try:
        return datetime.strptime(text, DATE_FORMAT).date()
    except ValueError:
        raise UnexpectedShape(f"{name!r} should be a date as dd/mm/yyyy, got {text!r}") from None


def _datetime(record: Record, name: str, zone: ZoneInfo) -> datetime:
    text = _text(record, name)
    try:
        local = datetime.strptime(text, DATETIME_FORMAT)
    except ValueError:
        raise UnexpectedShape(
            f"{name!r} should be a time as dd/mm/yyyy HH:MM, got {text!r}"
        ) from None
    return local.replace(tzinfo=zone).astimezone(UTC)


def _instant(record: Record, name: str, zone: ZoneInfo) -> datetime:
    """An ISO 8601 instant of the complaints desk; one without an offset is local."""
    text = _text(record, name)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UnexpectedShape(
            f"{name!r} should be an ISO 8601 date and time, got {text!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _case_number(record: Record) -> str:
    number = _text(record, "case_no").strip()
    if not number:
        raise UnexpectedShape("'case_no' is empty")
    return number


def _start_of_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _end_of_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.max, tzinfo=zone).astimezone(UTC)
