"""Ticket delivery survives the hub dying: ``hub worker`` killed (SIGKILL) after the
agency filed a ticket but before the hub recorded it, then started again, files the
ticket once; the agency's own register is the judge. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from hub.agencies import load_configuration
from hub.db import create_engine, upgrade
from hub.identity import ANONYMOUS
from hub.tickets import (
    NewTicket,
    RoutingRules,
    TicketEventKind,
    TicketKind,
    TicketStore,
    TicketView,
)
from legacy import StandInOptions
from legacy.running import RunningStandIn, agencies_file, running_standin
from tests.support.callers import admin
from tests.support.databases import database, run_async
from tests.support.hub import running_hub
from tests.support.keys import HubKeys
from tests.support.processes import hub_command, start_hub_command

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

PASSPORT = NewTicket(
    kind=TicketKind.ENQUIRY,
    title="Lost passport",
    description="I lost my passport on a trip; how do I get a travel document to return?",
    contact_email="amina@example.org",
)
"""Routed to immigration."""

PACING = {
    "HUB_WORKER_DELIVERY_INTERVAL": "0.1",
    "HUB_WORKER_DELIVERY_LEASE": "3",
    "HUB_WORKER_RETRY_BASE": "0.2",
    "HUB_WORKER_RETRY_MAX": "1",
}
"""A lease of 3 s (every agency's timeout is 2 s), so that the restarted hub takes the
killed one's delivery over soon."""


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as fresh:
        yield fresh


@pytest.fixture
def immigration(hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    """An immigration stand-in of this test's own, so that its cases are numbered from 1."""
    with running_standin("immigration", StandInOptions(hub_public_key=hub_keys.public_pem)) as up:
        yield up


@pytest.mark.slow
def test_a_hub_killed_mid_delivery_files_the_ticket_once_after_a_restart(
    tmp_path: Path,
    standins: dict[str, RunningStandIn],
    immigration: RunningStandIn,
    hub_keys: HubKeys,
    url: str,
) -> None:
    agencies = {**standins, "immigration": immigration}
    quick = {
        agency: {"timeout": 2} for agency in ("revenue", "immigration", "police", "hub_office")
    }
    path = agencies_file(tmp_path / "agencies.yaml", agencies, quick)
    env = {
        "HUB_AGENCIES_FILE": str(path),
        "HUB_ENV_FILE": str(tmp_path / "no.env"),
        "HUB_DATABASE_URL": url,
        "HUB_ASSERTION_KEY_FILE": str(hub_keys.private_file),
        **PACING,
    }
    ticket = run_async(lambda: _submit(url, path))
    assert ticket.agency == "immigration"
    case = f"IMC-{datetime.now(UTC).year}-000001"
    immigration.set_faults(latency=1.5)

    first = start_hub_command("worker", env=env, cwd=tmp_path)
    try:
        _wait(lambda: immigration.stats()["in_flight"] == 1, first, "the delivery in flight")
        with _hub_database_held(url):
            _wait(lambda: immigration.stats()["in_flight"] == 0, first, "the agency's answer")
            os.killpg(first.pid, signal.SIGKILL)
    finally:
        _kill(first)

    assert first.returncode == -signal.SIGKILL
    assert _desk_has(immigration, case), "the agency should have filed the first delivery"
    assert run_async(lambda: _stored(url, path, ticket)).delivered_at is None

    immigration.set_faults(latency=0)
    second = start_hub_command("worker", env=env, cwd=tmp_path)
    try:
        _wait(
            lambda: run_async(lambda: _stored(url, path, ticket)).delivered_at is not None,
            second,
            "the delivery after the restart",
        )
        os.killpg(second.pid, signal.SIGTERM)
        output, _ = second.communicate(timeout=20)
    finally:
        _kill(second)

    assert second.returncode == 0, output
    assert "hub worker: stopped" in output
    stored = run_async(lambda: _stored(url, path, ticket))
    assert stored.agency_reference == case
    assert not _desk_has(immigration, f"IMC-{datetime.now(UTC).year}-000002")
    timeline = run_async(lambda: _timeline(url, path, ticket))
    assert timeline.count(TicketEventKind.DELIVERED) == 1


def test_the_served_hub_delivers_tickets_itself(
    tmp_path: Path, healthy: dict[str, RunningStandIn], hub_keys: HubKeys
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    with running_hub(
        tmp_path,
        healthy,
        assertion_key_file=hub_keys.private_file,
        database_url=url,
        workers_in_serve=True,
        worker_delivery_interval=0.1,
    ):
        path = tmp_path / "agencies.yaml"
        ticket = run_async(lambda: _submit(url, path))
        deadline = time.monotonic() + 60
        while run_async(lambda: _stored(url, path, ticket)).delivered_at is None:
            assert time.monotonic() < deadline, "the served hub did not deliver the ticket"
            time.sleep(0.1)

    stored = run_async(lambda: _stored(url, path, ticket))
    assert stored.agency_reference is not None
    assert stored.agency_reference.startswith("IMC-")


def test_a_ticket_submitted_through_the_graph_is_delivered_without_waiting_the_interval(
    tmp_path: Path, healthy: dict[str, RunningStandIn], hub_keys: HubKeys
) -> None:
    """The delivery worker looks at the outbox every 10 minutes here: only the wake-up a
    submission publishes can deliver the ticket within the test's minute."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    with running_hub(
        tmp_path,
        healthy,
        assertion_key_file=hub_keys.private_file,
        database_url=url,
        workers_in_serve=True,
        worker_delivery_interval=600,
    ) as hub:
        time.sleep(0.5)  # past the worker's first look at the empty outbox
        body = hub.post(
            "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) "
            "{ ticket { trackingNumber } } }",
            {
                "i": {
                    "kind": "ENQUIRY",
                    "title": "Lost passport",
                    "description": "I lost my passport on a trip; how do I get a travel "
                    "document to return?",
                    "idempotencyKey": str(uuid.uuid4()),
                }
            },
        ).json()
        number = body["data"]["submitTicket"]["ticket"]["trackingNumber"]
        path = tmp_path / "agencies.yaml"
        deadline = time.monotonic() + 60
        while run_async(lambda: _stored_number(url, path, number)).delivered_at is None:
            assert time.monotonic() < deadline, "the submission did not wake the delivery worker"
            time.sleep(0.1)


def test_hub_worker_refuses_a_lease_shorter_than_an_agencys_timeout(
    tmp_path: Path, standins: dict[str, RunningStandIn]
) -> None:
    path = agencies_file(tmp_path / "agencies.yaml", standins)
    env = {
        "HUB_AGENCIES_FILE": str(path),
        "HUB_ENV_FILE": str(tmp_path / "no.env"),
        "HUB_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}",
        "HUB_WORKER_DELIVERY_LEASE": "4",
    }
    result = hub_command("worker", env=env, cwd=tmp_path)

    assert result.returncode == 2, result.stderr
    assert "HUB_WORKER_DELIVERY_LEASE (4 s) must be longer than" in result.stderr
    assert "revenue (5 s)" in result.stderr
    assert "Traceback" not in result.stderr


def test_hub_worker_refuses_bad_pacing_naming_the_setting(
    tmp_path: Path, standins: dict[str, RunningStandIn]
) -> None:
    path = agencies_file(tmp_path / "agencies.yaml", standins)
    env = {
        "HUB_AGENCIES_FILE": str(path),
        "HUB_ENV_FILE": str(tmp_path / "no.env"),
        "HUB_WORKER_RETRY_BASE": "60",
        "HUB_WORKER_RETRY_MAX": "30",
    }
    result = hub_command("worker", env=env, cwd=tmp_path)

    assert result.returncode == 2, result.stderr
    assert "HUB_WORKER_RETRY_MAX (30.0) must be at least HUB_WORKER_RETRY_BASE (60.0)" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_hub_worker_says_there_is_no_work_without_ticket_routing(
    tmp_path: Path, standins: dict[str, RunningStandIn]
) -> None:
    path = agencies_file(tmp_path / "agencies.yaml", standins)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["ticket_routing"]
    data["agencies"] = [a for a in data["agencies"] if a["connector"] != "hub_office"]
    for agency in data["agencies"]:
        agency.pop("tickets", None)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    env = {"HUB_AGENCIES_FILE": str(path), "HUB_ENV_FILE": str(tmp_path / "no.env")}

    result = hub_command("worker", env=env, cwd=tmp_path)

    assert result.returncode == 2, result.stderr
    assert "has no ticket_routing: block" in result.stderr
    assert "Traceback" not in result.stderr


# ----------------------------------------------------------------------- helpers


def _store(url: str, path: Path) -> TicketStore:
    configuration = load_configuration(path, env_file=path.parent / "no.env")
    assert configuration.ticket_routing is not None
    definitions = configuration.definitions
    rules = RoutingRules([d.config for d in definitions], configuration.ticket_routing)
    return TicketStore(create_engine(url), rules)


async def _submit(url: str, path: Path) -> TicketView:
    await upgrade(url)
    store = _store(url, path)
    try:
        return await store.submit(PASSPORT, ANONYMOUS, idempotency_key=str(uuid.uuid4()))
    finally:
        await store.engine.dispose()


async def _stored(url: str, path: Path, ticket: TicketView) -> TicketView:
    store = _store(url, path)
    try:
        return await store.get_by_tracking_number(ticket.tracking_number)
    finally:
        await store.engine.dispose()


async def _stored_number(url: str, path: Path, number: str) -> TicketView:
    store = _store(url, path)
    try:
        return await store.get_by_tracking_number(number)
    finally:
        await store.engine.dispose()


async def _timeline(url: str, path: Path, ticket: TicketView) -> list[TicketEventKind]:
    store = _store(url, path)
    try:
        events = await store.timeline(ticket.tracking_number, admin())
    finally:
        await store.engine.dispose()
    return [event.kind for event in events]


def _desk_has(immigration: RunningStandIn, case_no: str) -> bool:
    """Whether the department's desk knows case ``case_no`` (a remark is added if so)."""
    response = httpx.post(
        f"{immigration.url}/_staff/complaints/{case_no}/status",
        json={"remarks": "Checked by the test."},
        timeout=5,
    )
    assert response.status_code in (200, 404), response.text
    return response.status_code == 200


@contextmanager
def _hub_database_held(url: str) -> Iterator[None]:
    """Hold the hub's tickets for the block, as a long transaction would: the hub can
    read them but not record a delivery."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        connection = sqlite3.connect(str(parsed.database), timeout=30, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield
            connection.execute("ROLLBACK")
        finally:
            connection.close()
        return
    locked, release = threading.Event(), threading.Event()

    async def hold() -> None:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection, connection.begin():
                await connection.execute(text("SELECT id FROM tickets FOR UPDATE"))
                locked.set()
                await asyncio.to_thread(release.wait)
        finally:
            await engine.dispose()

    holder = threading.Thread(target=lambda: asyncio.run(hold()))
    holder.start()
    try:
        assert locked.wait(30), "could not lock the hub's tickets"
        yield
    finally:
        release.set()
        holder.join(30)


def _wait(
    condition: Callable[[], bool], process: subprocess.Popen[str], what: str, within: float = 60
) -> None:
    """Wait for ``condition``, failing if ``process`` exits first or after ``within`` s."""
    deadline = time.monotonic() + within
    while not condition():
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(
                f"hub worker exited ({process.returncode}) before {what}:\n{output}"
            )
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {within} s")
        time.sleep(0.05)


def _kill(process: subprocess.Popen[str]) -> None:
    """Kill ``process`` if it still runs, and close its output."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=10)
