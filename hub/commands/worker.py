"""``hub worker``: the ticket workers and the agency watchers, without serving the graph.

Runs delivery, status sync and the SLA watch (:mod:`hub.tickets.worker`) over the hub's
database until SIGINT or SIGTERM, and the watchers of the agencies file's ``watch:``
blocks (:mod:`hub.watch`) when events reach the serving processes, that is when
``HUB_EVENTS_URL`` (or ``HUB_CACHE_URL``) is a Redis. Run one or several beside ``hub
serve`` processes started with ``HUB_WORKERS_IN_SERVE=false``; on PostgreSQL any number
may run at once.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from contextlib import AsyncExitStack
from typing import Any

from hub.agencies import AgencyRegistry, load_configuration
from hub.database import open_database
from hub.events import open_event_bus
from hub.gateway import Guard
from hub.logs import configure_logging
from hub.settings import Settings
from hub.tickets import RoutingRules, TicketStore
from hub.tickets.worker import TicketWorkers, WorkerOptions
from hub.watch import MarkStore, Watchers

EXIT_CONFIG = 2


def register(commands: Any) -> None:
    """Add ``hub worker`` to the sub-command parsers ``commands``."""
    worker = commands.add_parser(
        "worker",
        help="run the ticket workers (delivery, status sync, SLA watch) and the agency "
        "watchers without serving",
        description="Deliver tickets to agencies, read their updates back and watch SLAs, "
        "over HUB_DATABASE_URL and the agencies file, until interrupted (SIGINT, SIGTERM); "
        "watch agencies for new and changed records when HUB_EVENTS_URL is a Redis. "
        "Pacing: HUB_WORKER_* settings.",
    )
    worker.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the workers until SIGINT or SIGTERM; 2 when the configuration is unusable."""
    from hub.app import assertion_signer  # the graph's modules load only when needed

    settings = Settings()
    configure_logging(settings.log_level.value, settings.log_format.value)
    try:
        options = WorkerOptions.from_settings(settings)
    except ValueError as exc:
        return _refuse(str(exc))
    configuration = load_configuration(settings.agencies_file, env_file=settings.env_file)
    definitions = configuration.definitions
    watching = any(d.config.watch.intervals() for d in definitions)
    if configuration.ticket_routing is None and not (watching and _shared_events(settings)):
        return _refuse(
            f"{settings.agencies_file} has no ticket_routing: block, so the hub takes no "
            "tickets and there is no work; add one, as the demo config/agencies.yaml has"
        )
    rules = (
        None
        if configuration.ticket_routing is None
        else RoutingRules([d.config for d in definitions], configuration.ticket_routing)
    )
    try:
        registry = AgencyRegistry(definitions, assertion_signer(settings))
        options.check(registry)
    except ValueError as exc:
        return _refuse(str(exc))
    asyncio.run(_work(settings, registry, rules, options, watching=watching))
    return 0


def _refuse(problem: str) -> int:
    print(f"hub worker: {problem}", file=sys.stderr)
    return EXIT_CONFIG


def _shared_events(settings: Settings) -> bool:
    """Whether events published here reach other processes' subscribers."""
    return not settings.events_backend.startswith("memory:")


async def _work(
    settings: Settings,
    registry: AgencyRegistry,
    rules: RoutingRules | None,
    options: WorkerOptions,
    *,
    watching: bool,
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    engine = await open_database(settings)
    try:
        await registry.open()
        try:
            guard = Guard(registry)
            async with AsyncExitStack() as running:
                bus = None
                if _shared_events(settings):
                    bus = open_event_bus(settings.events_backend, settings.subscriber_queue)
                    await bus.start()
                    running.push_async_callback(bus.close)
                if rules is not None:
                    store = TicketStore(engine, rules, events=bus)
                    await running.enter_async_context(
                        TicketWorkers(store, registry, guard, options, events=bus)
                    )
                    print(
                        "hub worker: delivering tickets, syncing statuses, watching SLAs",
                        flush=True,
                    )
                if watching and bus is not None:
                    watchers = Watchers(
                        registry,
                        guard,
                        MarkStore(engine),
                        bus,
                        backoff_max=settings.worker_retry_max,
                    )
                    await running.enter_async_context(watchers)
                    print("hub worker: watching agencies for new and changed records", flush=True)
                elif watching:
                    print(
                        "hub worker: not watching agencies: with HUB_EVENTS_URL memory:// their "
                        "events would reach no subscriber; set it to the Redis of the hub serve "
                        "processes, or let those watch (HUB_WORKERS_IN_SERVE=true)",
                        file=sys.stderr,
                        flush=True,
                    )
                await stop.wait()
        finally:
            await registry.close()
    finally:
        await engine.dispose()
    print("hub worker: stopped", flush=True)


__all__ = ["register", "run"]
