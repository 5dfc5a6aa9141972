"""Benchmark of the portal home query: ``.venv/bin/python -m bench.portal [--quick]``.

Everything runs on loopback in one process, in one run, and the table printed at the
end holds ratios only: machines here are shared and noisy, so each figure compares
two things measured side by side rather than a time against a fixed target.

Set-up: the three stand-ins (revenue SOAP, immigration REST, police database) and four
hubs (``create_app``, without rate limits or ticket workers) are served by uvicorn
through ``legacy.BackgroundServer``, each in a thread of this process. One hub has
caching off (every ``cache_ttl`` 0), the others the default TTLs: one as configured by
default (answer, document and response caches), one without the response cache, one
without the response and document caches; all use ``memory://``. The police stand-in
runs on PostgreSQL behind its fault proxy when 127.0.0.1:5432 answers (a fresh
database, dropped afterwards), else on SQLite, where no latency can be added (the
output says which). Every stand-in answers after 50 ms (``PUT /_faults``).

The portal home query asks for the first 10 services, news, vacancies and bids of all
agencies. The figures:

1. fan-out: median latency of the portal query on the uncached hub, one client, N
   queries in sequence, over the median latency of the slowest single upstream call
   (each agency's connector called directly, each capability N times, interleaved
   with the hub queries). 1.0 would mean the hub adds nothing to its slowest call.
2. upstream calls per portal query: uncached, one per agency and capability (counted
   from ``/_stats`` for the HTTP stand-ins and from the guard's ``calls`` for
   police); with a warm cache, none.
3. throughput: req/s of the warm-cached hub answering the portal query (anonymous, so
   from the response cache) over req/s of a bare Strawberry app answering
   ``{ __typename }``, both served the same way and loaded by 32 concurrent keep-alive
   connections from ``bench.load``, a small asyncio HTTP/1.1 client in a separate
   process (``httpx.AsyncClient`` capped near 300 req/s here, so it measured itself);
   req/s are means of rounds in which every server is loaded in turn.
   3b. the same for the hub without the response cache (what a caller with a token, or
   a query that cannot be kept, gets: answer and document caches only).
   3c. the document cache: req/s of the hub without the response cache over req/s of
   the hub without the response and the document caches.
4. one agency down: with revenue down and its breaker open (uncached hub), the
   portal query's median latency over the all-healthy median measured just before.
5. memory: resident size (``VmRSS`` of this process, which hosts the hubs and the
   stand-ins) after 20,000 requests to the cached hub over that after 1,000
   (``--quick``: 5,000 over 500).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL

from hub.agencies import AgencyRegistry, load_agencies
from hub.app import create_app
from hub.gateway.fanout import QUERY_TYPES, Listing
from hub.resilience import BreakerState
from hub.settings import Settings
from legacy import BackgroundServer, StandInOptions
from legacy.running import RunningStandIn, agencies_file, running_standin

ROOT = Path(__file__).resolve().parents[1]
AGENCIES = ("revenue", "immigration", "police")
LISTINGS: tuple[Listing, ...] = ("services", "news", "vacancies", "bids")
LATENCY = 0.05
CONCURRENCY = 32
POSTGRES = ("127.0.0.1", 5432)
DOWN_AGENCY = "revenue"
HEADERS = {"accept": "application/graphql-response+json"}
WITHOUT_RESPONSES = {"response_cache": False}
WITHOUT_EITHER = {"response_cache": False, "document_cache_size": 0}

PORTAL_QUERY = """{
  services(first: 10) { edges { node { id title } } }
  news(first: 10) { edges { node { id title } } }
  vacancies(first: 10) { edges { node { id title } } }
  bids(first: 10) { edges { node { id title } } }
}"""
BARE_QUERY = "{ __typename }"


@dataclass(frozen=True)
class Plan:
    """How much to do: the full run or ``--quick``."""

    sequential: int
    """Portal queries in sequence (figures 1 and 4), and direct calls per capability."""
    counted: int
    """Portal queries whose upstream calls are counted (figure 2)."""
    throughput_rounds: int
    throughput_requests: int
    """Requests per round, for the hub and for the bare app each."""
    memory_first: int
    memory_last: int


FULL = Plan(20, 5, 2, 3000, 1000, 20000)
QUICK = Plan(10, 3, 2, 1000, 500, 5000)


@dataclass
class Row:
    measure: str
    value: str
    target: str
    met: bool | None


# ------------------------------------------------------------------ stand-ins and hubs


def postgres_reachable() -> bool:
    try:
        with socket.create_connection(POSTGRES, 2):
            return True
    except OSError:
        return False


@contextlib.asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database for the police stand-in, dropped afterwards."""
    name = f"bench_portal_{os.getpid()}"
    admin = f"postgresql://postgres@{POSTGRES[0]}:{POSTGRES[1]}/postgres"
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    try:
        yield f"postgresql+asyncpg://postgres@{POSTGRES[0]}:{POSTGRES[1]}/{name}"
    finally:
        connection = await asyncpg.connect(admin)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()


UNCACHED = {
    "cache_ttl": dict.fromkeys(LISTINGS, 0),
    "breaker": {"failure_threshold": 5, "open_seconds": 600},
}


def hub_app(agencies: Path, env_file: Path, **options: Any) -> Starlette:
    """A hub over the agencies file ``agencies``, with ``options`` as settings. Rate
    limits are off (every request of the benchmark comes from one address), and so are
    the ticket workers, whose calls to agencies would be counted in figure 2."""
    return create_app(
        Settings(
            agencies_file=agencies,
            env_file=env_file,
            rate_limit_burst=0,
            workers_in_serve=False,
            **options,
        )
    )


def bare_app() -> Starlette:
    """The smallest Strawberry app served like the hub: the throughput baseline."""

    @strawberry.type
    class Query:
        @strawberry.field
        def ok(self) -> bool:
            return True

    graphql: GraphQL[None, None] = GraphQL(strawberry.Schema(query=Query))
    return Starlette(routes=[Route("/graphql", graphql)])


# ------------------------------------------------------------------------ measuring


def rss_mib() -> float:
    """This process's resident size, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


async def portal(client: httpx.AsyncClient, url: str) -> tuple[float, dict[str, Any]]:
    """Seconds one portal query took, and its decoded body."""
    started = time.perf_counter()
    response = await client.post(f"{url}/graphql", json={"query": PORTAL_QUERY}, headers=HEADERS)
    seconds = time.perf_counter() - started
    body: dict[str, Any] = response.json()
    return seconds, body


def errors_of(body: Mapping[str, Any]) -> list[str]:
    return [str(error.get("message")) for error in body.get("errors") or []]


def check_complete(body: Mapping[str, Any]) -> None:
    """Fail loudly if the portal query did not answer in full."""
    if errors_of(body):
        raise RuntimeError(f"portal query failed: {errors_of(body)}")
    if any(not body["data"][listing]["edges"] for listing in LISTINGS):
        raise RuntimeError(f"portal query returned an empty listing: {body}")


async def load(url: str, query: str, requests: int) -> dict[str, float]:
    """Run ``bench.load`` against ``url`` in its own process and return its counts."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.load",
        f"{url}/graphql",
        json.dumps({"query": query}),
        "--concurrency",
        str(CONCURRENCY),
        "--requests",
        str(requests),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=300)
    if process.returncode != 0:
        raise RuntimeError(f"bench.load exited with {process.returncode}")
    result: dict[str, float] = json.loads(out)
    if result["failures"]:
        raise RuntimeError(f"{result['failures']:.0f} failed requests to {url}")
    return result


def throughput_rows(means: Mapping[str, float]) -> list[Row]:
    """Figures 3, 3b and 3c from the mean req/s of each server."""
    hub, bare = means["hub"], means["bare"]
    without_responses, without_either = means["without responses"], means["without either"]
    return [
        Row(
            f"3. throughput hub/bare, warm cache, {CONCURRENCY} clients",
            f"{hub / bare:.2f} (hub {hub:.0f} req/s / bare {bare:.0f} req/s)",
            ">= 1.0",
            hub / bare >= 1.0,
        ),
        Row(
            "3b. the same, response cache off",
            f"{without_responses / bare:.2f} (hub {without_responses:.0f} req/s)",
            "-",
            None,
        ),
        Row(
            "3c. document cache on/off, response cache off",
            f"{without_responses / without_either:.2f} ({without_responses:.0f} req/s / "
            f"{without_either:.0f} req/s)",
            "> 1.0",
            without_responses > without_either,
        ),
    ]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


async def fan_out(
    plan: Plan, client: httpx.AsyncClient, hub_url: str, path: Path, env_file: Path
) -> tuple[Row, float]:
    """Figure 1; also returns the hub's median, the all-healthy baseline."""
    registry = AgencyRegistry(load_agencies(path, env_file=env_file))
    await registry.open()
    direct: dict[str, list[float]] = {}
    hub: list[float] = []
    try:
        for _ in range(2):  # warm connections and pools on both sides
            check_complete((await portal(client, hub_url))[1])
        for _ in range(plan.sequential):
            seconds, body = await portal(client, hub_url)
            check_complete(body)
            hub.append(seconds)
            for runtime in registry:
                for listing in LISTINGS:
                    if not runtime.serves(listing):
                        continue
                    method = getattr(runtime.connector, listing)
                    started = time.perf_counter()
                    await method(QUERY_TYPES[listing](limit=1000))
                    direct.setdefault(f"{runtime.id}.{listing}", []).append(
                        time.perf_counter() - started
                    )
    finally:
        await registry.close()
    medians = {call: statistics.median(times) for call, times in direct.items()}
    slowest = max(medians, key=medians.__getitem__)
    hub_median = statistics.median(hub)
    ratio = hub_median / medians[slowest]
    value = f"{ratio:.2f} (hub {ms(hub_median)} / {slowest} {ms(medians[slowest])})"
    row = Row(f"1. fan-out, cache off, N={plan.sequential}", value, "<= 1.2", ratio <= 1.2)
    return row, hub_median


def expected_calls(app: Starlette) -> dict[str, int]:
    registry: AgencyRegistry = app.state.registry
    return {r.id: sum(r.serves(listing) for listing in LISTINGS) for r in registry}


async def calls_per_query(
    plan: Plan,
    client: httpx.AsyncClient,
    app: Starlette,
    url: str,
    standins: Mapping[str, RunningStandIn],
) -> dict[str, float]:
    """Upstream calls per portal query to each agency, averaged over ``plan.counted``."""
    guard = app.state.gateway.guard
    for name in ("revenue", "immigration"):
        standins[name].reset_served()
    police_before = guard.status("police").calls
    for _ in range(plan.counted):
        check_complete((await portal(client, url))[1])
    counts = {
        "revenue": standins["revenue"].served(),
        "immigration": standins["immigration"].served(),
        "police": guard.status("police").calls - police_before,
    }
    return {agency: count / plan.counted for agency, count in counts.items()}


def calls_row(measure: str, got: Mapping[str, float], want: Mapping[str, int]) -> Row:
    value = ", ".join(f"{agency} {got[agency]:g}" for agency in AGENCIES)
    target = ", ".join(f"{agency} {want[agency]}" for agency in AGENCIES)
    return Row(measure, value, target, all(got[a] == want[a] for a in AGENCIES))


async def one_agency_down(
    plan: Plan,
    client: httpx.AsyncClient,
    app: Starlette,
    url: str,
    standin: RunningStandIn,
) -> Row:
    """Figure 4: portal latency with ``standin`` down and its breaker open."""
    healthy = []
    for _ in range(plan.sequential):
        seconds, body = await portal(client, url)
        check_complete(body)
        healthy.append(seconds)
    standin.set_faults(down=True)
    guard = app.state.gateway.guard
    for _ in range(50):
        await portal(client, url)
        if guard.status(standin.name).breaker is BreakerState.OPEN:
            break
    else:
        raise RuntimeError(f"{standin.name}'s breaker did not open")
    degraded = []
    for _ in range(plan.sequential):
        seconds, body = await portal(client, url)
        if not errors_of(body):
            raise RuntimeError("the portal query hid the agency that is down")
        degraded.append(seconds)
    if guard.status(standin.name).breaker is not BreakerState.OPEN:
        raise RuntimeError(f"{standin.name}'s breaker closed during the measurement")
    standin.set_faults(down=False)
    ratio = statistics.median(degraded) / statistics.median(healthy)
    value = f"{ratio:.2f} ({ms(statistics.median(degraded))} / {ms(statistics.median(healthy))})"
    return Row(f"4. {standin.name} down, breaker open / healthy", value, "<= 1.2", ratio <= 1.2)


# ----------------------------------------------------------------------------- run


async def run(plan: Plan, quick: bool) -> tuple[list[Row], list[str]]:
    notes: list[str] = []
    on_postgres = postgres_reachable()
    async with contextlib.AsyncExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        env_file = work / "no.env"
        police = StandInOptions()
        if on_postgres:
            police.database_url = await stack.enter_async_context(fresh_database())
            notes.append("police: PostgreSQL 127.0.0.1:5432 (fresh database) behind its proxy")
        else:
            police.database_url = f"sqlite+aiosqlite:///{work / 'police.db'}"
            notes.append("police: SQLite, NO added latency (PostgreSQL not reachable)")
        standins = {
            name: stack.enter_context(
                running_standin(name, police if name == "police" else StandInOptions())
            )
            for name in AGENCIES
        }
        for standin in standins.values():
            if standin.name != "police" or on_postgres:
                standin.set_faults(latency=LATENCY)

        uncached_file = agencies_file(
            work / "uncached.yaml", standins, dict.fromkeys(AGENCIES, UNCACHED)
        )
        cached_file = agencies_file(work / "cached.yaml", standins)
        uncached = hub_app(uncached_file, env_file)
        cached = hub_app(cached_file, env_file)
        uncached_url = stack.enter_context(BackgroundServer(uncached)).url
        cached_url = stack.enter_context(BackgroundServer(cached)).url
        variants = {
            name: stack.enter_context(
                BackgroundServer(hub_app(cached_file, env_file, **options))
            ).url
            for name, options in (
                ("without responses", WITHOUT_RESPONSES),
                ("without either", WITHOUT_EITHER),
            )
        }
        bare_url = stack.enter_context(BackgroundServer(bare_app())).url
        client = await stack.enter_async_context(httpx.AsyncClient(timeout=30))

        rows: list[Row] = []
        fan_row, _ = await fan_out(plan, client, uncached_url, uncached_file, env_file)
        rows.append(fan_row)

        want = expected_calls(uncached)
        got = await calls_per_query(plan, client, uncached, uncached_url, standins)
        rows.append(calls_row("2a. upstream calls/query, cache off", got, want))
        check_complete((await portal(client, cached_url))[1])  # warm the cache
        got = await calls_per_query(plan, client, cached, cached_url, standins)
        rows.append(calls_row("2b. upstream calls/query, warm cache", got, dict.fromkeys(want, 0)))
        sent = 1 + plan.counted
        for url in variants.values():  # warm their caches before memory is first read
            check_complete((await portal(client, url))[1])
            await load(url, PORTAL_QUERY, plan.throughput_requests // 10)

        await load(cached_url, PORTAL_QUERY, plan.memory_first - sent)
        sent = plan.memory_first
        rss_first = rss_mib()

        await load(bare_url, BARE_QUERY, plan.throughput_requests // 4)  # warm the bare app
        servers = {"hub": (cached_url, PORTAL_QUERY), "bare": (bare_url, BARE_QUERY)}
        servers.update((name, (url, PORTAL_QUERY)) for name, url in variants.items())
        rps: dict[str, list[float]] = {name: [] for name in servers}
        for _ in range(plan.throughput_rounds):
            for name, (url, query) in servers.items():
                rps[name].append((await load(url, query, plan.throughput_requests))["rps"])
            sent += plan.throughput_requests
        means = {name: statistics.mean(values) for name, values in rps.items()}
        rows.extend(throughput_rows(means))

        await load(cached_url, PORTAL_QUERY, plan.memory_last - sent)
        rss_last = rss_mib()
        ratio = rss_last / rss_first
        rows.append(
            Row(
                f"5. RSS after {plan.memory_last:,} / after {plan.memory_first:,} requests",
                f"{ratio:.2f} ({rss_last:.1f} MiB / {rss_first:.1f} MiB)",
                "<= 1.1",
                ratio <= 1.1,
            )
        )

        rows.append(
            await one_agency_down(plan, client, uncached, uncached_url, standins[DOWN_AGENCY])
        )
        rows.sort(key=lambda row: row.measure)
    if quick:
        notes.append("--quick: fewer queries and requests than the full run")
    return rows, notes


def table(rows: list[Row]) -> str:
    header = ("measure", "value", "target", "met?")
    cells = [header] + [
        (r.measure, r.value, r.target, "-" if r.met is None else "yes" if r.met else "NO")
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the portal home query.")
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    started = time.perf_counter()
    rows, notes = asyncio.run(run(plan, args.quick))
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(
        "served by uvicorn (legacy.BackgroundServer) in threads of this process; "
        "load from bench.load (raw asyncio HTTP/1.1 keep-alive client) in a separate process"
    )
    print(f"stand-in latency {LATENCY * 1000:.0f} ms; " + "; ".join(notes))
    print(table(rows))
    print(f"run took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
