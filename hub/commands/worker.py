"""``hub worker``: the ticket workers alone, without serving the graph.

Runs delivery, status sync and the SLA watch (:mod:`hub.tickets.worker`) over the hub's
database until SIGINT or SIGTERM. Run one or several beside ``hub serve`` processes
started with ``HUB_WORKERS_IN_SERVE=false``; on PostgreSQL any number may run at once.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import Any

from hub.agencies import AgencyRegistry, load_configuration
from hub.database import open_database
from hub.gateway import Guard
from hub.logs import configure_logging
from hub.settings import Settings
from hub.tickets import RoutingRules, TicketStore
from hub.tickets.worker import TicketWorkers, WorkerOptions

EXIT_CONFIG = 2


def register(commands: Any) -> None:
    """Add ``hub worker`` to the sub-command parsers ``commands``."""
    worker = commands.add_parser(
        "worker",
        help="run the ticket workers (delivery, status sync, SLA watch) without serving",
        description="Deliver tickets to agencies, read their updates back and watch SLAs, "
        "over HUB_DATABASE_URL and the agencies file, until interrupted (SIGINT, SIGTERM). "
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
    if configuration.ticket_routing is None:
        return _refuse(
            f"{settings.agencies_file} has no ticket_routing: block, so the hub takes no "
            "tickets and there is no work; add one, as the demo config/agencies.yaml has"
        )
    definitions = configuration.definitions
    rules = RoutingRules([d.config for d in definitions], configuration.ticket_routing)
    try:
        registry = AgencyRegistry(definitions, assertion_signer(settings))
        options.check(registry)
    except ValueError as exc:
        return _refuse(str(exc))
    asyncio.run(_work(settings, registry, rules, options))
    return 0


def _refuse(problem: str) -> int:
    print(f"hub worker: {problem}", file=sys.stderr)
    return EXIT_CONFIG


async def _work(
    settings: Settings, registry: AgencyRegistry, rules: RoutingRules, options: WorkerOptions
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    engine = await open_database(settings)
    try:
        await registry.open()
        try:
            store = TicketStore(engine, rules)
            async with TicketWorkers(store, registry, Guard(registry), options):
                print("hub worker: delivering tickets, syncing statuses, watching SLAs", flush=True)
                await stop.wait()
        finally:
            await registry.close()
    finally:
        await engine.dispose()
    print("hub worker: stopped", flush=True)


__all__ = ["register", "run"]
