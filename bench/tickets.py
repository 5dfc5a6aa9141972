"""Benchmark of ticket submission and delivery: ``.venv/bin/python -m bench.tickets``.

Each figure is a ratio of the hub to a bare write of the same rows, measured in the
same run against the same database, because the machines here are shared and noisy.

Set-up, once per database (an SQLite file, then a fresh PostgreSQL database on
127.0.0.1:5432 dropped afterwards; PostgreSQL is skipped, and the output says so, when
it does not answer): the three stand-ins run in threads of this process as the tests
start them (``legacy.running``), trusting a key pair made for the run; the database is
brought to the newest revision with ``hub db upgrade``, and ``hub serve`` runs as its
own process with the operator's defaults (ticket workers inside it, delivery interval
1 s, batch 20; status sync 30 s; SLA sweep 60 s; log level INFO, written to a file)
but for ``HUB_RATE_LIMIT_BURST=0``, which lifts the rate limit. Every ticket is a
citizen's passport enquiry with contact details, which routes to immigration; each
request carries the token of one of ``--citizens`` citizens, minted as ``hub token``
does, and a fresh idempotency key.

The bare baselines write with SQLAlchemy Core through the hub's own engine factory
(``hub.db.create_engine``: same driver, pool, SQLite pragmas), in one transaction
each, begun ``BEGIN IMMEDIATE`` on SQLite as the hub's are; their values are copied
from a ticket the hub stored during the warm-up:

- *tickets row*: one INSERT of the ``tickets`` row;
- *all rows*: what one submission writes: the tracking-number upsert on
  ``ticket_sequences``, the ``tickets`` row, its two ``ticket_events`` (SUBMITTED,
  ROUTED), its ``outbox`` row (stored delivered, so the hub's worker leaves it alone)
  and its ``audit_log`` row.

The figures, per database:

1. submissions/s (a, b): ``submitTicket`` over HTTP/1.1 keep-alive connections from a
   small asyncio client in this process (it reuses ``bench.load``'s exchange),
   ``--concurrency`` in flight, ``--submissions`` per round; beside it each bare write
   at the same concurrency, the same count. Rounds alternate hub and bare; rates are
   totals over all rounds. (c) the ``hub serve`` process's CPU time (``/proc``) over
   the submissions, per submission and as a share of one core: near 100% means the
   hub's one event loop was the bound. (d) after each hub round the outbox is left to
   drain before the bare writes start; deliveries/s counts from the round's first
   submission to an empty outbox, as the worker delivers during the round too.
2. submit latency: one citizen, one ``submitTicket`` at a time, the median round trip
   beside the median *all rows* transaction, timed one by one between them.
3. submission to DELIVERED: the same ``--latency-tickets`` tickets, each sent after a
   random pause of up to one delivery interval (so that submissions fall at every
   point of the worker's cycle), from sending the mutation until the hub's database
   holds the ticket's ``delivered_at`` (read every 10 ms by this process, not through
   the hub, so that following a ticket does not load the hub); then its public
   timeline is checked to show DELIVERED. Median and p90, beside the median *all
   rows* transaction of figure 2.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Select, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bench.load import _exchange as exchange
from bench.portal import fresh_database, ms, postgres_reachable
from hub.audit.table import audit_log
from hub.db import create_engine, is_sqlite
from hub.identity import Role
from hub.identity.assertion import AssertionSigner, generate_key_file
from hub.identity.tokens import DEVELOPMENT_SECRET, mint_development_token
from hub.settings import Settings
from hub.tickets.models import OutboxEntry, Ticket, TicketEvent, TicketSequence
from legacy import StandInOptions
from legacy.running import RunningStandIn, agencies_file, running_standin

ROOT = Path(__file__).resolve().parents[1]
AGENCIES = ("revenue", "immigration", "police")
HEADERS = {"accept": "application/graphql-response+json"}
DELIVERY_INTERVAL: float = Settings.model_fields["worker_delivery_interval"].default
"""``HUB_WORKER_DELIVERY_INTERVAL``'s default, which the served hub keeps."""
POLL = 0.01
LOUD = ("WARNING", "ERROR", "CRITICAL")
DRAIN_TIMEOUT = 300.0

SUBMIT = """mutation Submit($input: SubmitTicketInput!) {
  submitTicket(input: $input) { ticket { trackingNumber status } }
}"""
FOLLOW = "query Follow($n: String!) { ticket(trackingNumber: $n) { timeline { kind } } }"


@dataclass(frozen=True)
class Plan:
    """How much to do, from the command line."""

    submissions: int
    """Per round, for the hub and for each bare write."""
    rounds: int
    concurrency: int
    citizens: int
    latency_tickets: int


@dataclass(frozen=True)
class Row:
    measure: str
    hub: str
    bare: str
    ratio: str


def enquiry(key: str) -> dict[str, Any]:
    """A citizen's passport enquiry (routed to immigration) with idempotency key ``key``."""
    return {
        "kind": "ENQUIRY",
        "title": "Lost passport",
        "description": "I lost my passport on a trip; how do I get a travel document home?",
        "contact": {"name": "Amina W.", "phone": "+254 712 345 678", "email": "amina@example.org"},
        "idempotencyKey": key,
    }


def bearer(subject: str) -> str:
    """A citizen's development token, as ``hub token`` mints it."""
    return mint_development_token(
        DEVELOPMENT_SECRET,
        issuer="citizen-hub",
        audience="citizen-hub",
        subject=subject,
        roles=[Role.CITIZEN],
    )


# ------------------------------------------------------------------------ the hub


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hub_environment(settings: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without ``HUB_*`` variables, plus ``settings``."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("HUB_")}, **settings}


@dataclass(frozen=True)
class ServedHub:
    """``hub serve`` running as a process of its own."""

    url: str
    pid: int
    log: Path

    def problems(self) -> list[str]:
        """What the hub has logged at WARNING and above: each record's first line and
        the exception it ends with, once each, oldest first."""
        found: dict[str, None] = {}
        loud = False
        for line in self.log.read_text(errors="replace").splitlines():
            if line[:4].isdigit():  # a record's first line starts with its date
                loud = any(f" {level} " in line for level in LOUD)
                if loud:
                    found.setdefault(line.split("]: ", 1)[-1][:300])
            elif loud and line[:1].isalpha() and ": " in line:  # "SomeError: why"
                found.setdefault(line[:300])
        return list(found)

    def cpu_seconds(self) -> float:
        """CPU time the process has used so far (user and system, all threads)."""
        stat = Path(f"/proc/{self.pid}/stat").read_text()
        fields = stat.rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def served_hub(
    work: Path, agencies: Path, key_file: Path, database_url: str
) -> Iterator[ServedHub]:
    """``hub db upgrade`` then ``hub serve`` on ``database_url``, for the block."""
    port = free_port()
    env = hub_environment(
        {
            "HUB_AGENCIES_FILE": str(agencies),
            "HUB_ENV_FILE": str(work / "no.env"),
            "HUB_DATABASE_URL": database_url,
            "HUB_ASSERTION_KEY_FILE": str(key_file),
            "HUB_PORT": str(port),
            "HUB_RATE_LIMIT_BURST": "0",
        }
    )
    command = [sys.executable, "-m", "hub"]
    upgraded = subprocess.run(
        [*command, "db", "upgrade"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    if upgraded.returncode != 0:
        raise RuntimeError(f"hub db upgrade failed:\n{upgraded.stdout}{upgraded.stderr}")
    log = work / f"hub-{port}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "serve"], env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/healthz", process, log)
        yield ServedHub(url, process.pid, log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"hub serve exited with {process.returncode}:\n{log.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"hub serve did not answer {url} within 60 s:\n{log.read_text()}")


# ------------------------------------------------------------------ submissions/s


def submission_requests(url: str, tokens: list[str], count: int) -> list[bytes]:
    """``count`` raw HTTP/1.1 ``submitTicket`` requests, each with a fresh idempotency
    key, the citizens taking turns."""
    parts = httpx.URL(url)
    requests = []
    for i in range(count):
        body = json.dumps(
            {"query": SUBMIT, "variables": {"input": enquiry(str(uuid.uuid4()))}}
        ).encode()
        head = (
            f"POST /graphql HTTP/1.1\r\nhost: {parts.host}:{parts.port}\r\n"
            "content-type: application/json\r\naccept: application/graphql-response+json\r\n"
            f"authorization: Bearer {tokens[i % len(tokens)]}\r\n"
            f"content-length: {len(body)}\r\n\r\n"
        )
        requests.append(head.encode("ascii") + body)
    return requests


async def closed_loop(hub: ServedHub, requests: list[bytes], concurrency: int) -> tuple[float, int]:
    """Send ``requests`` over ``concurrency`` keep-alive connections; the seconds taken
    and how many failed (not 200, or ``errors`` in the answer)."""
    parts = httpx.URL(hub.url)
    pending = iter(requests)
    failures = 0

    async def client() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection(parts.host, parts.port)
        try:
            for request in pending:
                ok = await exchange(reader, writer, request)
                failures += not ok  # not `failures += not await ...`: that loses updates
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return time.perf_counter() - started, failures


async def undelivered(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        count = await connection.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.delivered_at.is_(None))
        )
    return int(count or 0)


async def drained(engine: AsyncEngine) -> None:
    """Wait until the hub's worker has delivered every ticket in the outbox."""
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while (left := await undelivered(engine)) > 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{left} deliveries still in the outbox after {DRAIN_TIMEOUT:.0f} s")
        await asyncio.sleep(0.05)


# ------------------------------------------------------------------- bare writes


@dataclass(frozen=True)
class Template:
    """The rows the hub stored for one ticket, to copy in the bare writes."""

    ticket: dict[str, Any]
    events: list[dict[str, Any]]
    outbox: dict[str, Any]
    audit: dict[str, Any]


async def template_of(engine: AsyncEngine, tracking_number: str) -> Template:
    """The rows the hub wrote when it stored ``tracking_number``, without their keys
    and as they were before its delivery."""
    tickets, events, outbox = Ticket.__table__, TicketEvent.__table__, OutboxEntry.__table__
    async with engine.connect() as connection:

        async def rows(statement: Select[Any]) -> list[dict[str, Any]]:
            found = (await connection.execute(statement)).mappings().all()
            return [{k: v for k, v in row.items() if k != "id"} for row in found]

        ticket_id = await connection.scalar(
            select(tickets.c.id).where(tickets.c.tracking_number == tracking_number)
        )
        [ticket] = await rows(select(tickets).where(tickets.c.id == ticket_id))
        timeline = await rows(
            select(events).where(
                events.c.ticket_id == ticket_id, events.c.kind.in_(["SUBMITTED", "ROUTED"])
            )
        )
        [delivery] = await rows(select(outbox).where(outbox.c.ticket_id == ticket_id))
        [audit] = await rows(
            select(audit_log).where(
                audit_log.c.object_id == tracking_number, audit_log.c.field == "submitTicket"
            )
        )
    if len(timeline) != 2:
        raise RuntimeError(f"expected SUBMITTED and ROUTED for {tracking_number}: {timeline}")
    ticket.update(agency_reference=None, delivered_at=None)
    delivery.update(attempts=0, claimed_until=None, last_error=None)
    return Template(ticket, timeline, delivery, audit)


class BareWriter:
    """Writes the template's rows with Core statements, one transaction per ticket."""

    def __init__(self, engine: AsyncEngine, template: Template) -> None:
        self.engine = engine
        self.template = template
        self._upsert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        self._serial = 0

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.begin() as connection:
            if is_sqlite(self.engine):
                await connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield connection

    def _ticket(self, tracking_number: str) -> dict[str, Any]:
        now = datetime.now(UTC)
        submitted = self.template.ticket["submitted_at"]
        shift = {
            name: now + (self.template.ticket[name] - submitted)
            for name in ("first_response_due_at", "resolution_due_at")
        }
        return {
            **self.template.ticket,
            **shift,
            "id": str(uuid.uuid4()),
            "tracking_number": tracking_number,
            "idempotency_scope": "bench:bare",
            "idempotency_key": str(uuid.uuid4()),
            "submitted_at": now,
            "updated_at": now,
        }

    async def tickets_row(self) -> None:
        """One INSERT of a ``tickets`` row, numbered in a year the hub does not use."""
        self._serial += 1
        row = self._ticket(f"CH-9999-{self._serial:06d}")
        async with self._transaction() as connection:
            await connection.execute(insert(Ticket), row)

    async def all_rows(self) -> None:
        """Every row one submission writes, as the hub writes them."""
        now = datetime.now(UTC)
        number = (
            self._upsert(TicketSequence)
            .values(year=now.year, last_number=1)
            .on_conflict_do_update(
                index_elements=[TicketSequence.year],
                set_={"last_number": TicketSequence.last_number + 1},
            )
            .returning(TicketSequence.last_number)
        )
        async with self._transaction() as connection:
            last = (await connection.execute(number)).scalar_one()
            row = self._ticket(f"CH-{now.year:04d}-{last:06d}")
            await connection.execute(insert(Ticket), row)
            events = [{**e, "ticket_id": row["id"], "at": now} for e in self.template.events]
            await connection.execute(insert(TicketEvent), events)
            delivery = {
                **self.template.outbox,
                "ticket_id": row["id"],
                "created_at": now,
                "next_attempt_at": now,
                "delivered_at": now,
            }
            await connection.execute(insert(OutboxEntry), delivery)
            audit = {**self.template.audit, "at": now, "object_id": row["tracking_number"]}
            await connection.execute(insert(audit_log), audit)


async def concurrently(write: Callable[[], Awaitable[None]], count: int, concurrency: int) -> float:
    """Run ``write`` ``count`` times, ``concurrency`` at once; seconds taken."""
    remaining = count

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await write()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


async def timed(write: Callable[[], Awaitable[None]]) -> float:
    started = time.perf_counter()
    await write()
    return time.perf_counter() - started


# ------------------------------------------------------------- one ticket at a time


async def submit(client: httpx.AsyncClient, hub: ServedHub, token: str) -> str:
    """Submit one enquiry; its tracking number."""
    response = await client.post(
        f"{hub.url}/graphql",
        json={"query": SUBMIT, "variables": {"input": enquiry(str(uuid.uuid4()))}},
        headers={**HEADERS, "authorization": f"Bearer {token}"},
    )
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        logged = "\n".join(hub.problems())
        raise RuntimeError(f"submitTicket failed ({response.status_code}): {body}\n{logged}")
    number: str = body["data"]["submitTicket"]["ticket"]["trackingNumber"]
    return number


async def delivered_at(engine: AsyncEngine, number: str) -> datetime | None:
    """When the hub recorded ``number`` as delivered, read from its database."""
    async with engine.connect() as connection:
        at: datetime | None = await connection.scalar(
            select(Ticket.delivered_at).where(Ticket.tracking_number == number)
        )
    return at


async def shows_delivered(client: httpx.AsyncClient, url: str, token: str, number: str) -> bool:
    """Whether ``ticket(trackingNumber)`` shows DELIVERED on the public timeline."""
    response = await client.post(
        f"{url}/graphql",
        json={"query": FOLLOW, "variables": {"n": number}},
        headers={**HEADERS, "authorization": f"Bearer {token}"},
    )
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"ticket({number}) failed: {body['errors']}")
    return any(event["kind"] == "DELIVERED" for event in body["data"]["ticket"]["timeline"])


@dataclass
class Latencies:
    submit: list[float]
    delivered: list[float]
    bare: list[float]


async def one_at_a_time(
    client: httpx.AsyncClient, hub: ServedHub, token: str, writer: BareWriter, tickets: int
) -> Latencies:
    """Figures 2 and 3: each ticket submitted and watched in the database until the
    hub records its delivery, then one bare transaction timed."""
    rng = random.Random(4)
    result = Latencies([], [], [])
    for _ in range(tickets):
        await asyncio.sleep(rng.uniform(0, DELIVERY_INTERVAL))
        started = time.perf_counter()
        number = await submit(client, hub, token)
        result.submit.append(time.perf_counter() - started)
        deadline = started + 60
        while await delivered_at(writer.engine, number) is None:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"ticket {number} was not delivered within 60 s")
            await asyncio.sleep(POLL)
        result.delivered.append(time.perf_counter() - started)
        if not await shows_delivered(client, hub.url, token, number):
            raise RuntimeError(f"ticket {number} is delivered but its timeline lacks DELIVERED")
        result.bare.append(await timed(writer.all_rows))
    return result


# --------------------------------------------------------------------- one database


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


async def throughput(
    plan: Plan, hub: ServedHub, writer: BareWriter, tokens: list[str]
) -> list[Row]:
    """Figure 1: rounds of hub submissions, each followed by an empty outbox, then the
    two bare writes."""
    hub_seconds = cpu_seconds = row_seconds = all_seconds = drain_seconds = 0.0
    failed = 0
    for _ in range(plan.rounds):
        requests = submission_requests(hub.url, tokens, plan.submissions)
        cpu, started = hub.cpu_seconds(), time.perf_counter()
        seconds, failures = await closed_loop(hub, requests, plan.concurrency)
        hub_seconds, failed = hub_seconds + seconds, failed + failures
        cpu_seconds += hub.cpu_seconds() - cpu
        await drained(writer.engine)
        drain_seconds += time.perf_counter() - started
        row_seconds += await concurrently(writer.tickets_row, plan.submissions, plan.concurrency)
        all_seconds += await concurrently(writer.all_rows, plan.submissions, plan.concurrency)
    total = plan.submissions * plan.rounds
    hub_rate = (total - failed) / hub_seconds
    row_rate, all_rate = total / row_seconds, total / all_seconds
    clients = f"{plan.concurrency} clients, {total} tickets"
    return [
        Row(
            f"1a. submissions/s, {clients} (bare: tickets row)",
            f"{hub_rate:.0f}/s",
            f"{row_rate:.0f}/s",
            f"{hub_rate / row_rate:.2f}",
        ),
        Row(
            f"1b. submissions/s, {clients} (bare: all rows)",
            f"{hub_rate:.0f}/s",
            f"{all_rate:.0f}/s",
            f"{hub_rate / all_rate:.2f}",
        ),
        Row(
            "1c. hub process CPU per submission during 1a",
            f"{ms(cpu_seconds / total)} ({cpu_seconds / hub_seconds:.0%} of a core)",
            "-",
            "-",
        ),
        Row(
            "1d. deliveries/s, first submission to empty outbox",
            f"{(total - failed) / drain_seconds:.0f}/s",
            "-",
            "-",
        ),
        Row("1e. submissions that failed (not counted in 1a-1d)", f"{failed} of {total}", "-", "-"),
    ]


async def latency(
    plan: Plan, hub: ServedHub, client: httpx.AsyncClient, writer: BareWriter, token: str
) -> list[Row]:
    """Figures 2 and 3."""
    found = await one_at_a_time(client, hub, token, writer, plan.latency_tickets)
    bare = statistics.median(found.bare)
    submitted = statistics.median(found.submit)
    median, tail = statistics.median(found.delivered), p90(found.delivered)
    n = f"N={plan.latency_tickets}"
    return [
        Row(
            f"2. submit latency, 1 client, median, {n} (bare: all rows)",
            ms(submitted),
            ms(bare),
            f"{submitted / bare:.1f}",
        ),
        Row(
            f"3a. submission to DELIVERED, median, {n}",
            ms(median),
            ms(bare),
            f"{median / bare:.0f}",
        ),
        Row(f"3b. submission to DELIVERED, p90, {n}", ms(tail), ms(bare), f"{tail / bare:.0f}"),
    ]


async def measure(plan: Plan, hub: ServedHub, database_url: str) -> list[Row]:
    """The figures of one database, ``hub`` serving over ``database_url``."""
    engine = create_engine(database_url)
    tokens = [bearer(f"citizen-{i:04d}") for i in range(plan.citizens)]
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            numbers = [await submit(client, hub, tokens[0]) for _ in range(5)]  # warm-up
            await drained(engine)
            writer = BareWriter(engine, await template_of(engine, numbers[0]))
            for write in (writer.tickets_row, writer.all_rows):
                await concurrently(write, 20, plan.concurrency)
            rows = await throughput(plan, hub, writer, tokens)
            rows += await latency(plan, hub, client, writer, tokens[1])
    finally:
        await engine.dispose()
    return rows


# ------------------------------------------------------------------------------ run


def key_pair(work: Path) -> tuple[Path, bytes]:
    """A new hub assertion key for the run: the private key's file, the public PEM."""
    private = work / "hub-assertion-key.pem"
    generate_key_file(private)
    return private, AssertionSigner.from_pem_file(private).public_key_pem()


async def run(plan: Plan, backends: list[str]) -> tuple[dict[str, list[Row]], list[str]]:
    notes: list[str] = []
    results: dict[str, list[Row]] = {}
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-tickets-")))
        key_file, public_pem = key_pair(work)
        trusted = StandInOptions(hub_public_key=public_pem)
        police = StandInOptions(database_url=f"sqlite+aiosqlite:///{work / 'police.db'}")
        standins: dict[str, RunningStandIn] = {
            name: stack.enter_context(
                running_standin(name, police if name == "police" else trusted)
            )
            for name in AGENCIES
        }
        agencies = agencies_file(work / "agencies.yaml", standins)
        for backend in backends:
            async with contextlib.AsyncExitStack() as databases:
                if backend == "sqlite":
                    database_url = f"sqlite+aiosqlite:///{work / 'hub.db'}"
                    name = "SQLite"
                elif postgres_reachable():
                    database_url = await databases.enter_async_context(fresh_database())
                    name = "PostgreSQL"
                else:
                    notes.append("PostgreSQL: not reachable at 127.0.0.1:5432, skipped")
                    continue
                with served_hub(work, agencies, key_file, database_url) as hub:
                    results[name] = await measure(plan, hub, database_url)
                    if logged := hub.problems():
                        notes.append(f"{name}: the hub logged\n  " + "\n  ".join(logged))
    return results, notes


def table(results: Mapping[str, list[Row]]) -> str:
    header = ("database", "measure", "hub", "bare", "hub/bare")
    cells = [header] + [
        (database, r.measure, r.hub, r.bare, r.ratio)
        for database, rows in results.items()
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark ticket submission and delivery.")
    parser.add_argument("--submissions", type=int, default=150, help="per round (default 150)")
    parser.add_argument("--rounds", type=int, default=2, help="hub/bare rounds (default 2)")
    parser.add_argument("--concurrency", type=int, default=16, help="in flight (default 16)")
    parser.add_argument("--citizens", type=int, default=50, help="distinct tokens (default 50)")
    parser.add_argument(
        "--latency-tickets", type=int, default=30, help="tickets followed to DELIVERED (default 30)"
    )
    parser.add_argument(
        "--databases",
        default="sqlite,postgres",
        help="comma-separated: sqlite, postgres (default both)",
    )
    args = parser.parse_args()
    backends = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(backends) - {"sqlite", "postgres"}
    if unknown or not backends:
        parser.error(f"--databases takes sqlite and/or postgres, got {args.databases!r}")
    if min(args.submissions, args.rounds, args.concurrency, args.citizens) < 1:
        parser.error("--submissions, --rounds, --concurrency and --citizens must be at least 1")
    if args.latency_tickets < 2:
        parser.error("--latency-tickets must be at least 2 (a p90 needs two)")
    plan = Plan(
        args.submissions, args.rounds, args.concurrency, args.citizens, args.latency_tickets
    )
    started = time.perf_counter()
    results, notes = asyncio.run(run(plan, backends))
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(
        "hub serve in its own process (operator defaults, HUB_RATE_LIMIT_BURST=0, workers "
        f"in serve, delivery interval {DELIVERY_INTERVAL:g} s); stand-ins in threads of this "
        "process; submissions from an asyncio HTTP/1.1 keep-alive client in this process"
    )
    print(
        f"{plan.rounds} rounds of {plan.submissions} submissions, {plan.citizens} citizens; "
        "bare = SQLAlchemy Core through hub.db.create_engine, one transaction per ticket; "
        "tickets row = one INSERT; all rows = sequence upsert, tickets, 2 ticket_events, "
        "outbox, audit_log"
    )
    for note in notes:
        print(note)
    print(table(results))
    print(f"run took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
