"""The status sync against the real stand-ins: what each agency's staff do flows back to
the ticket's timeline, once, from where the last read stopped, and a failing agency
backs off without holding up the others."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.errors import AgencyUnavailable
from hub.tickets import NewTicket, TicketEventKind, TicketStatus, TicketView
from hub.tickets.delivery import DeliveryWorker
from hub.tickets.sync import RESUME_MARGIN, StatusSync, resume_point
from legacy.running import RunningStandIn
from tests.hub.tickets.test_store_support import BACKENDS, THEFT
from tests.hub.tickets.test_worker_support import (
    FAST_BREAKER,
    IN_PROGRESS_WORDS,
    PASSPORT,
    VAT,
    HubParts,
    hub_parts,
    staff_move,
    submit,
)
from tests.support.callers import admin
from tests.support.databases import database
from tests.support.keys import HubKeys
from tests.support.waiting import eventually

TICKETS = {"immigration": PASSPORT, "revenue": VAT, "police": THEFT}


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


def syncer(parts: HubParts, **options: Any) -> StatusSync:
    """A status sync over ``parts`` with ``options``."""
    return StatusSync(parts.store, parts.registry, parts.guard, rng=random.Random(3), **options)


async def delivered(parts: HubParts, ticket: NewTicket) -> TicketView:
    """``ticket``, submitted and delivered to its agency."""
    submitted = await submit(parts.store, ticket)
    outcomes = await DeliveryWorker(parts.store, parts.registry, parts.guard).deliver_due()
    assert [o.code for o in outcomes] == ["OK"], outcomes
    return await parts.store.get_by_tracking_number(submitted.tracking_number)


async def agency_updates(parts: HubParts, ticket: TicketView) -> list[Any]:
    """The AGENCY_UPDATE entries of ``ticket``'s timeline."""
    events = await parts.store.timeline(ticket.tracking_number, admin())
    return [e for e in events if e.kind is TicketEventKind.AGENCY_UPDATE]


@pytest.mark.parametrize("agency", ["immigration", "revenue", "police"])
async def test_what_an_agencys_staff_do_flows_back_to_the_timeline_once(
    parts: HubParts, healthy: dict[str, RunningStandIn], agency: str
) -> None:
    ticket = await delivered(parts, TICKETS[agency])
    assert ticket.agency == agency
    assert ticket.agency_reference is not None
    sync = syncer(parts)
    await sync.sync(agency)

    remarks = "An officer is looking into it."
    await staff_move(healthy[agency], ticket.agency_reference, IN_PROGRESS_WORDS[agency], remarks)
    assert await sync.sync(agency) >= 1
    assert await sync.sync(agency) == 0

    stored = await parts.store.get_by_tracking_number(ticket.tracking_number)
    assert stored.status is TicketStatus.IN_PROGRESS
    assert stored.first_responded_at is not None
    [update] = await agency_updates(parts, stored)
    assert update.public
    assert update.message == remarks
    assert update.data["applied"] is True
    assert update.actor_subject == agency


async def test_a_new_sync_resumes_after_the_newest_update_applied(
    parts: HubParts, healthy: dict[str, RunningStandIn]
) -> None:
    ticket = await delivered(parts, PASSPORT)
    assert ticket.agency_reference is not None
    first = syncer(parts)
    await staff_move(healthy["immigration"], ticket.agency_reference, "ASSIGNED", "Assigned.")
    await first.sync("immigration")
    newest = first.since("immigration")
    assert newest is not None

    again = syncer(parts)
    assert await resume_point(parts.store, "immigration") == newest
    assert await again.sync("immigration") == 0
    assert again.since("immigration") == newest
    assert len(await agency_updates(parts, ticket)) == 1


async def test_an_agency_no_ticket_was_delivered_to_is_not_asked(
    parts: HubParts, healthy: dict[str, RunningStandIn]
) -> None:
    healthy["revenue"].set_faults(down=True)
    await submit(parts.store, VAT)

    assert await resume_point(parts.store, "revenue") is None
    assert await syncer(parts).sync("revenue") == 0


async def test_before_any_update_the_sync_starts_a_margin_before_the_first_delivery(
    parts: HubParts,
) -> None:
    ticket = await delivered(parts, PASSPORT)
    assert ticket.delivered_at is not None
    assert timedelta(hours=1) <= RESUME_MARGIN

    assert await resume_point(parts.store, "immigration") == ticket.delivered_at - RESUME_MARGIN


async def test_a_failing_agency_raises_from_one_sync_and_keeps_its_place(
    parts: HubParts, healthy: dict[str, RunningStandIn]
) -> None:
    await delivered(parts, VAT)
    sync = syncer(parts)
    await sync.sync("revenue")
    place = sync.since("revenue")
    healthy["revenue"].set_faults(down=True)

    with pytest.raises(AgencyUnavailable) as raised:
        await sync.sync("revenue")

    assert raised.value.agency == "revenue"
    assert sync.since("revenue") == place


async def test_a_failing_agency_backs_off_while_the_others_are_followed(
    parts: HubParts, healthy: dict[str, RunningStandIn], caplog: pytest.LogCaptureFixture
) -> None:
    await delivered(parts, VAT)
    passport = await delivered(parts, PASSPORT)
    assert passport.agency_reference is not None
    healthy["revenue"].set_faults(down=True)
    healthy["revenue"].reset_served()
    sync = syncer(parts, interval=0.05, retry_base=0.05, retry_max=0.2)

    with caplog.at_level(logging.INFO, logger="hub.tickets.sync"):
        following = asyncio.create_task(sync.run())
        try:
            await staff_move(healthy["immigration"], passport.agency_reference, "UNDER REVIEW", "")

            async def moved() -> TicketView | None:
                stored = await parts.store.get_by_tracking_number(passport.tracking_number)
                return stored if stored.status is TicketStatus.IN_PROGRESS else None

            await eventually(moved, "the immigration update")
            await eventually(
                lambda: _at_least(healthy["revenue"], 3), "three reads of the failing revenue"
            )
            healthy["revenue"].set_faults(down=False)
            await eventually(
                lambda: _logged(caplog, "agency revenue: reading its ticket updates again"),
                "revenue's recovery",
            )
        finally:
            following.cancel()
            with pytest.raises(asyncio.CancelledError):
                await following

    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("agency revenue: cannot read its ticket updates: ")


async def _at_least(standin: RunningStandIn, count: int) -> bool | None:
    stats = await asyncio.to_thread(standin.stats)
    return True if stats["failed"] >= count else None


async def _logged(caplog: pytest.LogCaptureFixture, text: str) -> bool | None:
    return True if text in caplog.text else None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"interval": 0}, "interval and retry_base must be positive"),
        ({"retry_base": 0}, "interval and retry_base must be positive"),
        ({"retry_base": 10, "retry_max": 5}, "retry_max at least retry_base"),
    ],
)
async def test_a_sync_refuses_bad_pacing(
    tmp_path: Path,
    standins: dict[str, RunningStandIn],
    hub_keys: HubKeys,
    options: dict[str, float],
    message: str,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    async with hub_parts(tmp_path, standins, url, hub_keys) as opened:
        with pytest.raises(ValueError, match=message):
            syncer(opened, **options)
