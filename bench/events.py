"""Benchmark of live poll results: ``.venv/bin/python -m bench.events``.

How long a poll's new results take to reach 1,000 WebSocket subscribers, and how many
deliveries a second the hub sustains, on one ``hub serve`` process and on two that
share their database and a Redis event bus. Each figure is measured in the same run
as the figures it is compared with, because the machines here are shared and noisy.

Set-up, per *setup* (``--setups``; all three by default):

- ``memory``: one hub process, in-process events (``HUB_EVENTS_URL=memory://``);
- ``redis``: one hub process, events through Redis (to tell the cost of the Redis hop
  from that of splitting the subscribers over two processes);
- ``redis2``: two hub processes on the same SQLite file and the same Redis
  (``redis://127.0.0.1:6379/0``); half of the subscribers on each, votes sent to the
  first.

Each hub is ``hub serve`` as its own process (uvicorn, one worker, its log in a file),
on a fresh SQLite file, over the three demo stand-ins (threads of this process, as the
tests start them), with ``HUB_RATE_LIMIT_BURST=0`` (no rate limit) and
``HUB_WORKERS_IN_SERVE=false`` (no ticket workers or agency watchers, so the only
events are the votes'); every other setting is the default. The subscribers are
``--subscribers`` graphql-transport-ws connections opened by this process (the
``websockets`` client on uvloop, permessage-deflate offered as browsers do unless
``--no-deflate``), anonymous, each with one subscription::

    subscription { pollResults(pollId: ...) {
        pollId totalVotes results { option { label } votes } } }

A subscriber counts once it has read the poll's current results, and the votes start
once each hub's ``hub_subscriptions_open`` says every one is registered. Votes are
``vote`` mutations over HTTP from this process, each by a different citizen (a
development token, as ``hub token`` mints it). A delivery is the moment a subscriber's
``next`` message showing that vote's ``totalVotes`` is read here.

The figures, per setup:

0. *subscribers opened/s*: ``--subscribers`` over the time to open them all, at most
   ``--connecting`` at once (connect, ``connection_init``, subscribe, first results).
1. *vote, no subscribers*: the ``vote`` round trip on a poll nobody follows
   (``--baseline-votes``, one after the other), median.
2. *1 subscriber*: from sending a vote to its delivery to a lone subscriber (on the
   last hub: across processes for ``redis2``), median of ``--baseline-votes``: the
   floor of the latencies below.
3. *paced*: ``--votes`` votes on the followed poll, each sent once the previous one
   reached every subscriber and ``--gap`` seconds passed. Per vote, the time to all:
   from sending it to its delivery to the last subscriber; median and p99 over the
   votes (with 20 votes the p99 is nearly the slowest). Per delivery, the latency
   from sending the vote; median and p99 over all deliveries (votes x subscribers).
   And the vote's own round trip while the hub fans out.
4. *burst*: ``--burst`` further votes sent one after the other, each as soon as the
   previous one was answered, without waiting for deliveries. Events delivered per
   second: the deliveries of those votes (votes x subscribers when none is lost)
   over the time from sending the first to the last delivery. Beside it, the CPU the
   hub processes used per delivery (``/proc/PID/stat``), and the CPU each hub process
   and this process used meanwhile, as a share of one core: a hub well below 100% on a
   loaded machine was waiting for a core, not for work, as each vote is answered only
   once most of its fan-out is done (figure 3a).

The last column divides ``redis2`` by ``memory``. After each setup the hubs'
``hub_subscribers_dropped`` counters, the subscribers that failed (an error message,
a closed socket) and the votes some subscriber never got within ``--timeout`` are
reported, with the hubs' log lines at WARNING and above; the run stops with an error
if a vote fails, or if results nobody here voted for arrive (another hub publishing
on the same poll's topic through the same Redis). Keep ``--burst`` below
``HUB_SUBSCRIBER_QUEUE`` (256): a subscriber with more events waiting is dropped by
design.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import redis
import uvloop
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from hub.identity import Role
from hub.identity.tokens import DEVELOPMENT_SECRET, mint_development_token
from legacy.running import agencies_file, running_standin

AGENCIES = ("revenue", "immigration", "police")
REDIS_URL = "redis://127.0.0.1:6379/0"
PROTOCOL = "graphql-transport-ws"
HEADERS = {"accept": "application/graphql-response+json"}
SETUPS = ("memory", "redis", "redis2")
LABELS = {"memory": "1 hub, memory", "redis": "1 hub, Redis", "redis2": "2 hubs, Redis"}

CREATE_POLL = """mutation Create($input: CreatePollInput!) {
  createPoll(input: $input) { id options { id } }
}"""
VOTE = """mutation Vote($poll: ID!, $option: ID!) {
  vote(pollId: $poll, optionId: $option) { totalVotes }
}"""
POLL_RESULTS = """subscription Results($poll: ID!) {
  pollResults(pollId: $poll) { pollId totalVotes results { option { label } votes } }
}"""


@dataclass(frozen=True)
class Plan:
    """How much to do, from the command line."""

    subscribers: int
    votes: int
    gap: float
    burst: int
    baseline_votes: int
    timeout: float
    deflate: bool
    connecting: int


# ------------------------------------------------------------------------ the hubs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class ServedHub:
    """``hub serve`` running as a process of its own, its output in ``log``."""

    url: str
    pid: int
    log: Path

    def cpu_seconds(self) -> float:
        """CPU time the process has used so far (user and system, all threads)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def troubles(self) -> list[str]:
        """The log's warnings, errors and tracebacks."""
        pattern = re.compile(r"WARNING|ERROR|CRITICAL|Traceback")
        return [line for line in self.log.read_text().splitlines() if pattern.search(line)]


@contextlib.contextmanager
def served_hubs(work: Path, env: Mapping[str, str], count: int) -> Iterator[list[ServedHub]]:
    """``count`` ``hub serve`` processes with ``env`` (the ``HUB_*`` variables of this
    process left out), started one after the other (the first upgrades the SQLite
    file), stopped when the block ends."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    processes: list[subprocess.Popen[bytes]] = []
    hubs: list[ServedHub] = []
    try:
        for _ in range(count):
            port = free_port()
            log = work / f"hub-{port}.log"
            with log.open("w") as output:
                process = subprocess.Popen(
                    [sys.executable, "-m", "hub", "serve", "--port", str(port)],
                    env={**base, **env},
                    cwd=work,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            processes.append(process)
            hub = ServedHub(f"http://127.0.0.1:{port}", process.pid, log)
            wait_until_up(hub, process)
            hubs.append(hub)
        yield hubs
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_up(hub: ServedHub, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"hub serve exited with {process.returncode}:\n{hub.log.read_text()}"
            )
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{hub.url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"hub serve did not answer {hub.url} within 60 s:\n{hub.log.read_text()}")


async def metric(http: httpx.AsyncClient, hub: ServedHub, name: str) -> float:
    """The value of an unlabelled metric at the hub's ``/metrics``."""
    text = (await http.get(f"{hub.url}/metrics")).text
    found = re.search(rf"^{name} ([0-9.e+-]+)$", text, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"{name} is not in {hub.url}/metrics")
    return float(found.group(1))


async def until_subscribed(
    http: httpx.AsyncClient, hubs: Sequence[ServedHub], counts: Sequence[int], within: float
) -> None:
    """Wait (up to ``within`` seconds) until each hub's bus holds its count of
    subscriptions."""
    deadline = time.monotonic() + within
    for hub, count in zip(hubs, counts, strict=True):
        while (seen := await metric(http, hub, "hub_subscriptions_open")) != count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{hub.url}: {seen:.0f} subscriptions open, expected {count}")
            await asyncio.sleep(0.05)


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except (redis.RedisError, OSError):
        return False


# --------------------------------------------------------------------- the graph


def token(subject: str, role: Role = Role.CITIZEN) -> str:
    """A development token, as ``hub token`` mints it."""
    return mint_development_token(
        DEVELOPMENT_SECRET,
        issuer="citizen-hub",
        audience="citizen-hub",
        subject=subject,
        roles=[role],
    )


async def graphql(
    http: httpx.AsyncClient, hub: ServedHub, query: str, variables: dict[str, Any], bearer: str
) -> dict[str, Any]:
    """The ``data`` of a request to the hub; any error stops the benchmark."""
    response = await http.post(
        f"{hub.url}/graphql",
        json={"query": query, "variables": variables},
        headers={**HEADERS, "authorization": f"Bearer {bearer}"},
    )
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{hub.url} answered {response.status_code}: {body}")
    data: dict[str, Any] = body["data"]
    return data


@dataclass(frozen=True)
class Poll:
    id: str
    option: str
    """The option every vote chooses."""


async def create_poll(http: httpx.AsyncClient, hub: ServedHub, question: str) -> Poll:
    closes = datetime.now(UTC) + timedelta(days=1)
    data = await graphql(
        http,
        hub,
        CREATE_POLL,
        {
            "input": {
                "question": question,
                "options": ["Mornings", "Evenings", "Not at all"],
                "closesAt": closes.isoformat(),
            }
        },
        token("bench-admin", Role.ADMIN),
    )
    created = data["createPoll"]
    return Poll(created["id"], created["options"][0]["id"])


class Voters:
    """Citizens who have not voted yet, each with a token, handed out in turn."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.count = 0

    def fresh(self) -> str:
        self.count += 1
        return token(f"{self.prefix}-{self.count}")


@dataclass(frozen=True)
class Vote:
    total: int
    """The poll's ``totalVotes`` after it, as the mutation answered."""
    sent: float
    answered: float


async def vote(http: httpx.AsyncClient, hub: ServedHub, poll: Poll, voters: Voters) -> Vote:
    bearer = voters.fresh()
    sent = time.perf_counter()
    data = await graphql(http, hub, VOTE, {"poll": poll.id, "option": poll.option}, bearer)
    answered = time.perf_counter()
    return Vote(int(data["vote"]["totalVotes"]), sent, answered)


# ------------------------------------------------------------------- subscribers


class Tally:
    """When each total reached the subscribers of one hub, and a wake-up once it
    reached all ``expected`` of them."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.times: defaultdict[int, list[float]] = defaultdict(list)
        self._reached: defaultdict[int, asyncio.Event] = defaultdict(asyncio.Event)

    def record(self, total: int, at: float) -> None:
        times = self.times[total]
        times.append(at)
        if len(times) == self.expected:
            self._reached[total].set()

    async def reached(self, total: int, within: float) -> bool:
        """Whether every subscriber got ``total`` within ``within`` seconds."""
        try:
            await asyncio.wait_for(self._reached[total].wait(), within)
        except TimeoutError:
            return False
        return True


class Subscriber:
    """One graphql-transport-ws connection following one poll's results."""

    def __init__(self, hub: ServedHub, tally: Tally) -> None:
        self.hub = hub
        self.tally = tally
        self.socket: ClientConnection | None = None
        self.failure: str | None = None
        self.closing = False

    async def open(self, poll: Poll, deflate: bool) -> None:
        """Connect, subscribe, and read the poll's current results."""
        self.socket = await connect(
            self.hub.url.replace("http://", "ws://", 1) + "/graphql",
            subprotocols=[Subprotocol(PROTOCOL)],
            compression="deflate" if deflate else None,
            open_timeout=60,
            ping_interval=None,
        )
        await self.socket.send(orjson.dumps({"type": "connection_init", "payload": {}}).decode())
        ack = orjson.loads(await self.socket.recv())
        if ack != {"type": "connection_ack"}:
            raise RuntimeError(f"{self.hub.url}: expected connection_ack, got {ack}")
        subscribe = {
            "type": "subscribe",
            "id": "1",
            "payload": {"query": POLL_RESULTS, "variables": {"poll": poll.id}},
        }
        await self.socket.send(orjson.dumps(subscribe).decode())
        first = orjson.loads(await self.socket.recv())
        if first.get("type") != "next" or first["payload"].get("errors"):
            raise RuntimeError(f"{self.hub.url}: expected the poll's results, got {first}")

    async def listen(self) -> None:
        """Record each delivery until the socket closes; a failure is kept, not raised."""
        assert self.socket is not None
        try:
            async for raw in self.socket:
                at = time.perf_counter()
                message = orjson.loads(raw)
                payload = message.get("payload") or {}
                if message.get("type") != "next" or payload.get("errors"):
                    self.failure = f"{message.get('type')}: {payload}"
                    return
                self.tally.record(payload["data"]["pollResults"]["totalVotes"], at)
        except ConnectionClosed as exc:
            if not self.closing:
                self.failure = f"closed: {exc}"
            return
        if not self.closing:
            self.failure = "closed by the hub"

    async def close(self) -> None:
        self.closing = True
        if self.socket is not None:
            await self.socket.close()


async def subscribe_all(
    hubs: Sequence[ServedHub], tallies: Sequence[Tally], poll: Poll, plan: Plan, count: int
) -> list[Subscriber]:
    """``count`` subscribers spread evenly over ``hubs``, all subscribed; at most
    ``plan.connecting`` opening at once."""
    subscribers = [Subscriber(hubs[i % len(hubs)], tallies[i % len(hubs)]) for i in range(count)]
    gate = asyncio.Semaphore(plan.connecting)

    async def open_one(subscriber: Subscriber) -> None:
        async with gate:
            await subscriber.open(poll, plan.deflate)

    await asyncio.gather(*(open_one(s) for s in subscribers))
    return subscribers


# ---------------------------------------------------------------------- measuring


def p99(values: Sequence[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


@dataclass
class Measured:
    """One setup's figures (seconds, counts), and what went wrong."""

    hubs: int
    subscribers: int
    vote_bare: float = 0.0
    one_subscriber: float = 0.0
    vote_loaded: float = 0.0
    to_all: list[float] = field(default_factory=list)
    to_all_by_hub: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    burst_votes_per_second: float = 0.0
    delivered_per_second: float = 0.0
    deliveries: int = 0
    expected_deliveries: int = 0
    hub_cpu: list[float] = field(default_factory=list)
    hub_cpu_per_delivery: float = 0.0
    connecting: float = 0.0
    client_cpu: float = 0.0
    missed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    dropped: list[float] = field(default_factory=list)
    troubles: list[str] = field(default_factory=list)


async def baselines(
    http: httpx.AsyncClient, hubs: Sequence[ServedHub], plan: Plan, result: Measured
) -> None:
    """Figures 1 and 2: a vote nobody follows, and a vote one subscriber follows."""
    bare = await create_poll(http, hubs[0], "Should the bench poll have no followers?")
    voters = Voters("bench-bare")
    round_trips = []
    for _ in range(plan.baseline_votes):
        done = await vote(http, hubs[0], bare, voters)
        round_trips.append(done.answered - done.sent)
    result.vote_bare = statistics.median(round_trips)

    lone = await create_poll(http, hubs[0], "Should the bench poll have one follower?")
    tally = Tally(1)
    [subscriber] = await subscribe_all(hubs[-1:], [tally], lone, plan, 1)
    listening = asyncio.create_task(subscriber.listen())
    await until_subscribed(http, hubs[-1:], [1], plan.timeout)
    voters = Voters("bench-lone")
    latencies = []
    for _ in range(plan.baseline_votes):
        done = await vote(http, hubs[0], lone, voters)
        if not await tally.reached(done.total, plan.timeout):
            raise RuntimeError(
                f"the lone subscriber missed vote {done.total}: {subscriber.failure}"
            )
        latencies.append(tally.times[done.total][0] - done.sent)
        await asyncio.sleep(plan.gap)
    await subscriber.close()
    await listening
    result.one_subscriber = statistics.median(latencies)


async def fan_out(
    http: httpx.AsyncClient, hubs: Sequence[ServedHub], plan: Plan, result: Measured
) -> None:
    """Figures 3 and 4 with ``plan.subscribers`` subscribers."""
    poll = await create_poll(http, hubs[0], "When should the market open on Sundays?")
    counts = [len(range(i, plan.subscribers, len(hubs))) for i in range(len(hubs))]
    tallies = [Tally(count) for count in counts]
    await until_subscribed(http, hubs, [0] * len(hubs), plan.timeout)
    started = time.perf_counter()
    subscribers = await subscribe_all(hubs, tallies, poll, plan, plan.subscribers)
    result.connecting = time.perf_counter() - started
    listening = [asyncio.create_task(s.listen()) for s in subscribers]
    try:
        await until_subscribed(http, hubs, counts, plan.timeout)
        voters = Voters("bench-voter")
        await paced(http, hubs[0], poll, voters, tallies, plan, result)
        await burst(http, hubs, poll, voters, tallies, plan, result)
        result.dropped = [await metric(http, hub, "hub_subscribers_dropped_total") for hub in hubs]
    finally:
        await asyncio.gather(*(s.close() for s in subscribers))
        await asyncio.gather(*listening)
    result.failed = [f"{s.hub.url}: {s.failure}" for s in subscribers if s.failure]


async def reached_all(tallies: Sequence[Tally], total: int, within: float) -> bool:
    reached = await asyncio.gather(*(t.reached(total, within) for t in tallies))
    return all(reached)


def stranger(poll: Poll, total: int) -> RuntimeError:
    return RuntimeError(
        f"results of {poll.id} with totalVotes {total} arrived before the vote was sent, or "
        "more often than there are subscribers: another hub publishes on the same poll's "
        f"topic through {REDIS_URL}? Run again when it is done"
    )


async def paced(
    http: httpx.AsyncClient,
    hub: ServedHub,
    poll: Poll,
    voters: Voters,
    tallies: Sequence[Tally],
    plan: Plan,
    result: Measured,
) -> None:
    """Figure 3: one vote at a time, each once the previous one reached everyone."""
    by_hub: list[list[float]] = [[] for _ in tallies]
    round_trips = []
    for _ in range(plan.votes):
        done = await vote(http, hub, poll, voters)
        round_trips.append(done.answered - done.sent)
        if not await reached_all(tallies, done.total, plan.timeout):
            got = sum(len(t.times[done.total]) for t in tallies)
            result.missed.append(
                f"paced vote {done.total}: {got} of {plan.subscribers} subscribers "
                f"within {plan.timeout:.0f} s"
            )
        else:
            lasts = [max(t.times[done.total]) - done.sent for t in tallies]
            result.to_all.append(max(lasts))
            for times, last in zip(by_hub, lasts, strict=True):
                times.append(last)
        latencies = [at - done.sent for t in tallies for at in t.times[done.total]]
        if min(latencies, default=0.0) < 0 or len(latencies) > plan.subscribers:
            raise stranger(poll, done.total)
        result.latencies += latencies
        await asyncio.sleep(plan.gap)
    result.vote_loaded = statistics.median(round_trips)
    result.to_all_by_hub = [statistics.median(times) for times in by_hub if times]


async def burst(
    http: httpx.AsyncClient,
    hubs: Sequence[ServedHub],
    poll: Poll,
    voters: Voters,
    tallies: Sequence[Tally],
    plan: Plan,
    result: Measured,
) -> None:
    """Figure 4: votes as fast as one client sends them; deliveries a second."""
    hub_cpu = [hub.cpu_seconds() for hub in hubs]
    client_cpu = time.process_time()
    started = time.perf_counter()
    totals = [(await vote(http, hubs[0], poll, voters)).total for _ in range(plan.burst)]
    sent = time.perf_counter()
    if totals != list(range(totals[0], totals[0] + plan.burst)):
        raise RuntimeError(f"the burst's votes did not count up one by one: {totals}")
    if not await reached_all(tallies, totals[-1], plan.timeout):
        got = sum(len(t.times[totals[-1]]) for t in tallies)
        result.missed.append(
            f"last burst vote {totals[-1]}: {got} of {plan.subscribers} subscribers "
            f"within {plan.timeout:.0f} s"
        )
    times = [at for t in tallies for total in totals for at in t.times[total]]
    if not times:
        raise RuntimeError(f"no subscriber got any of the burst's {plan.burst} votes")
    if min(times) < started or len(times) > plan.burst * plan.subscribers:
        raise stranger(poll, totals[0])
    ended = max(times)
    spent = [hub.cpu_seconds() - before for hub, before in zip(hubs, hub_cpu, strict=True)]
    wall = time.perf_counter() - started
    result.hub_cpu = [seconds / wall for seconds in spent]
    result.hub_cpu_per_delivery = sum(spent) / len(times)
    result.client_cpu = (time.process_time() - client_cpu) / wall
    result.burst_votes_per_second = plan.burst / (sent - started)
    result.deliveries = len(times)
    result.expected_deliveries = plan.burst * plan.subscribers
    result.delivered_per_second = len(times) / (ended - started)


async def measure(setup: str, plan: Plan, work: Path, agencies: Path) -> Measured:
    """Every figure of one setup, on hubs started for it."""
    hubs_wanted = 2 if setup == "redis2" else 1
    env = {
        "HUB_AGENCIES_FILE": str(agencies),
        "HUB_ENV_FILE": str(work / "no.env"),
        "HUB_DATABASE_URL": f"sqlite+aiosqlite:///{work / f'hub-{setup}.db'}",
        "HUB_ASSERTION_KEY_FILE": str(work / "hub-assertion-key.pem"),
        "HUB_EVENTS_URL": "memory://" if setup == "memory" else REDIS_URL,
        "HUB_RATE_LIMIT_BURST": "0",
        "HUB_WORKERS_IN_SERVE": "false",
    }
    result = Measured(hubs=hubs_wanted, subscribers=plan.subscribers)
    with served_hubs(work, env, hubs_wanted) as hubs:
        async with httpx.AsyncClient(timeout=plan.timeout) as http:
            await baselines(http, hubs, plan, result)
            await fan_out(http, hubs, plan, result)
    result.troubles = [f"{hub.url}: {line}" for hub in hubs for line in hub.troubles()]
    return result


# ---------------------------------------------------------------------- reporting


def rows(results: Mapping[str, Measured]) -> list[tuple[str, dict[str, str], str]]:
    """The table: a measure, its value per setup, and redis2 / memory where it means
    something."""

    def line(
        measure: str,
        value: Callable[[Measured], str],
        number: Callable[[Measured], float] | None = None,
    ) -> tuple[str, dict[str, str], str]:
        values = {setup: value(m) for setup, m in results.items()}
        ratio = "-"
        if number is not None and "memory" in results and "redis2" in results:
            base = number(results["memory"])
            ratio = f"{number(results['redis2']) / base:.2f}" if base else "-"
        return measure, values, ratio

    def pct(values: Sequence[float]) -> str:
        return " + ".join(f"{v * 100:.0f}%" for v in values)

    return [
        line("hub processes x subscribers each", lambda m: f"{m.hubs} x {m.subscribers // m.hubs}"),
        line(
            "0. subscribers opened and subscribed/s",
            lambda m: f"{m.subscribers / m.connecting:.0f}",
            lambda m: m.subscribers / m.connecting,
        ),
        line(
            "1. vote round trip, no subscribers", lambda m: ms(m.vote_bare), lambda m: m.vote_bare
        ),
        line(
            "2. 1 subscriber: vote sent -> delivered",
            lambda m: ms(m.one_subscriber),
            lambda m: m.one_subscriber,
        ),
        line(
            "3a. vote round trip while fanning out",
            lambda m: ms(m.vote_loaded),
            lambda m: m.vote_loaded,
        ),
        line(
            "3b. time to all subscribers, median",
            lambda m: ms(statistics.median(m.to_all)) if m.to_all else "-",
            lambda m: statistics.median(m.to_all) if m.to_all else 0,
        ),
        line(
            "3c. time to all subscribers, p99",
            lambda m: ms(p99(m.to_all)) if m.to_all else "-",
            lambda m: p99(m.to_all) if m.to_all else 0,
        ),
        line(
            "3d. per-subscriber latency, median",
            lambda m: ms(statistics.median(m.latencies)),
            lambda m: statistics.median(m.latencies),
        ),
        line(
            "3e. per-subscriber latency, p99",
            lambda m: ms(p99(m.latencies)),
            lambda m: p99(m.latencies),
        ),
        line(
            "4a. burst: events delivered/s",
            lambda m: f"{m.delivered_per_second:,.0f}",
            lambda m: m.delivered_per_second,
        ),
        line(
            "4b. burst: deliveries / expected",
            lambda m: f"{m.deliveries:,} / {m.expected_deliveries:,}",
        ),
        line(
            "4c. burst: votes sent/s",
            lambda m: f"{m.burst_votes_per_second:.1f}",
            lambda m: m.burst_votes_per_second,
        ),
        line(
            "4d. burst: hub CPU per delivery",
            lambda m: f"{m.hub_cpu_per_delivery * 1e6:.0f} µs",
            lambda m: m.hub_cpu_per_delivery,
        ),
        line("4e. burst: hub CPU (one core = 100%)", lambda m: pct(m.hub_cpu)),
        line("4f. burst: this process's CPU", lambda m: pct([m.client_cpu])),
        line(
            "subscribers dropped (/metrics)",
            lambda m: " + ".join(f"{d:.0f}" for d in m.dropped),
        ),
        line("subscribers failed / votes missed", lambda m: f"{len(m.failed)} / {len(m.missed)}"),
    ]


def table(results: Mapping[str, Measured]) -> str:
    header = ("measure", *(LABELS[s] for s in results), "2 hubs / 1 hub (memory)")
    cells = [header] + [
        (measure, *(values[s] for s in results), ratio) for measure, values, ratio in rows(results)
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def problems(results: Mapping[str, Measured]) -> list[str]:
    found = []
    for setup, m in results.items():
        by_hub = ", ".join(ms(t) for t in m.to_all_by_hub)
        if len(m.to_all_by_hub) > 1:
            found.append(f"{LABELS[setup]}: time to all, median per hub: {by_hub}")
        for what, items in (("failed", m.failed), ("missed", m.missed), ("log", m.troubles)):
            for item in items[:5]:
                found.append(f"{LABELS[setup]}: {what}: {item}")
            if len(items) > 5:
                found.append(f"{LABELS[setup]}: {what}: ... and {len(items) - 5} more")
    return found


# ----------------------------------------------------------------------------- run


async def run(plan: Plan, setups: Sequence[str]) -> tuple[dict[str, Measured], list[str]]:
    notes: list[str] = []
    if any(s != "memory" for s in setups) and not redis_reachable():
        notes.append(f"Redis not reachable at {REDIS_URL}: its setups skipped")
        setups = [s for s in setups if s == "memory"]
    results: dict[str, Measured] = {}
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-events-")))
        standins = {name: stack.enter_context(running_standin(name)) for name in AGENCIES}
        agencies = agencies_file(work / "agencies.yaml", standins)
        for setup in setups:
            started = time.perf_counter()
            results[setup] = await measure(setup, plan, work, agencies)
            notes.append(f"{LABELS[setup]}: {time.perf_counter() - started:.0f} s")
    return results, notes


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Benchmark poll results delivered to WebSocket subscribers."
    )
    parser.add_argument("--subscribers", type=int, default=1000, help="in all (default 1000)")
    parser.add_argument("--votes", type=int, default=20, help="paced votes (default 20)")
    parser.add_argument(
        "--gap", type=float, default=0.1, help="seconds between paced votes (default 0.1)"
    )
    parser.add_argument(
        "--burst", type=int, default=30, help="votes sent back to back (default 30; keep < 256)"
    )
    parser.add_argument(
        "--baseline-votes", type=int, default=20, help="votes per baseline (default 20)"
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds to wait for a delivery (default 60)"
    )
    parser.add_argument("--no-deflate", action="store_true", help="do not offer compression")
    parser.add_argument(
        "--connecting", type=int, default=50, help="subscribers opening at once (default 50)"
    )
    parser.add_argument(
        "--setups",
        default=",".join(SETUPS),
        help=f"comma-separated, of {', '.join(SETUPS)} (default: all)",
    )
    args = parser.parse_args()
    setups = [s for s in args.setups.split(",") if s]
    if unknown := set(setups) - set(SETUPS):
        parser.error(f"unknown setups {sorted(unknown)}; choose from {', '.join(SETUPS)}")
    if args.subscribers < 2 or args.votes < 1 or args.burst < 1 or args.baseline_votes < 1:
        parser.error("--subscribers must be at least 2; --votes, --burst, --baseline-votes 1")
    plan = Plan(
        subscribers=args.subscribers,
        votes=args.votes,
        gap=args.gap,
        burst=args.burst,
        baseline_votes=args.baseline_votes,
        timeout=args.timeout,
        deflate=not args.no_deflate,
        connecting=args.connecting,
    )
    started = time.perf_counter()
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        results, notes = runner.run(run(plan, setups))
    print(
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}; "
        f"load average {load_before} before, {' '.join(f'{x:.1f}' for x in os.getloadavg())} after"
    )
    print(
        "hub serve processes (uvicorn, 1 worker, SQLite); subscribers and votes from this "
        f"process (websockets on uvloop, deflate {'on' if plan.deflate else 'off'}); "
        f"{plan.votes} paced votes ({plan.gap:g} s gap), burst of {plan.burst}, "
        f"{plan.baseline_votes} per baseline"
    )
    print(table(results))
    for line in problems(results):
        print(line)
    print("; ".join(notes) + f"; run took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
