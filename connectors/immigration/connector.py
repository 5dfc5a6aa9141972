"""The connector of the Department of Immigration Services' REST/JSON API."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar

from pydantic import BaseModel

from connectors.immigration.application_numbers import normalise_application_number
from connectors.immigration.assertions import assertion_key, signing_for
from connectors.immigration.client import ImmigrationClient, JsonObject, RequestSigner
from connectors.immigration.errors import translated_errors
from connectors.immigration.mapping import (
    health_from,
    news_item_from,
    passport_application_from,
    service_from,
    vacancy_from,
)
from connectors.immigration.schema import ImmigrationQuery
from connectors.immigration.settings import ImmigrationSettings
from connectors.immigration.types import PassportApplicationRecord
from hub.connector import (
    Agency,
    Caller,
    Capability,
    Connector,
    ConnectorResources,
    Health,
    ListQuery,
    NewsItem,
    NewsQuery,
    Service,
    ServiceQuery,
    Vacancy,
    VacancyQuery,
)
from hub.identity.assertion import AssertionSigner

LOCAL_DATE = "%d/%m/%Y"


class ImmigrationConnector(Connector):
    """Services, news, vacancies, health and passport applications of the immigration API.

    Filters on ``ids``, ``category`` and ``text`` (and news publication dates) are
    passed to the API; pages are followed until ``query.limit`` records are read.
    """

    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {"services", "news", "vacancies", "health", "schema"}
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

    def schema(self) -> type[ImmigrationQuery]:
        """The ``Query.immigration`` type: passport application status."""
        return ImmigrationQuery

    async def passport_applications(
        self, numbers: Sequence[str], caller: Caller
    ) -> dict[str, PassportApplicationRecord]:
        """The applications with these numbers, keyed by the numbers as given.

        Every number is checked and normalised (spaces stripped, upper case) first;
        a malformed one raises :class:`~hub.connector.InvalidInput` before any call.
        Unknown numbers are absent from the answer. Each request carries the hub's
        assertion that ``caller`` asks, for ``<agency>.passportApplication``, about the
        application numbers it names; without an assertion key the hub cannot ask
        (:class:`~hub.connector.AgencyRejected`).
        """
        wanted = {
            given: normalise_application_number(given, agency=self.agency.id) for given in numbers
        }
        if not wanted:
            return {}
        signer = assertion_key(self._assertions, self.agency.id)

        def signing(chunk: Sequence[str]) -> RequestSigner:
            return signing_for(
                signer,
                caller,
                agency=self.agency.id,
                purpose=f"{self.agency.id}.passportApplication",
                on_behalf_of={"application_no": list(chunk)},
            )

        rows = await self._api.passport_applications(list(dict.fromkeys(wanted.values())), signing)
        with translated_errors(self.agency.id):
            records = [passport_application_from(row, self._zone) for row in rows]
        by_number = {record.number: record for record in records}
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
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        return aware.astimezone(self._zone).strftime(LOCAL_DATE)
