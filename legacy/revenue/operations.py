"""The gateway's operations: which one a request asks for, and how each answers."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from legacy.revenue import xml_records
from legacy.revenue.enquiry_operations import get_enquiry_updates, lodge_enquiry
from legacy.revenue.envelope import SERVICE_NS, SoapMessage, client_fault, service_name
from legacy.revenue.reading import LOCAL_TIME, RequestReader
from legacy.revenue.seed import SeedData, TenderCategory, TenderStatus

VERSION = "3.4.2"
MAX_PINS = 50
PIN_PATTERN = re.compile(r"[AP]\d{9}[A-Z]")

Handler = Callable[[etree._Element, SeedData], etree._Element]


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of the port type, and its handler.

    A ``personal`` operation answers personal data: its requests must carry the
    hub's signed assertion (:mod:`legacy.assertions`).
    """

    name: str
    handler: Handler
    personal: bool = False

    @property
    def soap_action(self) -> str:
        """The ``SOAPAction`` the WSDL binding declares for this operation."""
        return f"{SERVICE_NS}/{self.name}"


def _answer(operation: str) -> etree._Element:
    return etree.Element(service_name(f"{operation}Response"), nsmap={"ra": SERVICE_NS})


def _words_in(words: list[str], *texts: str) -> bool:
    haystack = " ".join(texts).casefold()
    return all(word in haystack for word in words)


def get_service_catalogue(request: etree._Element, data: SeedData) -> etree._Element:
    """The catalogue, filtered by ``Category`` and every word of ``Keyword``."""
    reader = RequestReader(request, ("Category", "Keyword"))
    category = reader.optional("Category")
    words = (reader.optional("Keyword") or "").casefold().split()
    answer = _answer("GetServiceCatalogue")
    services = xml_records.add(answer, "Services")
    for service in data.services:
        if category is not None and service.category.casefold() != category.casefold():
            continue
        texts = (service.code, service.title, service.description, service.category)
        if _words_in(words, *texts, *service.requirements):
            xml_records.add_service(services, service)
    return answer


def get_news(request: etree._Element, data: SeedData) -> etree._Element:
    """News newest first, filtered by ``Category`` and a publication window."""
    reader = RequestReader(request, ("Category", "PublishedFrom", "PublishedTo"))
    category = reader.optional("Category")
    since = reader.optional_datetime("PublishedFrom")
    until = reader.optional_datetime("PublishedTo")
    if since is not None and until is not None and since > until:
        raise client_fault("GetNews: PublishedFrom is after PublishedTo; swap them")
    answer = _answer("GetNews")
    items = xml_records.add(answer, "NewsItems")
    for news in data.news:
        if category is not None and news.category.casefold() != category.casefold():
            continue
        if (since is None or news.published >= since) and (
            until is None or news.published <= until
        ):
            xml_records.add_news(items, news)
    return answer


def get_vacancies(request: etree._Element, data: SeedData) -> etree._Element:
    """Vacancies by closing date, optionally of one ``Department``."""
    department = RequestReader(request, ("Department",)).optional("Department")
    answer = _answer("GetVacancies")
    vacancies = xml_records.add(answer, "Vacancies")
    for vacancy in data.vacancies:
        if department is None or vacancy.department.casefold() == department.casefold():
            xml_records.add_vacancy(vacancies, vacancy)
    return answer


def get_tenders(request: etree._Element, data: SeedData) -> etree._Element:
    """Tenders newest first, optionally of one ``Status`` and ``Category``."""
    reader = RequestReader(request, ("Status", "Category"))
    status = reader.optional_choice("Status", TenderStatus)
    category = reader.optional_choice("Category", TenderCategory)
    answer = _answer("GetTenders")
    tenders = xml_records.add(answer, "Tenders")
    for tender in data.tenders:
        if (status is None or tender.status is status) and (
            category is None or tender.category is category
        ):
            xml_records.add_tender(tenders, tender)
    return answer


def get_tax_compliance_status(request: etree._Element, data: SeedData) -> etree._Element:
    """Certificates of the PINs asked; an unknown PIN faults only when it is the only one."""
    pins = list(dict.fromkeys(RequestReader(request, ("Pin",)).all("Pin")))
    if not pins:
        raise client_fault(
            "GetTaxComplianceStatus: missing required element Pin; send one to "
            f"{MAX_PINS} Pin elements"
        )
    if len(pins) > MAX_PINS:
        raise client_fault(
            f"GetTaxComplianceStatus: {len(pins)} PINs asked, at most {MAX_PINS} per request; "
            "split the batch",
            "BATCH_TOO_LARGE",
        )
    for pin in pins:
        if not PIN_PATTERN.fullmatch(pin):
            raise client_fault(
                f"GetTaxComplianceStatus: {pin!r} is not a valid PIN; expected A (individual) "
                "or P (company), nine digits and a letter, e.g. A012345678Z",
                "INVALID_PIN",
            )
    unknown = [pin for pin in pins if pin not in data.taxpayers]
    if len(pins) == 1 and unknown:
        raise client_fault(f"no taxpayer is registered with PIN {pins[0]}", "PIN_NOT_FOUND")
    answer = _answer("GetTaxComplianceStatus")
    certificates = xml_records.add(answer, "Certificates")
    for pin in pins:
        if pin in data.taxpayers:
            xml_records.add_certificate(certificates, data.taxpayers[pin])
    if unknown:
        listed = xml_records.add(answer, "UnknownPins")
        for pin in unknown:
            xml_records.add(listed, "Pin", pin)
    return answer


def ping(request: etree._Element, data: SeedData) -> etree._Element:
    """The gateway's health: status, local system time and version."""
    RequestReader(request, ())
    answer = _answer("Ping")
    xml_records.add(answer, "Status", "OK")
    now = datetime.now(LOCAL_TIME).replace(tzinfo=None, microsecond=0)
    xml_records.add(answer, "SystemTime", now)
    xml_records.add(answer, "Version", VERSION)
    return answer


OPERATIONS: Mapping[str, Operation] = {
    operation.name: operation
    for operation in (
        Operation("GetServiceCatalogue", get_service_catalogue),
        Operation("GetNews", get_news),
        Operation("GetVacancies", get_vacancies),
        Operation("GetTenders", get_tenders),
        Operation("GetTaxComplianceStatus", get_tax_compliance_status, personal=True),
        Operation("LodgeEnquiry", lodge_enquiry, personal=True),
        Operation("GetEnquiryUpdates", get_enquiry_updates),
        Operation("Ping", ping),
    )
}
"""The operations of the port type, by name."""


def select_operation(
    message: SoapMessage, soap_action: str | None
) -> tuple[Operation, etree._Element]:
    """The operation a request asks for, and its request element.

    The body's element names the operation; a ``SOAPAction`` header, when given and
    not empty, must name the same one (an empty action defers to the body).
    """
    known = ", ".join(OPERATIONS)
    by_action = None
    action = (soap_action or "").strip().strip('"').strip()
    if action:
        by_action = next((op for op in OPERATIONS.values() if op.soap_action == action), None)
        if by_action is None:
            raise client_fault(
                f"unknown SOAPAction {action!r}; expected {SERVICE_NS}/<operation> with one "
                f"of the operations {known}",
                "UNKNOWN_OPERATION",
            )
    if not message.body:
        expected = by_action.name if by_action else f"one of {known}"
        raise client_fault(f"missing required element: the SOAP Body is empty; expected {expected}")
    if len(message.body) > 1:
        raise client_fault(
            f"the SOAP Body holds {len(message.body)} elements; send exactly one operation "
            "element per request"
        )
    element = message.body[0]
    name = etree.QName(element)
    operation = OPERATIONS.get(name.localname) if name.namespace == SERVICE_NS else None
    if operation is None:
        hint = (
            f"; put it in the namespace {SERVICE_NS}"
            if name.localname in OPERATIONS
            else f"; the operations are {known}"
        )
        raise client_fault(
            f"unknown operation {element.tag} in the SOAP Body{hint}", "UNKNOWN_OPERATION"
        )
    if by_action is not None and by_action is not operation:
        raise client_fault(
            f"the SOAPAction names {by_action.name} but the SOAP Body holds {operation.name}; "
            "make them agree"
        )
    return operation, element
