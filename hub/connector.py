"""The contract between the hub and an agency's connector.

A connector is a class registered under the entry-point group ``hub.connectors``.
It subclasses :class:`Connector`, declares the capabilities its agency has in
``capabilities`` and implements, for each, the methods listed in
:data:`CAPABILITY_METHODS`. Methods take and return the data types defined here;
a connector never touches the hub's database, cache or GraphQL internals.

Every failure of the legacy system is translated, in one place per connector, into
one of the errors of :mod:`hub.errors` (re-exported here).

The hub checks every connector class when it is loaded (:func:`verify_connector`):
an unknown capability, a missing method or a method with the wrong signature is an
error at start-up that names the connector.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Literal

import httpx
from pydantic import BaseModel, ConfigDict

from hub.connector_batches import LookupBatches, batch_lookup, is_batch_lookup, keyed_records
from hub.errors import (
    AgencyBadResponse,
    AgencyError,
    AgencyRejected,
    AgencyTimeout,
    AgencyUnavailable,
    Forbidden,
    HubError,
    InvalidInput,
    NotFound,
    Unauthenticated,
)
from hub.identity.assertion import AssertionSigner
from hub.identity.caller import ANONYMOUS, Caller, Role

Capability = Literal[
    "services", "news", "vacancies", "bids", "alerts", "tickets", "health", "schema"
]

CAPABILITY_METHODS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "services": {"services": ("query",)},
    "news": {"news": ("query",)},
    "vacancies": {"vacancies": ("query",)},
    "bids": {"bids": ("query",)},
    "alerts": {"alerts_in_force": ()},
    "tickets": {"submit_ticket": ("ticket",), "ticket_updates": ("since",)},
    "health": {"health": ()},
    "schema": {"schema": ()},
}
"""Each capability, the methods it requires and their parameters (after ``self``)."""

LISTING_CAPABILITIES: tuple[Capability, ...] = ("services", "news", "vacancies", "bids")
"""Capabilities that list records the hub merges across agencies."""

WATCHABLE_CAPABILITIES: tuple[Capability, ...] = ("vacancies", "bids", "news", "alerts")
"""Capabilities whose records the hub can watch for new and changed ones (``watch:`` in
the agencies file), publishing each change as an event."""

SYNC_METHODS = frozenset({"schema"})
"""Contract methods that are plain functions; every other one is a coroutine."""


class ConnectorContractError(Exception):
    """A connector class does not honour this contract; raised when it is loaded."""


# ------------------------------------------------------------------------ data types


@dataclass(frozen=True, slots=True, kw_only=True)
class Money:
    """An amount in a currency (ISO 4217 code, e.g. ``KES``)."""

    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """How citizens reach an agency or an office."""

    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Agency:
    """An agency as the hub's configuration declares it."""

    id: str
    name: str
    short_name: str
    description: str
    contact: Contact


@dataclass(frozen=True, slots=True, kw_only=True)
class Service:
    """A public service an agency offers (a permit, a certificate, a registration)."""

    id: str
    title: str
    description: str
    category: str
    fee: Money | None = None
    processing_days: int | None = None
    requirements: tuple[str, ...] = ()
    online: bool = False
    url: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NewsItem:
    """A press release, notice or announcement."""

    id: str
    title: str
    summary: str
    body: str
    category: str
    published_at: datetime
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Vacancy:
    """A job an agency advertises."""

    id: str
    title: str
    description: str
    category: str
    location: str
    positions: int
    opens_at: datetime
    closes_at: datetime
    grade: str | None = None
    salary: Money | None = None
    url: str | None = None


class BidStatus(enum.Enum):
    """Where a tender stands."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"
    AWARDED = "AWARDED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True, kw_only=True)
class Bid:
    """A tender (bid invitation) an agency publishes."""

    id: str
    reference: str
    title: str
    description: str
    category: str
    status: BidStatus
    published_at: datetime
    closes_at: datetime
    estimated_value: Money | None = None
    url: str | None = None


class AlertLevel(enum.Enum):
    """How serious a security alert is, from advice to an immediate danger."""

    ADVISORY = "ADVISORY"
    WARNING = "WARNING"
    CRITICAL = "CRITICAL"


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityAlert:
    """A security alert for an area (a town, a road, a county, or the whole country).

    ``county`` is ``None`` for countrywide alerts or when the system does not say;
    ``expires_at`` is ``None`` for an alert in force until it is withdrawn.
    """

    id: str
    area: str
    level: AlertLevel
    title: str
    message: str
    issued_at: datetime
    expires_at: datetime | None = None
    county: str | None = None


class HealthStatus(enum.Enum):
    """How an agency's system is doing."""

    UP = "UP"
    DEGRADED = "DEGRADED"
    DOWN = "DOWN"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True, kw_only=True)
class Health:
    """The outcome of a health probe of an agency's system."""

    status: HealthStatus
    checked_at: datetime
    latency_ms: float | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketDelivery:
    """A citizen's ticket as the hub hands it to the agency's system.

    ``ticket_id`` is the hub's id of the ticket and the idempotency key: delivering
    the same ticket twice (the hub retries after a crash or a timeout) must return
    the same receipt and file it once. ``kind`` is ENQUIRY, COMPLAINT,
    COMMENDATION, REPORT or REQUEST; ``priority`` LOW, NORMAL, HIGH or URGENT.
    Contact details are present only when the citizen gave them.
    """

    ticket_id: str
    tracking_number: str
    kind: str
    category: str
    priority: str
    title: str
    description: str
    submitted_at: datetime
    area: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgencyReceipt:
    """The agency system's acknowledgement of a delivered ticket: its own case number
    (an occurrence-book number, a case reference) and when it filed it."""

    reference: str
    filed_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketUpdate:
    """A change the agency's own staff made to a case, read back by the hub.

    ``reference`` is the agency's case number (from :class:`AgencyReceipt`);
    ``status`` is the hub's vocabulary (ACKNOWLEDGED, IN_PROGRESS, RESOLVED,
    REJECTED) or ``None`` when only a note was added; ``note`` is what the agency
    says to the citizen; ``updated_at`` orders the updates and is what the next
    ``ticket_updates(since)`` starts after.
    """

    reference: str
    updated_at: datetime
    status: str | None = None
    note: str | None = None
    status_text: str | None = None


# ----------------------------------------------------------------------- query types


@dataclass(frozen=True, slots=True, kw_only=True)
class ListQuery:
    """Filters common to every listing capability.

    ``ids`` asks for those records only (a batched lookup). ``category`` and
    ``text`` may be applied by the legacy system; the hub applies every filter
    again on what comes back, so a connector that cannot push one down may ignore
    it. ``limit`` is the most records the hub will use; return no more.
    """

    ids: tuple[str, ...] | None = None
    category: str | None = None
    text: str | None = None
    limit: int = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceQuery(ListQuery):
    """Filters for :meth:`Connector.services`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NewsQuery(ListQuery):
    """Filters for :meth:`Connector.news`."""

    published_after: datetime | None = None
    published_before: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class VacancyQuery(ListQuery):
    """Filters for :meth:`Connector.vacancies`; ``open_at`` keeps jobs open then."""

    open_at: datetime | None = None
    closes_after: datetime | None = None
    closes_before: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BidQuery(ListQuery):
    """Filters for :meth:`Connector.bids`; ``open_at`` keeps tenders open then."""

    open_at: datetime | None = None
    closes_after: datetime | None = None
    closes_before: datetime | None = None
    status: BidStatus | None = None


# ------------------------------------------------------------------------ connector


@dataclass(slots=True)
class ConnectorResources:
    """What the hub lends a connector while it is open.

    ``http`` is an ``httpx.AsyncClient`` set up with the agency's timeouts and
    connection limits; the hub closes it. ``assertions`` signs the hub's assertion of
    who asks for personal data (:mod:`hub.identity.assertion`); a connector sends
    ``assertions.headers(caller, ...)`` with every request for personal data. It is
    ``None`` when the hub has no signing key, and then personal data cannot be asked for.
    """

    http: httpx.AsyncClient
    assertions: AssertionSigner | None = None


class NoSettings(BaseModel):
    """Settings model of a connector that needs none."""

    model_config = ConfigDict(extra="forbid")


class Connector:
    """Base class of every agency connector.

    Subclasses set ``capabilities`` and ``settings_model`` and implement, for each
    capability, the methods named in :data:`CAPABILITY_METHODS`:

    - ``async services(query: ServiceQuery) -> list[Service]``
    - ``async news(query: NewsQuery) -> list[NewsItem]``
    - ``async vacancies(query: VacancyQuery) -> list[Vacancy]``
    - ``async bids(query: BidQuery) -> list[Bid]``
    - ``async alerts_in_force() -> list[SecurityAlert]``: every security alert in force
      now, whatever its area
    - ``async submit_ticket(ticket: TicketDelivery) -> AgencyReceipt``: file a ticket in
      the agency's system, idempotently by ``ticket.ticket_id``
    - ``async ticket_updates(since: datetime) -> list[TicketUpdate]``: what the agency's
      staff changed after ``since``, oldest first
    - ``async health() -> Health``
    - ``schema() -> type``: a Strawberry type mounted as ``Query.<agency id>``. The hub
      creates it with one keyword argument, ``agency``, an :class:`AgencyHandle`
      (declare it as ``strawberry.Private[AgencyHandle]``); its resolvers call the
      connector through ``agency.call(...)`` or, for a record by key,
      ``agency.load(...)``, so the hub guards every call and merges the keys a
      request asks for (:mod:`hub.connector_batches`).

    Optional: lookups that can answer many keys in one request to the legacy system
    are marked :func:`batch_lookup` and take the list of keys first:
    ``async def name(self, keys, *args) -> Mapping[key, record | HubError]``.

    The hub calls :meth:`open` before the first capability call and :meth:`close`
    at shutdown.
    """

    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    settings_model: ClassVar[type[BaseModel]] = NoSettings

    def __init__(self, agency: Agency, settings: BaseModel) -> None:
        self.agency = agency
        self.settings = settings

    async def open(self, resources: ConnectorResources) -> None:
        """Acquire what the connector needs (clients, engines). Must not fail
        because the agency is down: a dead agency at start-up is only unhealthy."""

    async def close(self) -> None:
        """Release what :meth:`open` acquired."""


class AgencyHandle:
    """What an agency's own GraphQL fields use to reach their connector.

    ``call`` runs a connector method under the hub's guards (timeout, error
    translation) and raises the contract's errors, which the graph reports with
    ``extensions: {code, agency}``. ``load`` asks for one record of a many-key
    lookup and lets the hub merge it with the other loads of the request
    (:mod:`hub.connector_batches`). ``caller`` is the verified caller of the current
    request: pass it to connector methods that fetch personal data, which send it on
    as a signed assertion. The hub makes the handles of one request share ``batches``.
    """

    def __init__(
        self,
        agency: Agency,
        connector: Connector,
        guard: Any,
        caller: Caller = ANONYMOUS,
        batches: LookupBatches | None = None,
    ) -> None:
        self.agency = agency
        self.connector = connector
        self.caller = caller
        self._guard = guard
        self._batches = batches if batches is not None else LookupBatches(guard)

    async def call(self, method: Any, *args: Any) -> Any:
        """Await ``method(*args)`` (a bound method of this agency's connector), guarded."""
        return await self._guard(self.agency.id, method, *args)

    async def load(self, method: Any, key: Hashable, *args: Any) -> Any:
        """The record ``key`` of the lookup ``method`` (a bound method of this agency's
        connector), or ``None`` if the agency does not know it.

        A method marked :func:`~hub.connector_batches.batch_lookup` is called once,
        guarded, as ``method(keys, *args)`` for every key loaded with the same ``args``
        in this request, duplicates merged; any other method once per distinct key, as
        ``method(key, *args)``. Raises the contract's errors, for this key only when
        only this key failed.
        """
        return await self._batches.load(self.agency.id, method, key, *args)


@contextmanager
def http_errors(agency: str) -> Iterator[None]:
    """Translate ``httpx`` transport failures inside the block into contract errors.

    Connectors speaking HTTP wrap their calls in it, then map the legacy system's own
    statuses and bodies themselves::

        with http_errors(self.agency.id):
            response = await http.post(...)
    """
    try:
        yield
    except httpx.TimeoutException as exc:
        raise AgencyTimeout(f"no answer in time ({type(exc).__name__})", agency=agency) from exc
    except httpx.TransportError as exc:
        raise AgencyUnavailable(
            f"cannot reach the system ({type(exc).__name__}: {exc})", agency=agency
        ) from exc


def verify_connector(key: str, cls: type[Any]) -> None:
    """Check that ``cls`` honours the contract; raise :class:`ConnectorContractError`.

    ``key`` is the name the connector is registered under, used in messages.
    """
    where = f"connector {key!r} ({cls.__module__}.{cls.__qualname__})"
    if not (isinstance(cls, type) and issubclass(cls, Connector)):
        raise ConnectorContractError(f"{where}: must be a subclass of hub.connector.Connector")
    if not (isinstance(cls.settings_model, type) and issubclass(cls.settings_model, BaseModel)):
        raise ConnectorContractError(f"{where}: settings_model must be a pydantic BaseModel")
    declared = set(cls.capabilities)
    unknown = sorted(declared - set(CAPABILITY_METHODS))
    if unknown:
        raise ConnectorContractError(
            f"{where}: unknown capabilities {', '.join(unknown)}; "
            f"known capabilities are {', '.join(sorted(CAPABILITY_METHODS))}"
        )
    for capability, methods in CAPABILITY_METHODS.items():
        for name, params in methods.items():
            implemented = getattr(cls, name, None) is not None
            if capability in declared and not implemented:
                raise ConnectorContractError(
                    f"{where}: declares {capability!r} but does not implement {name}()"
                )
            if capability not in declared and implemented:
                raise ConnectorContractError(
                    f"{where}: implements {name}() but does not declare {capability!r} "
                    "in capabilities; add it, or remove the method"
                )
            if implemented:
                _verify_signature(where, name, getattr(cls, name), params)
    for name in dir(cls):
        member = getattr(cls, name, None)
        if is_batch_lookup(member):
            _verify_batch_lookup(where, name, member)


def _verify_batch_lookup(where: str, name: str, method: Any) -> None:
    if not inspect.iscoroutinefunction(method):
        raise ConnectorContractError(
            f"{where}: {name}() is marked @batch_lookup, so it must be "
            f"'async def {name}(self, keys, ...)'"
        )
    actual = list(inspect.signature(method).parameters.values())[1:]
    if not actual or actual[0].kind not in (
        actual[0].POSITIONAL_ONLY,
        actual[0].POSITIONAL_OR_KEYWORD,
    ):
        raise ConnectorContractError(
            f"{where}: {name}() is marked @batch_lookup, so its first parameter after self "
            f"must be the list of keys: 'async def {name}(self, keys, ...)'"
        )


def _verify_signature(where: str, name: str, method: Any, params: tuple[str, ...]) -> None:
    expected = f"{name}(self{''.join(', ' + p for p in params)})"
    is_async = inspect.iscoroutinefunction(method)
    if name in SYNC_METHODS and is_async:
        raise ConnectorContractError(f"{where}: {name}() must be a plain method, not async")
    if name not in SYNC_METHODS and not is_async:
        raise ConnectorContractError(f"{where}: {name}() must be 'async def {expected}'")
    actual = list(inspect.signature(method).parameters.values())[1:]
    names = tuple(p.name for p in actual)
    positional = all(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
        for p in actual
    )
    if names != params or not positional:
        got = ", ".join(["self", *(str(p) for p in actual)])
        raise ConnectorContractError(f"{where}: expected {expected}, got {name}({got})")


__all__ = [
    "CAPABILITY_METHODS",
    "LISTING_CAPABILITIES",
    "WATCHABLE_CAPABILITIES",
    "Agency",
    "AgencyBadResponse",
    "AgencyError",
    "AgencyHandle",
    "AgencyReceipt",
    "AgencyRejected",
    "AgencyTimeout",
    "AgencyUnavailable",
    "AlertLevel",
    "Bid",
    "BidQuery",
    "BidStatus",
    "Caller",
    "Capability",
    "Connector",
    "ConnectorContractError",
    "ConnectorResources",
    "Contact",
    "Forbidden",
    "Health",
    "HealthStatus",
    "HubError",
    "InvalidInput",
    "ListQuery",
    "Money",
    "NewsItem",
    "NewsQuery",
    "NoSettings",
    "NotFound",
    "Role",
    "SecurityAlert",
    "Service",
    "ServiceQuery",
    "TicketDelivery",
    "TicketUpdate",
    "Unauthenticated",
    "Vacancy",
    "VacancyQuery",
    "batch_lookup",
    "http_errors",
    "keyed_records",
    "verify_connector",
]
