"""The gateway's XML records turned into the hub's types.

The gateway's times carry no offset: they are local times of the agency's time
zone, converted here to UTC. A closing date means the end of that day, locally.
A missing or misshapen field raises :class:`~connectors.revenue.errors.MalformedAnswer`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import TypeVar
from zoneinfo import ZoneInfo

from lxml import etree

from connectors.revenue.errors import MalformedAnswer
from connectors.revenue.soap import qualified
from connectors.revenue.types import TaxCertificate, TaxComplianceStatus, TaxpayerType
from hub.connector import (
    AgencyReceipt,
    Bid,
    BidStatus,
    Money,
    NewsItem,
    Service,
    TicketUpdate,
    Vacancy,
)

T = TypeVar("T")

ENQUIRY_STATUSES = {
    "LOGGED": "ACKNOWLEDGED",
    "ASSIGNED": "ACKNOWLEDGED",
    "WORK IN PROGRESS": "IN_PROGRESS",
    "PENDING TAXPAYER": "IN_PROGRESS",
    "ESCALATED": "IN_PROGRESS",
    "RESOLVED": "RESOLVED",
    "CLOSED": "RESOLVED",
    "REJECTED": "REJECTED",
}
"""The enquiry register's status words and the hub's ticket status each one means."""


@dataclass(frozen=True, slots=True)
class PingAnswer:
    """The gateway's answer to Ping."""

    status: str
    system_time: datetime
    version: str


def items(answer: etree._Element, container: str, item: str) -> list[etree._Element]:
    """The ``item`` elements of the ``container`` element of an operation's answer."""
    holder = answer.find(qualified(container))
    if holder is None:
        raise MalformedAnswer(f"{etree.QName(answer).localname} has no {container} element")
    return holder.findall(qualified(item))


def service_from(element: etree._Element, zone: ZoneInfo) -> Service:
    """A catalogue ``Service`` element as a hub :class:`Service`."""
    requirements = _required(element, "Requirements").findall(qualified("Requirement"))
    return Service(
        id=_text(element, "Code"),
        title=_text(element, "Title"),
        description=_text(element, "Description"),
        category=_text(element, "Category"),
        fee=_money(element, "Fee"),
        processing_days=_parsed(element, "ProcessingDays", int),
        requirements=tuple((r.text or "").strip() for r in requirements if r.text),
        online=_parsed(element, "Online", _boolean),
        url=_optional(element, "Url"),
        updated_at=_instant(element, "LastUpdated", zone),
    )


def news_item_from(element: etree._Element, zone: ZoneInfo) -> NewsItem:
    """A ``NewsItem`` element as a hub :class:`NewsItem`."""
    return NewsItem(
        id=_text(element, "NewsId"),
        title=_text(element, "Title"),
        summary=_text(element, "Summary"),
        body=_text(element, "Body"),
        category=_text(element, "Category"),
        published_at=_instant(element, "Published", zone),
        url=_optional(element, "Url"),
    )


def vacancy_from(element: etree._Element, zone: ZoneInfo) -> Vacancy:
    """A ``Vacancy`` element as a hub :class:`Vacancy`, open from the opening day's start
    to the closing day's end; the salary is the bottom of the scale, which the
    description states in full."""
    grade = _text(element, "Grade")
    low, high = _money(element, "SalaryMin"), _money(element, "SalaryMax")
    scale = _amount_text(low) if low == high else f"{_amount_text(low)} to {_amount_text(high)}"
    return Vacancy(
        id=_text(element, "Reference"),
        title=_text(element, "Title"),
        description=f"{_text(element, 'Description')}\n\nGross salary: {scale} a month "
        f"(grade {grade}).",
        category=_text(element, "Department"),
        location=_text(element, "Station"),
        positions=_parsed(element, "Positions", int),
        opens_at=_local(datetime.combine(_day(element, "OpeningDate"), time.min), zone),
        closes_at=_local(datetime.combine(_day(element, "ClosingDate"), time.max), zone),
        grade=grade,
        salary=low,
        url=_optional(element, "Url"),
    )


def bid_from(element: etree._Element, zone: ZoneInfo) -> Bid:
    """A ``Tender`` element as a hub :class:`Bid`, its category in words (``Goods``)."""
    number = _text(element, "TenderNumber")
    return Bid(
        id=number,
        reference=number,
        title=_text(element, "Title"),
        description=_text(element, "Description"),
        category=_text(element, "Category").capitalize(),
        status=_parsed(element, "Status", BidStatus),
        published_at=_instant(element, "PublicationDate", zone),
        closes_at=_instant(element, "ClosingDate", zone),
        estimated_value=_money(element, "EstimatedValue"),
        url=_optional(element, "Url"),
    )


def certificate_from(element: etree._Element) -> TaxCertificate:
    """A ``Certificate`` element as a :class:`TaxCertificate`."""
    return TaxCertificate(
        pin=_text(element, "Pin"),
        taxpayer_name=_text(element, "TaxpayerName"),
        taxpayer_type=_parsed(element, "TaxpayerType", TaxpayerType),
        status=_parsed(element, "Status", TaxComplianceStatus),
        certificate_number=_optional(element, "CertificateNumber"),
        issued_on=_optional_day(element, "IssuedOn"),
        expires_on=_optional_day(element, "ExpiresOn"),
    )


def ping_from(element: etree._Element, zone: ZoneInfo) -> PingAnswer:
    """The ``PingResponse`` element."""
    return PingAnswer(
        status=_text(element, "Status"),
        system_time=_instant(element, "SystemTime", zone),
        version=_text(element, "Version"),
    )


def receipt_from(answer: etree._Element, zone: ZoneInfo) -> AgencyReceipt:
    """The ``LodgeEnquiryResponse`` as the receipt of a delivered ticket."""
    return AgencyReceipt(
        reference=_text(answer, "EnquiryReference"),
        filed_at=_instant(answer, "LodgedAt", zone),
    )


def ticket_update_from(element: etree._Element, zone: ZoneInfo) -> TicketUpdate:
    """An ``Update`` element of GetEnquiryUpdates as a :class:`TicketUpdate`.

    Without ``Status`` the officer only added remarks. A status word the connector does
    not know gives no hub status, only its text: the update is passed on rather than
    holding up every later one.
    """
    word = _optional(element, "Status")
    return TicketUpdate(
        reference=_text(element, "EnquiryReference"),
        updated_at=_instant(element, "UpdatedAt", zone),
        status=ENQUIRY_STATUSES.get(word.upper()) if word is not None else None,
        note=_optional(element, "Remarks"),
        status_text=word.capitalize() if word is not None else None,
    )


# --------------------------------------------------------------------------- fields


def _where(element: etree._Element) -> str:
    """Names the record in messages: its element name and, if known, its key."""
    name = etree.QName(element).localname
    keys = ("Code", "NewsId", "Reference", "TenderNumber", "CertificateNumber", "EnquiryReference")
    for key in keys:
        value = element.findtext(qualified(key))
        if value:
            return f"{name} {value.strip()}"
    return name


def _required(element: etree._Element, name: str) -> etree._Element:
    child = element.find(qualified(name))
    if child is None:
        raise MalformedAnswer(f"{_where(element)} has no {name} element")
    return child


def _optional(element: etree._Element, name: str) -> str | None:
    text = (element.findtext(qualified(name)) or "").strip()
    return text or None


def _text(element: etree._Element, name: str) -> str:
    text = (_required(element, name).text or "").strip()
    if not text:
        raise MalformedAnswer(f"{_where(element)} has an empty {name}")
    return text


def _parsed(element: etree._Element, name: str, parse: Callable[[str], T]) -> T:
    text = _text(element, name)
    try:
        return parse(text)
    except (ValueError, InvalidOperation) as exc:
        raise MalformedAnswer(f"{_where(element)} has an unreadable {name}: {text!r}") from exc


def _boolean(text: str) -> bool:
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(f"not an xsd:boolean: {text!r}")


def _money(element: etree._Element, name: str) -> Money:
    currency = _required(element, name).get("currency")
    if not currency:
        raise MalformedAnswer(f"{_where(element)} gives {name} without a currency")
    return Money(amount=_parsed(element, name, Decimal), currency=currency)


def _amount_text(money: Money) -> str:
    return f"{money.currency} {money.amount:,.0f}"


def _day(element: etree._Element, name: str) -> date:
    return _parsed(element, name, date.fromisoformat)


def _optional_day(element: etree._Element, name: str) -> date | None:
    return None if _optional(element, name) is None else _day(element, name)


def _instant(element: etree._Element, name: str, zone: ZoneInfo) -> datetime:
    return _local(_parsed(element, name, datetime.fromisoformat), zone)


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """``moment`` in UTC; without an offset it is a local time of ``zone``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)
