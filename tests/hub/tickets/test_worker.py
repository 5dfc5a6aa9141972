"""The ticket workers run together (:class:`TicketWorkers`) against the real stand-ins:
outages outlasted, slow agencies kept apart, SLAs watched, and nothing left running
once stopped; their options and their checks."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from hub.db import create_engine
from hub.tickets import Priority, TicketEventKind, TicketStatus, TicketStore, TicketView
from hub.tickets.delivery import DeliveryWorker
from hub.tickets.watch import SlaWatch
from hub.tickets.worker import TicketWorkers, WorkerOptions
from legacy.running import RunningStandIn
from tests.hub.tickets.test_store_support import THEFT
from tests.hub.tickets.test_worker_support import (
    FAST_BREAKER,
    PASSPORT,
    VAT,
    HubParts,
    deliveries,
    hub_parts,
    kinds,
    staff_move,
    submit,
)
from tests.support.keys import HubKeys
from tests.support.waiting import eventually

QUICK = WorkerOptions(
    delivery_interval=0.05, retry_base=0.05, retry_max=0.2, sync_interval=0.05, sweep_interval=0.05
)
"""Pacing for tests: every loop turns many times a second."""


@pytest.fixture
async def parts(
    tmp_path: Path, healthy: dict[str, RunningStandIn], hub_keys: HubKeys
) -> AsyncIterator[HubParts]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    overrides = dict.fromkeys(healthy, FAST_BREAKER)
    async with hub_parts(tmp_path, healthy, url, hub_keys, overrides=overrides) as opened:
        yield opened


def workers(parts: HubParts, options: WorkerOptions = QUICK) -> TicketWorkers:
    """The workers over ``parts``, paced by ``options``."""
    return TicketWorkers(parts.store, parts.registry, parts.guard, options)


def others() -> set[asyncio.Task[Any]]:
    """The tasks of the loop besides the current one."""
    current = asyncio.current_task()
    return {task for task in asyncio.all_tasks() if task is not current}


async def delivered(parts: HubParts, ticket: TicketView) -> TicketView | None:
    """``ticket`` as stored, once delivered."""
    stored = await parts.store.get_by_tracking_number(ticket.tracking_number)
    return stored if stored.delivered_at is not None else None


# ----------------------------------------------------------------------- running


async def test_a_ticket_submitted_during_an_outage_is_delivered_once_and_its_status_synced(
    parts: HubParts, healthy: dict[str, RunningStandIn]
) -> None:
    immigration = healthy["immigration"]
    immigration.set_faults(down=True)
    ticket = await submit(parts.store, PASSPORT)
    immigration.reset_served()

    async with workers(parts):
        await eventually(
            lambda: _failed_at_least(immigration, 2), "two failed deliveries to immigration"
        )
        assert await delivered(parts, ticket) is None
        immigration.set_faults(down=False)
        stored = await eventually(lambda: delivered(parts, ticket), "the delivery")
        assert stored.agency_reference is not None
        await staff_move(
            immigration, stored.agency_reference, "RESOLVED", "Your passport is ready."
        )

        async def resolved() -> TicketView | None:
            now = await parts.store.get_by_tracking_number(ticket.tracking_number)
            return now if now.status is TicketStatus.RESOLVED else None

        await eventually(resolved, "the resolution read back")

    timeline = await kinds(parts.store, ticket)
    assert timeline.count(TicketEventKind.DELIVERED) == 1
    assert timeline.count(TicketEventKind.AGENCY_UPDATE) == 1
    [row] = await deliveries(parts.store)
    assert row.attempts >= 3
    assert row.last_error is not None
    assert row.last_error.startswith("AGENCY_UNAVAILABLE: ")


async def test_a_slow_agency_holds_up_only_its_own_deliveries_and_stop_cancels_them(
    tmp_path: Path, healthy: dict[str, RunningStandIn], hub_keys: HubKeys
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    overrides = {"immigration": {"timeout": 20}}
    async with hub_parts(tmp_path, healthy, url, hub_keys, overrides=overrides) as parts:
        healthy["immigration"].set_faults(latency=8)
        passport = await submit(parts.store, PASSPORT)
        vat = await submit(parts.store, VAT)
        before = others()
        running = workers(parts)
        await running.start()
        try:
            await eventually(lambda: delivered(parts, vat), "the revenue delivery")
            assert parts.guard.status("immigration").in_flight == 1
            assert await delivered(parts, passport) is None
        finally:
            await running.stop()

        assert others() == before
        assert not running.running
        rows = {row.agency: row for row in await deliveries(parts.store)}
        assert rows["immigration"].delivered_at is None
        assert rows["immigration"].claimed_until is not None
        assert parts.guard.status("immigration").in_flight == 0


async def test_stop_leaves_no_task_behind_and_the_workers_start_again(parts: HubParts) -> None:
    before = others()
    running = workers(parts)

    await running.start()
    assert len(running.tasks) == 3
    assert set(running.tasks) <= others()
    with pytest.raises(RuntimeError, match="running already"):
        await running.start()
    await asyncio.sleep(0.2)
    await running.stop()

    assert others() == before
    assert not running.tasks
    await running.stop()
    async with running:
        assert running.running
    assert others() == before


async def test_a_database_that_fails_is_reported_once_and_the_worker_keeps_going(
    tmp_path: Path, parts: HubParts, caplog: pytest.LogCaptureFixture
) -> None:
    unmigrated = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    broken = TicketStore(unmigrated, parts.store.rules)
    delivery = DeliveryWorker(broken, parts.registry, parts.guard, interval=0.01)
    try:
        with caplog.at_level(logging.INFO, logger="hub.tickets.delivery"):
            running = asyncio.create_task(delivery.run())
            await eventually(lambda: _logged(caplog, "cannot claim deliveries"), "the report")
            for _ in range(10):
                delivery.wake()
                await asyncio.sleep(0.02)
            assert not running.done()
            running.cancel()
            with pytest.raises(asyncio.CancelledError):
                await running
    finally:
        await unmigrated.dispose()

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None


async def test_the_sla_watch_marks_missed_deadlines_once(parts: HubParts) -> None:
    theft = await submit(parts.store, THEFT)
    watch = SlaWatch(parts.store)

    assert await watch.sweep(theft.submitted_at + timedelta(minutes=30)) == []
    [marked] = await watch.sweep(theft.first_response_due_at + timedelta(minutes=1))
    assert await watch.sweep(theft.first_response_due_at + timedelta(minutes=2)) == []

    assert marked.tracking_number == theft.tracking_number
    assert marked.sla_breached
    assert marked.priority is Priority.URGENT
    assert TicketEventKind.SLA_BREACHED in await kinds(parts.store, theft)


def test_a_watch_refuses_a_bad_interval(parts: HubParts) -> None:
    with pytest.raises(ValueError, match="interval must be positive"):
        SlaWatch(parts.store, interval=0)


# ----------------------------------------------------------------------- options


def test_the_options_default_to_five_seconds_doubling_to_ten_minutes() -> None:
    options = WorkerOptions()
    assert (options.retry_base, options.retry_max) == (5.0, 600.0)
    assert (options.sync_interval, options.sweep_interval) == (30.0, 60.0)


def test_the_options_come_from_the_settings_that_have_them() -> None:
    settings = SimpleNamespace(worker_retry_base=1.5, worker_delivery_batch=5, port=8000)
    options = WorkerOptions.from_settings(settings)
    assert (options.retry_base, options.delivery_batch) == (1.5, 5)
    assert options.retry_max == WorkerOptions().retry_max


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"delivery_interval": 0}, "HUB_WORKER_DELIVERY_INTERVAL must be positive, got 0"),
        ({"sweep_interval": -1}, "HUB_WORKER_SWEEP_INTERVAL must be positive"),
        ({"delivery_batch": 0}, "HUB_WORKER_DELIVERY_BATCH must be between 1 and 1000"),
        ({"delivery_batch": 5000}, "HUB_WORKER_DELIVERY_BATCH must be between 1 and 1000"),
        ({"retry_base": 60, "retry_max": 30}, "HUB_WORKER_RETRY_MAX \\(30\\) must be at least"),
    ],
)
def test_bad_options_are_refused_naming_the_setting(
    changes: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WorkerOptions(**changes)  # type: ignore[arg-type]


def test_a_lease_shorter_than_an_agencys_timeout_is_refused(parts: HubParts) -> None:
    with pytest.raises(ValueError, match=r"DELIVERY_LEASE \(4 s\).*immigration \(5 s\)"):
        workers(parts, WorkerOptions(delivery_lease=4))


# ----------------------------------------------------------------------- helpers


async def _logged(caplog: pytest.LogCaptureFixture, text: str) -> bool | None:
    return True if text in caplog.text else None


async def _failed_at_least(standin: RunningStandIn, count: int) -> bool | None:
    stats = await asyncio.to_thread(standin.stats)
    return True if stats["failed"] >= count else None
