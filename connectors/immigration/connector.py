"""The connector of the Department of Immigration Services' REST/JSON API."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar

from pydantic import BaseModel

from connectors.delivery import delivery_signing
from connectors.immigration.application_numbers import normalise_application_number
from connectors.immigration.client import ImmigrationClient, JsonObject
from connectors.immigration.complaints import complaint_body
from connectors.immigration.errors import UnexpectedShape, translated_errors
from connectors.immigration.mapping import (
    health_from,
    news_item_from,
    passport_application_from,
    receipt_from,
    service_from,
    ticket_update_from,
    vacancy_from,
)
from connectors.immigration.schema import ImmigrationQuery
from connectors.immigration.settings import ImmigrationSettings
from connectors.immigration.types import PassportApplicationRecord
from hub.connector import (
    Agency,
    AgencyReceipt,
    Caller,
    Capability,
    Connector,
    ConnectorResources,
    Health,
    HubError,
    ListQuery,
    NewsItem,
    NewsQuery,
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

LOCAL_DATE = "%d/%m/%Y"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class ImmigrationConnector(Connector):
    """Services, news, vacancies, health, passport applications and the complaints desk
    of the immigration API.

    Filters on ``ids``, ``category`` and ``text`` (and news publication dates) are
    passed to the API; pages are followed until ``query.limit`` records are read.
    Tickets are lodged as cases of the complaints desk, and its feed of updates read back.
    """

    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {"services", "news", "vacancies", "tickets", "health", "schema"}
    )
    settings_model = ImmigrationSettings

    def __init__(self, agency: Agency, settings: BaseModel) -> None:
        if not isinstance(settings, ImmigrationSettings):
            raise TypeError(
                f"ImmigrationConnector needs ImmigrationSettings, got {type(settings).__name__}"
            )
        super().__init__(agency, settings)
        self.config = settings
        self._zone = settings.zone
        self._client: ImmigrationClient | None = None
        self._assertions: AssertionSigner | None = None

    async def open(self, resources: ConnectorResources) -> None:
        """Prepare the API client on the hub's HTTP client; the API is not contacted."""
        self._client = ImmigrationClient(
            resources.http,
            base_url=self.config.base_url,
            api_key=self.config.api_key.get_secret_value(),
            page_size=self.config.page_size,
            agency=self.agency.id,
        )
        self._assertions = resources.assertions

    async def close(self) -> None:
        """Forget the client; the hub closes the HTTP client it lent."""
        self._client = None
        self._assertions = None

    async def services(self, query: ServiceQuery) -> list[Service]:
        """The service catalogue."""
        rows = await self._list("/services", query)
        with translated_errors(self.agency.id):
            return [service_from(row, self._zone) for row in rows]

    async def news(self, query: NewsQuery) -> list[NewsItem]:
        """Press releases, public notices and advisories, newest first."""
        extra = []
        if query.published_after is not None:
            extra.append(("published_from", self._local_day(query.published_after)))
        if query.published_before is not None:
            extra.append(("published_to", self._local_day(query.published_before)))
        rows = await self._list("/news", query, extra)
        with translated_errors(self.agency.id):
            return [news_item_from(row, self._zone) for row in rows]

    async def vacancies(self, query: VacancyQuery) -> list[Vacancy]:
        """Job adverts, newest first; the hub applies the date filters."""
        rows = await self._list("/vacancies", query)
        with translated_errors(self.agency.id):
            return [vacancy_from(row, self._zone) for row in rows]

    async def health(self) -> Health:
        """Probe ``/health`` (which needs no API key) and time the answer."""
        started = time.perf_counter()
        body = await self._api.get("/health")
        latency_ms = (time.perf_counter() - started) * 1000
        with translated_errors(self.agency.id):
            return health_from(body, checked_at=datetime.now(UTC), latency_ms=latency_ms)

    async def submit_ticket(self, ticket: TicketDelivery) -> AgencyReceipt:
        """Lodge ``ticket`` with the complaints desk (``POST /complaints``); the receipt is
        its case number. The hub's ticket id is the ``Idempotency-Key``, so a ticket
        lodged before gets its case back. Signed with the hub's own assertion
        (:mod:`connectors.delivery`), as the case holds the citizen's contact details."""
        body = complaint_body(ticket, self.agency.id)
        sign = delivery_signing(self._assertions, self.agency.id, ticket)
        record = await self._api.post(
            "/complaints", body, headers={IDEMPOTENCY_HEADER: ticket.ticket_id}, sign=sign
        )
        with translated_errors(self.agency.id):
            if not isinstance(record, dict):
                raise UnexpectedShape(f"POST /complaints answered {type(record).__name__}")
            return receipt_from(record, self._zone)

    async def ticket_updates(self, since: datetime) -> list[TicketUpdate]:
        """The officers' updates made after ``since`` (``GET /complaints/updates``), oldest
        first. The feed covers every case lodged through the API; a reference the hub did
        not deliver is not one of its tickets."""
        after = _aware(since).astimezone(self._zone).isoformat(timespec="microseconds")
        rows = await self._api.every_record("/complaints/updates", [("updated_after", after)])
        with translated_errors(self.agency.id):
            updates = [ticket_update_from(row, self._zone) for row in rows]
        return sorted(updates, key=lambda update: update.updated_at)

    def schema(self) -> type[ImmigrationQuery]:
        """The ``Query.immigration`` type: passport application status."""
        return ImmigrationQuery

    @batch_lookup
    async def passport_applications(
        self, numbers: Sequence[str], caller: Caller
    ) -> dict[str, PassportApplicationRecord | HubError]:
        """The applications with these numbers, keyed by the numbers as given, in one
        request per hundred numbers.

        Every number is checked and normalised (spaces stripped, upper case) first;
        a malformed one raises :class:`~hub.connector.InvalidInput` before any call.
        Unknown numbers are absent from the answer; an application this connector
        cannot read is the :class:`~hub.connector.AgencyBadResponse` of its number
        alone. Each request carries the hub's
        assertion that ``caller`` asks, for ``<agency>.passportApplication``, about the
        application numbers it names; without an assertion key the hub cannot ask
        (:class:`~hub.connector.AgencyRejected`).
        """
        wanted = {
            given: normalise_application_number(given, agency=self.agency.id) for given in numbers
        }
        if not wanted:
            return {}
        signer = required_signer(self._assertions, self.agency.id, "ask for personal data")

        def signing(chunk: Sequence[str]) -> RequestSigner:
            return signer.for_requests(
                caller,
                audience=self.agency.id,
                purpose=f"{self.agency.id}.passportApplication",
                on_behalf_of={"application_no": list(chunk)},
            )

        rows = await self._api.passport_applications(list(dict.fromkeys(wanted.values())), signing)
        by_number = keyed_records(
            rows,
            _application_number,
            lambda row: passport_application_from(row, self._zone),
            lambda: translated_errors(self.agency.id),
        )
        return {given: by_number[number] for given, number in wanted.items() if number in by_number}

    @property
    def _api(self) -> ImmigrationClient:
        if self._client is None:
            raise RuntimeError(
                f"connector {self.agency.id!r} is not open; the hub calls open() before use"
            )
        return self._client

    async def _list(
        self, path: str, query: ListQuery, extra: Sequence[tuple[str, str]] = ()
    ) -> list[JsonObject]:
        if query.ids is not None and not query.ids:
            return []
        params = [("ids", local_id) for local_id in query.ids or ()]
        if query.category:
            params.append(("category", query.category))
        if query.text:
            params.append(("q", query.text))
        return await self._api.list_records(path, [*params, *extra], query.limit)

    def _local_day(self, moment: datetime) -> str:
        """The API's local day of ``moment``; a naive ``moment`` is taken as UTC."""
        return _aware(moment).astimezone(self._zone).strftime(LOCAL_DATE)


def _application_number(row: JsonObject) -> str | None:
    """The number of an application as the API wrote it, if it can be read."""
    number = row.get("application_no")
    return number if isinstance(number, str) else None


def _aware(moment: datetime) -> datetime:
    """``moment`` with a zone; a naive one is the hub's, UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
