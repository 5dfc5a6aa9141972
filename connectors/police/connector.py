"""The connector of the National Police Service's Occurrence Book (a SQL database)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Integer, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.police.areas import clean_area
from connectors.police.clock import LocalClock
from connectors.police.engines import filing_engine, reading_engine
from connectors.police.errors import translated_errors
from connectors.police.filing import entry_for, file_entry
from connectors.police.mapping import (
    BID_STATUS_WORDS,
    Row,
    bid_from,
    news_item_from,
    occurrence_from,
    security_alert_from,
    service_from,
    ticket_update_from,
    vacancy_from,
)
from connectors.police.ob_numbers import canonical_ob_number
from connectors.police.schema import PoliceQuery
from connectors.police.settings import PoliceSettings
from connectors.police.tables import (
    ob_action,
    ob_register,
    police_station,
    public_notice,
    recruitment_notice,
    security_alert,
    service_catalogue,
    tender_notice,
)
from connectors.police.types import Occurrence, SecurityAlert
from hub.connector import (
    Agency,
    AgencyReceipt,
    Bid,
    BidQuery,
    BidStatus,
    Capability,
    Connector,
    ConnectorResources,
    Health,
    HealthStatus,
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

Record = TypeVar("Record", Service, NewsItem, Vacancy, Bid)

COUNTRYWIDE = "Countrywide"
"""The area of alerts that concern every part of the country."""


class PoliceConnector(Connector):
    """Services, notices, recruitment, tenders, security alerts and health, read from the
    Occurrence Book; tickets entered in it and the station's actions on them read back.

    Every filter of the hub's queries is pushed down into SQL, and so is the limit.
    Its own lookups are occurrences by OB number and current security alerts by area.
    Tickets are written through the filing pool (:mod:`connectors.police.engines`).
    """

    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {"services", "news", "vacancies", "bids", "alerts", "tickets", "health", "schema"}
    )
    settings_model = PoliceSettings

    def __init__(self, agency: Agency, settings: BaseModel) -> None:
        if not isinstance(settings, PoliceSettings):
            raise TypeError(f"PoliceConnector needs PoliceSettings, got {type(settings).__name__}")
        super().__init__(agency, settings)
        self.config = settings
        self.clock = LocalClock(settings.zone)
        self._engine: AsyncEngine | None = None
        self._filing: AsyncEngine | None = None

    async def open(self, resources: ConnectorResources) -> None:
        """Create the connection pools; no connection is made until the first call."""
        self._engine = reading_engine(self.config)
        self._filing = filing_engine(self.config, self._engine)

    async def close(self) -> None:
        """Close every pooled connection."""
        engines = {engine for engine in (self._engine, self._filing) if engine is not None}
        self._engine = self._filing = None
        for engine in engines:
            await engine.dispose()

    async def services(self, query: ServiceQuery) -> list[Service]:
        """The service catalogue, by name."""
        table = service_catalogue.c
        where = self._common(query, table.svc_code, table.svc_group)
        if query.text:
            where.append(_mentions(query.text, table.svc_name, table.svc_desc, table.svc_group))
        statement = select(service_catalogue).where(*where).order_by(table.svc_name, table.svc_code)
        return await self._list(statement, query, service_from)

    async def news(self, query: NewsQuery) -> list[NewsItem]:
        """Public notices and press releases, newest first; the category is the notice type."""
        table = public_notice.c
        where = self._common(query, table.pn_id, table.pn_type)
        if query.text:
            where.append(_mentions(query.text, table.pn_title, table.pn_summary, table.pn_body))
        if query.published_after is not None:
            where.append(table.published_at >= self.clock.to_local(query.published_after))
        if query.published_before is not None:
            where.append(table.published_at <= self.clock.to_local(query.published_before))
        statement = (
            select(public_notice).where(*where).order_by(table.published_at.desc(), table.pn_id)
        )
        return await self._list(statement, query, news_item_from)

    async def vacancies(self, query: VacancyQuery) -> list[Vacancy]:
        """Recruitment notices by closing date; the category is the cadre."""
        table = recruitment_notice.c
        where = self._common(query, table.rec_ref, table.cadre)
        if query.text:
            where.append(
                _mentions(query.text, table.post_title, table.post_details, table.duty_station)
            )
        if query.open_at is not None:
            day = self.clock.to_local(query.open_at).date()
            where += [table.open_date <= day, table.close_date >= day]
        if query.closes_after is not None:
            where.append(table.close_date >= self.clock.first_day_ending_from(query.closes_after))
        if query.closes_before is not None:
            where.append(table.close_date <= self.clock.last_day_ending_by(query.closes_before))
        statement = (
            select(recruitment_notice).where(*where).order_by(table.close_date, table.rec_ref)
        )
        return await self._list(statement, query, vacancy_from)

    async def bids(self, query: BidQuery) -> list[Bid]:
        """Tenders, newest advert first."""
        table = tender_notice.c
        where = self._common(query, table.tender_no, table.proc_category)
        if query.text:
            where.append(_mentions(query.text, table.tender_title, table.tender_desc))
        now = self.clock.to_local(self.clock.now())
        if query.open_at is not None:
            moment = self.clock.to_local(query.open_at)
            where += [table.advert_date <= moment.date(), table.closing_at > moment]
        if query.closes_after is not None:
            where.append(table.closing_at >= self.clock.to_local(query.closes_after))
        if query.closes_before is not None:
            where.append(table.closing_at <= self.clock.to_local(query.closes_before))
        if query.status is not None:
            words = list(BID_STATUS_WORDS[query.status])
            status = func.upper(table.tender_status)
            if query.status is BidStatus.OPEN:
                where += [status.in_(words), table.closing_at > now]
            elif query.status is BidStatus.CLOSED:
                where.append(
                    or_(status.in_(words), and_(status == "OPEN", table.closing_at <= now))
                )
            else:
                where.append(status.in_(words))
        statement = (
            select(tender_notice).where(*where).order_by(table.advert_date.desc(), table.tender_no)
        )
        return await self._list(statement, query, bid_from)

    async def health(self) -> Health:
        """Read one station and time it: the file or server answers, and the schema is there."""
        started = time.perf_counter()
        with translated_errors(self.agency.id):
            async with self._db.connect() as connection:
                await connection.execute(select(police_station.c.stn_code).limit(1))
        latency_ms = (time.perf_counter() - started) * 1000
        return Health(
            status=HealthStatus.UP,
            checked_at=datetime.now(UTC),
            latency_ms=latency_ms,
            detail=f"{self.config.url.get_backend_name()} database answering",
        )

    async def submit_ticket(self, ticket: TicketDelivery) -> AgencyReceipt:
        """Enter ``ticket`` in the Occurrence Book (:mod:`connectors.police.filing`); the
        receipt is its OB number. A ticket entered before gets its first receipt back."""
        entry = entry_for(ticket, self.clock, self.agency.id)
        entered_at = self.clock.to_local(self.clock.now())
        with translated_errors(self.agency.id):
            filed = await file_entry(
                self._writer,
                entry,
                entered_at=entered_at,
                station=self.config.filing_station,
                officer=self.config.filing_officer,
                agency=self.agency.id,
            )
        return AgencyReceipt(
            reference=filed.ob_number, filed_at=self.clock.to_utc(filed.entered_at)
        )

    async def ticket_updates(self, since: datetime) -> list[TicketUpdate]:
        """The actions officers recorded after ``since`` on entries the hub filed, oldest
        first; one update per action, the reference being the entry's OB number."""
        action = ob_action.c
        statement = (
            select(action.ob_no, action.action_at, action.ob_status, action.remarks)
            .join_from(ob_action, ob_register, action.ob_no == ob_register.c.ob_no)
            .where(
                ob_register.c.hub_ticket_id.is_not(None),
                action.action_at > self.clock.to_local(since),
            )
            .order_by(action.action_at, action.action_id)
        )
        rows = await self._rows(statement)
        with translated_errors(self.agency.id):
            return [ticket_update_from(row, self.clock) for row in rows]

    def schema(self) -> type[PoliceQuery]:
        """The ``Query.police`` type: occurrences by OB number, security alerts by area."""
        return PoliceQuery

    @batch_lookup
    async def occurrences(self, ob_numbers: Sequence[str]) -> dict[str, Occurrence | HubError]:
        """The Occurrence Book entries with these OB numbers, keyed by the numbers as given,
        in one query.

        Every number is checked and written the system's way first; a malformed one
        raises :class:`~hub.connector.InvalidInput` before any query. Unknown numbers
        are absent from the answer; an entry this connector cannot read is the
        :class:`~hub.connector.AgencyBadResponse` of its number alone.
        """
        wanted = {given: canonical_ob_number(given, agency=self.agency.id) for given in ob_numbers}
        if not wanted:
            return {}
        statement = (
            select(ob_register, police_station.c.stn_name)
            .join_from(
                ob_register,
                police_station,
                ob_register.c.stn_code == police_station.c.stn_code,
                isouter=True,
            )
            .where(ob_register.c.ob_no.in_(sorted(set(wanted.values()))))
        )
        rows = await self._rows(statement)
        found = keyed_records(
            rows,
            lambda row: None if row["ob_no"] is None else str(row["ob_no"]),
            lambda row: occurrence_from(row, self.clock),
            lambda: translated_errors(self.agency.id),
        )
        return {given: found[number] for given, number in wanted.items() if number in found}

    async def alerts_in_force(self) -> list[SecurityAlert]:
        """Every security alert in force now, whatever its area, newest first."""
        return await self._alerts_in_force()

    @batch_lookup
    async def security_alerts(self, areas: Sequence[str]) -> dict[str, list[SecurityAlert]]:
        """The alerts in force now for each area, most serious first.

        An area matches an alert's area or county, ignoring case; countrywide alerts
        concern every area. Keyed by the areas as given.
        """
        cleaned = {given: clean_area(given, agency=self.agency.id) for given in areas}
        if not cleaned:
            return {}
        table = security_alert.c
        names = sorted({area.casefold() for area in cleaned.values()})
        alerts = await self._alerts_in_force(
            or_(
                func.lower(table.alert_area).in_(names),
                func.lower(table.county).in_(names),
                table.alert_area == COUNTRYWIDE,
            )
        )
        severity = {"CRITICAL": 0, "WARNING": 1, "ADVISORY": 2}
        alerts.sort(key=lambda alert: severity[alert.level.value])
        return {
            given: [alert for alert in alerts if _concerns(alert, area)]
            for given, area in cleaned.items()
        }

    async def _alerts_in_force(self, *where: ColumnElement[bool]) -> list[SecurityAlert]:
        """The alerts issued and not yet expired that meet ``where``, newest first."""
        table = security_alert.c
        now = self.clock.to_local(self.clock.now())
        statement = (
            select(security_alert)
            .where(table.issued_at <= now, table.expires_at > now, *where)
            .order_by(table.issued_at.desc(), table.alert_id)
        )
        rows = await self._rows(statement)
        with translated_errors(self.agency.id):
            return [security_alert_from(row, self.clock) for row in rows]

    @property
    def _db(self) -> AsyncEngine:
        if self._engine is None:
            raise RuntimeError(
                f"connector {self.agency.id!r} is not open; the hub calls open() before use"
            )
        return self._engine

    @property
    def _writer(self) -> AsyncEngine:
        if self._filing is None:
            raise RuntimeError(
                f"connector {self.agency.id!r} is not open; the hub calls open() before use"
            )
        return self._filing

    def _common(self, query: ListQuery, key: Any, category: Any) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if query.ids is not None:
            where.append(key.in_(_keys(query.ids, key)))
        if query.category is not None:
            where.append(func.lower(category) == query.category.strip().lower())
        return where

    async def _list(
        self,
        statement: Select[Any],
        query: ListQuery,
        convert: Callable[[Row, LocalClock], Record],
    ) -> list[Record]:
        if query.limit <= 0 or (query.ids is not None and not query.ids):
            return []
        rows = await self._rows(statement.limit(query.limit))
        with translated_errors(self.agency.id):
            return [convert(row, self.clock) for row in rows]

    async def _rows(self, statement: Select[Any]) -> list[Row]:
        with translated_errors(self.agency.id):
            async with self._db.connect() as connection:
                result = await connection.execute(statement)
                return [row._mapping for row in result]


def _keys(ids: tuple[str, ...], key: Any) -> list[Any]:
    """The hub's ids as values of ``key``: an integer key skips ids that are not numbers."""
    if isinstance(key.type, Integer):
        return [int(given) for given in ids if given.isascii() and given.isdigit()]
    return list(ids)


def _mentions(words: str, *columns: Any) -> ColumnElement[bool]:
    needle = f"%{_escaped(words.strip().lower())}%"
    return or_(*(func.lower(column).like(needle, escape="\\") for column in columns))


def _escaped(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _concerns(alert: SecurityAlert, area: str) -> bool:
    wanted = area.casefold()
    return (
        alert.area == COUNTRYWIDE
        or alert.area.casefold() == wanted
        or (alert.county is not None and alert.county.casefold() == wanted)
    )
