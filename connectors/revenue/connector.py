"""The connector of the revenue authority's Citizen Services Gateway (SOAP 1.1)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import ClassVar, TypeVar
from zoneinfo import ZoneInfo

from lxml import etree
from pydantic import BaseModel

from connectors.delivery import delivery_signing
from connectors.revenue.enquiries import lodge_parameters
from connectors.revenue.errors import translated_errors
from connectors.revenue.mapping import (
    bid_from,
    certificate_from,
    items,
    news_item_from,
    ping_from,
    receipt_from,
    service_from,
    ticket_update_from,
    vacancy_from,
)
from connectors.revenue.pins import normalise_pin
from connectors.revenue.schema import RevenueQuery
from connectors.revenue.settings import RevenueSettings
from connectors.revenue.soap import Parameters, SoapClient, qualified
from connectors.revenue.types import TaxCertificate
from hub.connector import (
    Agency,
    AgencyReceipt,
    Bid,
    BidQuery,
    Caller,
    Capability,
    Connector,
    ConnectorResources,
    Health,
    HealthStatus,
    HubError,
    ListQuery,
    NewsItem,
    NewsQuery,
    NotFound,
    Service,
    ServiceQuery,
    TicketDelivery,
    TicketUpdate,
    Vacancy,
    VacancyQuery,
    batch_lookup,
    keyed_records,
)
from hub.identity.assertion import AssertionSigner, RequestSigner, required_signer

MAX_PINS_PER_CALL = 50
"""The most PINs the gateway accepts in one GetTaxComplianceStatus request."""

TENDER_CATEGORIES = frozenset({"GOODS", "WORKS", "SERVICES", "CONSULTANCY"})

Record = TypeVar("Record", Service, NewsItem, Vacancy, Bid)


class RevenueConnector(Connector):
    """Services, news, vacancies, tenders, health, Tax Compliance Certificates, and
    tickets lodged in the enquiry register.

    Pushed down to the gateway: the services' ``category`` and ``text``, the news'
    ``category`` and publication window, the vacancies' ``category`` (the
    department), and the tenders' ``status`` and ``category``. The gateway does not
    page; ``ids`` and ``limit`` are applied to its answer.
    """

    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {"services", "news", "vacancies", "bids", "tickets", "health", "schema"}
    )
    settings_model = RevenueSettings

    def __init__(self, agency: Agency, settings: BaseModel) -> None:
        if not isinstance(settings, RevenueSettings):
            raise TypeError(
                f"RevenueConnector needs RevenueSettings, got {type(settings).__name__}"
            )
        super().__init__(agency, settings)
        self.config = settings
        self._zone = settings.zone
        self._client: SoapClient | None = None
        self._assertions: AssertionSigner | None = None

    async def open(self, resources: ConnectorResources) -> None:
        """Prepare the SOAP client on the hub's HTTP client; the gateway is not contacted."""
        self._client = SoapClient(
            resources.http,
            self.config.endpoint,
            self.config.username,
            self.config.password.get_secret_value(),
        )
        self._assertions = resources.assertions

    async def close(self) -> None:
        """Forget the client; the hub closes the HTTP client it lent."""
        self._client = None
        self._assertions = None

    async def services(self, query: ServiceQuery) -> list[Service]:
        """The service catalogue (GetServiceCatalogue)."""
        parameters = [("Category", query.category), ("Keyword", query.text)]
        return await self._list(
            query, "GetServiceCatalogue", parameters, "Services", "Service", service_from
        )

    async def news(self, query: NewsQuery) -> list[NewsItem]:
        """Press releases, notices and tax alerts, newest first (GetNews)."""
        parameters = [
            ("Category", query.category),
            ("PublishedFrom", self._local_time(query.published_after)),
            ("PublishedTo", self._local_time(query.published_before)),
        ]
        return await self._list(
            query, "GetNews", parameters, "NewsItems", "NewsItem", news_item_from
        )

    async def vacancies(self, query: VacancyQuery) -> list[Vacancy]:
        """Advertised positions by closing date (GetVacancies); the category is the department."""
        parameters = [("Department", query.category)]
        return await self._list(
            query, "GetVacancies", parameters, "Vacancies", "Vacancy", vacancy_from
        )

    async def bids(self, query: BidQuery) -> list[Bid]:
        """Tenders, newest first (GetTenders); the category is Goods, Works, Services or
        Consultancy."""
        category = (query.category or "").strip().upper()
        if query.category is not None and category not in TENDER_CATEGORIES:
            return []
        parameters = [
            ("Status", query.status.value if query.status is not None else None),
            ("Category", category or None),
        ]
        return await self._list(query, "GetTenders", parameters, "Tenders", "Tender", bid_from)

    async def health(self) -> Health:
        """Ping the gateway and time the answer."""
        started = time.perf_counter()
        with translated_errors(self.agency.id):
            answer = ping_from(await self._soap.call("Ping"), self._zone)
        latency_ms = (time.perf_counter() - started) * 1000
        about = f"gateway version {answer.version}, system time {answer.system_time.isoformat()}"
        status = HealthStatus.UP if answer.status == "OK" else HealthStatus.DEGRADED
        detail = about if status is HealthStatus.UP else f"status {answer.status!r}, {about}"
        return Health(
            status=status, checked_at=datetime.now(UTC), latency_ms=latency_ms, detail=detail
        )

    async def submit_ticket(self, ticket: TicketDelivery) -> AgencyReceipt:
        """Lodge ``ticket`` in the enquiry register (LodgeEnquiry); the receipt is its
        enquiry reference. The gateway is idempotent by the hub's ticket id, so a ticket
        lodged before gets its enquiry back. Signed with the hub's own assertion
        (:mod:`connectors.delivery`), as the enquiry holds the citizen's contact details."""
        parameters = lodge_parameters(ticket, self._zone, self.agency.id)
        sign = delivery_signing(self._assertions, self.agency.id, ticket)
        with translated_errors(self.agency.id):
            answer = await self._soap.call("LodgeEnquiry", parameters, sign=sign)
            return receipt_from(answer, self._zone)

    async def ticket_updates(self, since: datetime) -> list[TicketUpdate]:
        """The officers' updates made after ``since`` (GetEnquiryUpdates), oldest first;
        the reference is the enquiry's."""
        parameters = [("Since", local_text(since, self._zone, "microseconds"))]
        with translated_errors(self.agency.id):
            answer = await self._soap.call("GetEnquiryUpdates", parameters)
            updates = [
                ticket_update_from(e, self._zone) for e in items(answer, "Updates", "Update")
            ]
        return sorted(updates, key=lambda update: update.updated_at)

    def schema(self) -> type[RevenueQuery]:
        """The ``Query.revenue`` type: Tax Compliance Certificates by PIN."""
        return RevenueQuery

    @batch_lookup
    async def tax_compliance(
        self, pins: Sequence[str], caller: Caller
    ) -> dict[str, TaxCertificate | HubError]:
        """The Tax Compliance Certificates of these PINs, keyed by the PINs as given, in
        one GetTaxComplianceStatus request per fifty PINs.

        Every PIN is checked and normalised (spaces stripped, upper case) first; a
        malformed one raises :class:`~hub.connector.InvalidInput` before any call.
        PINs unknown to the authority are absent from the answer; a certificate this
        connector cannot read is the :class:`~hub.connector.AgencyBadResponse` of its
        PIN alone. Each request carries
        the hub's assertion that ``caller`` asks, for ``<agency>.taxCompliance``, on
        behalf of the PINs it names; without an assertion key the hub cannot ask
        (:class:`~hub.connector.AgencyRejected`).
        """
        wanted = {given: normalise_pin(given, agency=self.agency.id) for given in pins}
        unique = list(dict.fromkeys(wanted.values()))
        if not unique:
            return {}
        signer = required_signer(self._assertions, self.agency.id, "ask for personal data")
        found: dict[str, TaxCertificate | HubError] = {}
        for start in range(0, len(unique), MAX_PINS_PER_CALL):
            chunk = unique[start : start + MAX_PINS_PER_CALL]
            sign = signer.for_requests(
                caller,
                audience=self.agency.id,
                purpose=f"{self.agency.id}.taxCompliance",
                on_behalf_of={"pin": chunk},
            )
            found.update(await self._certificates(chunk, sign))
        return {given: found[pin] for given, pin in wanted.items() if pin in found}

    def today(self) -> date:
        """Today in the authority's time zone, the day certificates expire by."""
        return datetime.now(self._zone).date()

    @property
    def _soap(self) -> SoapClient:
        if self._client is None:
            raise RuntimeError(
                f"connector {self.agency.id!r} is not open; the hub calls open() before use"
            )
        return self._client

    async def _certificates(
        self, pins: list[str], sign: RequestSigner
    ) -> dict[str, TaxCertificate | HubError]:
        try:
            with translated_errors(self.agency.id):
                answer = await self._soap.call(
                    "GetTaxComplianceStatus", [("Pin", pin) for pin in pins], sign=sign
                )
                certificates = items(answer, "Certificates", "Certificate")
        except NotFound:
            # The gateway faults for a lone unknown PIN; in a batch it lists it instead.
            if len(pins) == 1:
                return {}
            raise
        return keyed_records(
            certificates,
            _pin_of,
            certificate_from,
            lambda: translated_errors(self.agency.id),
        )

    async def _list(
        self,
        query: ListQuery,
        operation: str,
        parameters: Sequence[tuple[str, str | None]],
        container: str,
        item: str,
        convert: Callable[[etree._Element, ZoneInfo], Record],
    ) -> list[Record]:
        if query.limit <= 0 or (query.ids is not None and not query.ids):
            return []
        given: Parameters = [(name, value) for name, value in parameters if value]
        with translated_errors(self.agency.id):
            answer = await self._soap.call(operation, given)
            records = [convert(element, self._zone) for element in items(answer, container, item)]
        if query.ids is not None:
            wanted = set(query.ids)
            records = [record for record in records if record.id in wanted]
        return records[: query.limit]

    def _local_time(self, moment: datetime | None) -> str | None:
        """``moment`` as the gateway's local time without offset; a naive one is UTC."""
        return None if moment is None else local_text(moment, self._zone)


def _pin_of(certificate: etree._Element) -> str | None:
    """The PIN of a ``Certificate`` element as the gateway wrote it, if it has one."""
    pin = (certificate.findtext(qualified("Pin")) or "").strip()
    return pin or None


def local_text(moment: datetime, zone: ZoneInfo, timespec: str = "seconds") -> str:
    """``moment`` as a local time of ``zone`` without offset; a naive ``moment`` is UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).replace(tzinfo=None).isoformat(timespec=timespec)
