"""The connector contract, checked the same way for every demo connector.

Each connector is loaded through its entry point, opened against its running
stand-in and asked every capability it declares: the answers must be the hub's
types, with unique ids, UTC times, and ``ids`` and ``limit`` honoured. A ticket
must be filed once however often it is delivered, and the staff's moves of it read
back in the hub's words. When its system is down, every call must fail with one of
the contract's agency errors, never a raw exception of a driver or parser.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import strawberry

from hub.agencies.plugins import installed_connectors
from hub.connector import (
    CAPABILITY_METHODS,
    Agency,
    AgencyError,
    AgencyReceipt,
    Bid,
    BidQuery,
    Connector,
    ConnectorResources,
    Contact,
    HealthStatus,
    ListQuery,
    NewsItem,
    NewsQuery,
    Service,
    ServiceQuery,
    Vacancy,
    VacancyQuery,
    verify_connector,
)
from legacy import StandInOptions
from legacy.running import RunningStandIn, running_standin
from tests.support.connectors import is_utc
from tests.support.keys import HubKeys
from tests.support.tickets import WORKING, delivery, move_case

TODAY = date(2026, 6, 15)
HUB_STATUSES = {"ACKNOWLEDGED", "IN_PROGRESS", "RESOLVED", "REJECTED"}
DEMO_CONNECTORS = ("revenue", "immigration", "police")

LISTINGS: dict[str, tuple[type[ListQuery], type[Any]]] = {
    "services": (ServiceQuery, Service),
    "news": (NewsQuery, NewsItem),
    "vacancies": (VacancyQuery, Vacancy),
    "bids": (BidQuery, Bid),
}


@pytest.fixture(scope="module", params=DEMO_CONNECTORS)
def standin(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, hub_keys: HubKeys
) -> Any:
    name: str = request.param
    options = StandInOptions(today=TODAY, hub_public_key=hub_keys.public_pem)
    if name == "police":
        path = tmp_path_factory.mktemp("police") / "police.db"
        options = StandInOptions(today=TODAY, database_url=f"sqlite+aiosqlite:///{path}")
    with running_standin(name, options) as running:
        yield running


@pytest.fixture
async def connector(standin: RunningStandIn, hub_keys: HubKeys) -> AsyncIterator[Connector]:
    cls = installed_connectors()[standin.name]
    agency = Agency(
        id=standin.name,
        name=f"The {standin.name} agency",
        short_name=standin.name.upper(),
        description="A demo agency.",
        contact=Contact(),
    )
    settings = cls.settings_model.model_validate(standin.connector_settings)
    opened = cls(agency, settings)
    async with httpx.AsyncClient(timeout=5) as http:
        await opened.open(ConnectorResources(http=http, assertions=hub_keys.signer))
        try:
            yield opened
        finally:
            await opened.close()
            standin.reset_faults()


def declared_listings(connector: Connector) -> list[str]:
    return [name for name in LISTINGS if name in connector.capabilities]


def test_every_demo_connector_is_installed_and_honours_the_contract() -> None:
    installed = installed_connectors()
    for name in DEMO_CONNECTORS:
        verify_connector(name, installed[name])
        assert installed[name].capabilities <= set(CAPABILITY_METHODS)


async def test_each_listing_answers_the_hubs_types_with_unique_ids(connector: Connector) -> None:
    for capability in declared_listings(connector):
        query_type, record_type = LISTINGS[capability]
        records = await getattr(connector, capability)(query_type())
        assert len(records) >= 10, f"{connector.agency.id}.{capability} seeds too little data"
        assert all(isinstance(record, record_type) for record in records)
        ids = [record.id for record in records]
        assert all(ids), f"{connector.agency.id}.{capability} gave an empty id"
        assert len(set(ids)) == len(ids), f"{connector.agency.id}.{capability} repeats ids"
        for record in records:
            for field in dataclasses.fields(record):
                value = getattr(record, field.name)
                if isinstance(value, datetime):
                    assert is_utc(value), f"{capability} {record.id}.{field.name} is not UTC"


async def test_ids_and_limit_are_honoured(connector: Connector) -> None:
    for capability in declared_listings(connector):
        query_type, _ = LISTINGS[capability]
        method = getattr(connector, capability)
        everything = await method(query_type())
        chosen = (everything[0].id, everything[-1].id)
        picked = await method(query_type(ids=chosen))
        assert sorted(record.id for record in picked) == sorted(chosen)
        assert await method(query_type(ids=())) == []
        assert await method(query_type(ids=("NO-SUCH-RECORD",))) == []
        assert len(await method(query_type(limit=3))) == 3
        assert await method(query_type(limit=0)) == []


async def test_a_category_filter_keeps_only_that_category(connector: Connector) -> None:
    for capability in declared_listings(connector):
        query_type, _ = LISTINGS[capability]
        method = getattr(connector, capability)
        category = (await method(query_type()))[0].category
        kept = await method(query_type(category=category.upper()))
        assert kept
        assert {record.category.casefold() for record in kept} == {category.casefold()}


async def test_health_is_up_with_a_latency(connector: Connector) -> None:
    health = await connector.health()  # type: ignore[attr-defined]
    assert health.status is HealthStatus.UP
    assert health.latency_ms is not None
    assert health.latency_ms >= 0
    assert is_utc(health.checked_at)


def test_the_schema_is_a_strawberry_type_taking_the_agency_handle(connector: Connector) -> None:
    own = connector.schema()  # type: ignore[attr-defined]
    name = f"{connector.agency.id.capitalize()}Query"
    assert own.__strawberry_definition__.name == name
    introspected = strawberry.Schema(query=own).execute_sync(
        "query($name: String!) { __type(name: $name) { fields { name } } }", {"name": name}
    )
    assert introspected.data is not None
    fields = {field["name"] for field in introspected.data["__type"]["fields"]}
    assert fields, "an agency's own type needs at least one lookup"
    assert "agency" not in fields, "the agency handle must be strawberry.Private"


async def test_a_ticket_is_filed_once_and_its_moves_read_back(
    connector: Connector, standin: RunningStandIn
) -> None:
    assert "tickets" in connector.capabilities
    before = datetime.now(UTC)
    ticket = delivery(kind="COMPLAINT")
    receipt = await connector.submit_ticket(ticket)  # type: ignore[attr-defined]
    assert isinstance(receipt, AgencyReceipt)
    assert receipt.reference
    assert is_utc(receipt.filed_at)
    assert await connector.submit_ticket(ticket) == receipt  # type: ignore[attr-defined]
    other = await connector.submit_ticket(delivery(kind="COMPLAINT"))  # type: ignore[attr-defined]
    assert other.reference != receipt.reference

    await move_case(standin, receipt.reference, WORKING[standin.name], "An officer has your file.")
    await move_case(standin, receipt.reference, None, "We will call you this week.")
    updates = await connector.ticket_updates(before)  # type: ignore[attr-defined]
    mine = [update for update in updates if update.reference == receipt.reference]
    assert [(u.status, u.note) for u in mine] == [
        ("IN_PROGRESS", "An officer has your file."),
        (None, "We will call you this week."),
    ]
    assert all(is_utc(update.updated_at) for update in updates)
    assert [u.updated_at for u in updates] == sorted(u.updated_at for u in updates)
    assert {u.status for u in updates} <= HUB_STATUSES | {None}
    assert mine[0].status_text
    later = await connector.ticket_updates(mine[0].updated_at)  # type: ignore[attr-defined]
    assert [u.note for u in later if u.reference == receipt.reference] == [
        "We will call you this week."
    ]
    assert await connector.ticket_updates(mine[-1].updated_at) == []  # type: ignore[attr-defined]


async def test_every_call_fails_with_an_agency_error_when_the_system_is_down(
    connector: Connector, standin: RunningStandIn
) -> None:
    standin.set_faults(down=True)
    calls: list[Any] = [
        getattr(connector, capability)(LISTINGS[capability][0]())
        for capability in declared_listings(connector)
    ]
    if "tickets" in connector.capabilities:
        calls += [
            connector.submit_ticket(delivery()),  # type: ignore[attr-defined]
            connector.ticket_updates(datetime(2026, 1, 1, tzinfo=UTC)),  # type: ignore[attr-defined]
        ]
    # At once: a system that is down may make each call wait out its timeout.
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    for outcome in outcomes:
        assert isinstance(outcome, AgencyError), outcome
        assert outcome.agency == connector.agency.id
        assert outcome.code in {"AGENCY_UNAVAILABLE", "AGENCY_TIMEOUT"}
    health = connector.health()  # type: ignore[attr-defined]
    with pytest.raises(AgencyError):
        await health
