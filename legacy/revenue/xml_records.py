"""The stand-in's records written as the XML elements the WSDL declares."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from legacy.revenue.envelope import service_name
from legacy.revenue.seed import CatalogueService, JobVacancy, NewsRelease, Taxpayer, Tender

CURRENCY = "KES"


def add(
    parent: etree._Element, name: str, value: str | int | bool | date | None = None
) -> etree._Element:
    """Append the element ``name`` to ``parent`` holding ``value`` in its XSD form."""
    element = etree.SubElement(parent, service_name(name))
    if value is not None:
        element.text = _lexical(value)
    return element


def _lexical(value: str | int | bool | date) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _amount(parent: etree._Element, name: str, amount: Decimal) -> None:
    add(parent, name, str(amount)).set("currency", CURRENCY)


def add_service(parent: etree._Element, service: CatalogueService) -> None:
    """Append a ``Service`` element."""
    element = add(parent, "Service")
    add(element, "Code", service.code)
    add(element, "Title", service.title)
    add(element, "Description", service.description)
    add(element, "Category", service.category)
    _amount(element, "Fee", service.fee)
    add(element, "ProcessingDays", service.processing_days)
    requirements = add(element, "Requirements")
    for requirement in service.requirements:
        add(requirements, "Requirement", requirement)
    add(element, "Online", service.online)
    add(element, "Url", service.url)
    add(element, "LastUpdated", service.last_updated)


def add_news(parent: etree._Element, news: NewsRelease) -> None:
    """Append a ``NewsItem`` element."""
    element = add(parent, "NewsItem")
    add(element, "NewsId", news.news_id)
    add(element, "Title", news.title)
    add(element, "Summary", news.summary)
    add(element, "Body", news.body)
    add(element, "Category", news.category)
    add(element, "Published", news.published)
    add(element, "Url", news.url)


def add_vacancy(parent: etree._Element, vacancy: JobVacancy) -> None:
    """Append a ``Vacancy`` element."""
    element = add(parent, "Vacancy")
    add(element, "Reference", vacancy.reference)
    add(element, "Title", vacancy.title)
    add(element, "Description", vacancy.description)
    add(element, "Department", vacancy.department)
    add(element, "Station", vacancy.station)
    add(element, "Grade", vacancy.grade)
    add(element, "Positions", vacancy.positions)
    _amount(element, "SalaryMin", vacancy.salary_min)
    _amount(element, "SalaryMax", vacancy.salary_max)
    add(element, "OpeningDate", vacancy.opening_date)
    add(element, "ClosingDate", vacancy.closing_date)
    add(element, "Url", vacancy.url)


def add_tender(parent: etree._Element, tender: Tender) -> None:
    """Append a ``Tender`` element."""
    element = add(parent, "Tender")
    add(element, "TenderNumber", tender.number)
    add(element, "Title", tender.title)
    add(element, "Description", tender.description)
    add(element, "Category", tender.category.value)
    add(element, "Status", tender.status.value)
    add(element, "PublicationDate", tender.published)
    add(element, "ClosingDate", tender.closing)
    _amount(element, "EstimatedValue", tender.estimated_value)
    add(element, "Url", tender.url)


def add_certificate(parent: etree._Element, taxpayer: Taxpayer) -> None:
    """Append a ``Certificate`` element: the taxpayer's Tax Compliance Certificate."""
    element = add(parent, "Certificate")
    add(element, "Pin", taxpayer.pin)
    add(element, "TaxpayerName", taxpayer.name)
    add(element, "TaxpayerType", taxpayer.taxpayer_type.value)
    add(element, "Status", taxpayer.status.value)
    if taxpayer.certificate_number is not None:
        add(element, "CertificateNumber", taxpayer.certificate_number)
    if taxpayer.issued_on is not None:
        add(element, "IssuedOn", taxpayer.issued_on)
    if taxpayer.expires_on is not None:
        add(element, "ExpiresOn", taxpayer.expires_on)
