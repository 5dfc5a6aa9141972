"""The delivery worker against the real stand-ins: outages, backoff, agencies without a
connector for tickets, and several workers at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.tickets import TicketEventKind, TicketStatus
from hub.tickets.delivery import NO_CONNECTOR, DeliveryWorker, backoff_delay
from legacy.running import RunningStandIn
from tests.hub.tickets.test_store_support import BACKENDS, THEFT, UNMATCHED
from tests.hub.tickets.test_worker_support import (
    FAST_BREAKER,
    PASSPORT,
    VAT,
    HubParts,
    deliveries,
    hub_parts,
    kinds,
    submit,
)
from tests.support.databases import database
from tests.support.keys import HubKeys

LATER = timedelta(hours=1)
"""Past any backoff of these tests: a delivery released now is due again by then."""


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as fresh:
        yield fresh


@pytest.fixture
async def parts(
    tmp_path: Path, healthy: dict[str, RunningStandIn], url: str, hub_keys: HubKeys
) -> AsyncIterator[HubParts]:
    overrides = dict.fromkeys(healthy, FAST_BREAKER)
    async with hub_parts(tmp_path, healthy, url, hub_keys, overrides=overrides) as opened:
        yield opened


def worker(parts: HubParts, **options: Any) -> DeliveryWorker:
    """A delivery worker over ``parts`` with ``options``."""
    return DeliveryWorker(parts.store, parts.registry, parts.guard, rng=random.Random(7), **options)


# --------------------------------------------------------------------------- backoff


def test_the_backoff_doubles_from_the_base_up_to_the_ceiling_with_jitter() -> None:
    rng = random.Random(1)
    tops = [5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 600.0, 600.0]
    for failures, top in enumerate(tops, start=1):
        waits = [backoff_delay(failures, 5.0, 600.0, rng) for _ in range(50)]
        assert all(top / 2 <= wait <= top for wait in waits), (failures, waits)
        assert len(set(waits)) > 1
    assert backoff_delay(10_000, 5.0, 600.0, rng) <= 600.0


@pytest.mark.parametrize("failures", [0, -1])
def test_the_backoff_refuses_a_count_of_failures_below_one(failures: int) -> None:
    with pytest.raises(ValueError, match="failures must be at least 1"):
        backoff_delay(failures, 5.0, 600.0, random.Random())


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("batch", 0, "batch must be between 1 and 1000"),
        ("batch", 1001, "batch must be between 1 and 1000"),
        ("interval", 0, "interval"),
        ("retry_base", -1, "retry_base"),
        ("retry_max", 1, "retry_max at least retry_base"),
    ],
)
async def test_a_worker_refuses_bad_pacing(
    tmp_path: Path,
    standins: dict[str, RunningStandIn],
    hub_keys: HubKeys,
    option: str,
    value: float,
    message: str,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    async with hub_parts(tmp_path, standins, url, hub_keys) as opened:
        with pytest.raises(ValueError, match=message):
            worker(opened, **{option: value})


# -------------------------------------------------------------------------- delivery


async def test_a_ticket_submitted_while_its_agency_is_down_is_delivered_once_it_returns(
    parts: HubParts, healthy: dict[str, RunningStandIn], caplog: pytest.LogCaptureFixture
) -> None:
    immigration = healthy["immigration"]
    store, delivery = parts.store, worker(parts)
    immigration.set_faults(down=True)
    ticket = await submit(store, PASSPORT)
    assert ticket.agency == "immigration"
    immigration.reset_served()

    with caplog.at_level(logging.DEBUG, logger="hub.tickets.delivery"):
        [first] = await delivery.deliver_due()
        [second] = await delivery.deliver_due(now=datetime.now(UTC) + LATER)
    assert (first.code, second.code) == ("AGENCY_UNAVAILABLE", "AGENCY_UNAVAILABLE")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert ticket.tracking_number in warnings[0].getMessage()
    [row] = await deliveries(store)
    assert row.delivered_at is None
    assert row.attempts == 2
    assert (row.last_error or "").startswith("AGENCY_UNAVAILABLE: ")
    assert (await store.get_by_tracking_number(ticket.tracking_number)).delivered_at is None

    immigration.set_faults(down=False)
    await asyncio.sleep(0.3)  # the breaker's open_seconds, so that it lets a probe through
    [third] = await delivery.deliver_due(now=datetime.now(UTC) + 2 * LATER)
    assert third.delivered
    assert await delivery.deliver_due(now=datetime.now(UTC) + 3 * LATER) == []

    stored = await store.get_by_tracking_number(ticket.tracking_number)
    assert third.receipt is not None
    assert stored.agency_reference == third.receipt.reference
    assert stored.agency_reference.startswith("IMC-")
    assert (await kinds(store, stored)).count(TicketEventKind.DELIVERED) == 1
    stats = immigration.stats()
    assert stats["served"] - stats["failed"] == 1, stats
    [row] = await deliveries(store)
    assert row.delivered_at is not None


async def test_a_failing_agency_does_not_hold_up_another_agencys_deliveries(
    parts: HubParts, healthy: dict[str, RunningStandIn]
) -> None:
    healthy["immigration"].set_faults(down=True)
    passport = await submit(parts.store, PASSPORT)
    vat = await submit(parts.store, VAT)

    outcomes = await worker(parts).deliver_due()

    assert {o.item.agency: o.code for o in outcomes} == {
        "immigration": "AGENCY_UNAVAILABLE",
        "revenue": "OK",
    }
    assert (await parts.store.get_by_tracking_number(vat.tracking_number)).agency_reference
    assert (await parts.store.get_by_tracking_number(passport.tracking_number)).delivered_at is None


async def test_a_failed_delivery_waits_its_backoff_before_the_next_attempt(
    parts: HubParts, healthy: dict[str, RunningStandIn]
) -> None:
    healthy["immigration"].set_faults(down=True)
    await submit(parts.store, PASSPORT)
    delivery = worker(parts, retry_base=5.0, retry_max=600.0)
    started = datetime.now(UTC)

    [failed] = await delivery.deliver_due(now=started)
    assert failed.code == "AGENCY_UNAVAILABLE"
    [row] = await deliveries(parts.store)
    wait = (row.next_attempt_at - started).total_seconds()
    assert 2.5 <= wait <= 5.0
    assert await delivery.deliver_due(now=started + timedelta(seconds=2)) == []


async def test_a_delivery_to_an_agency_that_cannot_take_tickets_is_left_for_staff(
    tmp_path: Path,
    healthy: dict[str, RunningStandIn],
    url: str,
    hub_keys: HubKeys,
    caplog: pytest.LogCaptureFixture,
) -> None:
    without_police = {"revenue", "immigration", "hub_office"}
    async with hub_parts(tmp_path, healthy, url, hub_keys, agencies=without_police) as opened:
        theft = await submit(opened.store, THEFT)
        assert theft.agency == "police"
        started = datetime.now(UTC)
        with caplog.at_level(logging.WARNING, logger="hub.tickets.delivery"):
            [outcome] = await worker(opened, retry_max=600.0).deliver_due(now=started)

        assert outcome.code == NO_CONNECTOR
        [row] = await deliveries(opened.store)
        assert row.delivered_at is None
        error = row.last_error or ""
        assert "'police' is not in the agencies file" in error
        assert "reassign" in error
        assert row.next_attempt_at == started + timedelta(seconds=600)
        assert "reassign" in caplog.text
        assert (await opened.store.get_by_tracking_number(theft.tracking_number)).status is (
            TicketStatus.RECEIVED
        )


async def test_the_triage_office_files_its_tickets_in_the_hub(parts: HubParts) -> None:
    ticket = await submit(parts.store, UNMATCHED)
    assert ticket.agency == "hub_office"

    [outcome] = await worker(parts).deliver_due()

    assert outcome.delivered
    stored = await parts.store.get_by_tracking_number(ticket.tracking_number)
    assert stored.agency_reference == ticket.tracking_number


async def test_workers_running_at_once_deliver_every_ticket_once(
    parts: HubParts, healthy: dict[str, RunningStandIn]
) -> None:
    tickets = [await submit(parts.store, VAT) for n in range(12)]
    workers = [worker(parts, batch=3) for _ in range(3)]
    healthy["revenue"].reset_served()

    while True:
        rounds = await asyncio.gather(*(w.deliver_due() for w in workers))
        outcomes = [outcome for round_ in rounds for outcome in round_]
        if not outcomes:
            break
        assert all(outcome.delivered for outcome in outcomes)

    references = set()
    for ticket in tickets:
        stored = await parts.store.get_by_tracking_number(ticket.tracking_number)
        assert (await kinds(parts.store, stored)).count(TicketEventKind.DELIVERED) == 1
        references.add(stored.agency_reference)
    assert len(references) == len(tickets)
    assert all(row.delivered_at is not None for row in await deliveries(parts.store))
    assert healthy["revenue"].served() == len(tickets)
