"""The ``hub`` command: serve, demo, agencies, cache, token, db, schema, legacy."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

import uvicorn

from hub.agencies import AgencyRegistry, ConfigError, load_agencies
from hub.commands import db, token, worker
from hub.identity.setup import check_identity_settings
from hub.logs import configure_logging
from hub.settings import Settings

EXIT_CONFIG = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``hub`` command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except ConfigError as exc:
        print("The hub cannot start; fix these problems first:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_CONFIG
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hub", description="Citizen Hub: one graph, many agencies."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the hub (HUB_* settings, .env)")
    serve.add_argument("--host", help="address to bind (default: HUB_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: HUB_PORT or 8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.set_defaults(run=_serve)

    demo = commands.add_parser("demo", help="serve the hub over the three demo stand-ins")
    demo.add_argument("--port", type=int, help="the hub's port (default: HUB_PORT or 8000)")
    demo.add_argument(
        "--legacy-port-base",
        type=int,
        default=8101,
        help="first of three ports for the stand-ins (default 8101)",
    )
    demo.set_defaults(run=_demo)

    agencies = commands.add_parser("agencies", help="list the agencies and probe their health")
    agencies.add_argument("--no-probe", action="store_true", help="do not contact the agencies")
    agencies.set_defaults(run=_agencies)

    cache = commands.add_parser("cache", help="manage the cache of agencies' answers and responses")
    cache_commands = cache.add_subparsers(dest="cache_command", required=True)
    purge = cache_commands.add_parser(
        "purge",
        help="forget an agency's cached answers and the whole responses built from them, in "
        "every hub sharing HUB_CACHE_URL",
    )
    purge.add_argument("agency", help="the agency's id, as in the agencies file")
    purge.set_defaults(run=_purge_cache)

    token.register(commands)
    db.register(commands)
    worker.register(commands)

    schema = commands.add_parser("schema", help="print the graph's schema (SDL)")
    schema.set_defaults(run=_schema)

    legacy = commands.add_parser("legacy", help="run one legacy stand-in (demo and tests)")
    legacy.add_argument("name", choices=["immigration", "police", "revenue"])
    legacy.add_argument("--host", default="127.0.0.1")
    legacy.add_argument("--port", type=int, default=0, help="port (default: any free one)")
    legacy.add_argument("--latency", type=float, default=0.0, help="seconds added to answers")
    legacy.add_argument("--error-rate", type=float, default=0.0, help="share of requests failing")
    legacy.add_argument("--down", action="store_true", help="start as if the system were down")
    legacy.add_argument("--database", help="police: SQLAlchemy URL of the occurrence book")
    legacy.add_argument("--proxy-port", type=int, default=0, help="police: port of the TCP proxy")
    legacy.add_argument(
        "--hub-public-key",
        metavar="PATH",
        help="PEM file of the hub's public key, which checks the assertions requests for "
        "personal data carry (without it, personal data is refused)",
    )
    legacy.set_defaults(run=_legacy)
    return parser


GRACEFUL_SHUTDOWN = 10
"""Seconds a stopping hub waits for open requests, then closes them: a subscription's
event stream would otherwise hold it up for as long as its client stays."""


def _settings(**overrides: object) -> Settings:
    settings = Settings()
    changes = {k: v for k, v in overrides.items() if v is not None}
    return settings.model_copy(update=changes) if changes else settings


def _serve(args: argparse.Namespace) -> int:
    settings = _settings(host=args.host, port=args.port)
    configure_logging(settings.log_level.value, settings.log_format.value)
    check_identity_settings(settings)
    load_agencies(settings.agencies_file, env_file=settings.env_file)
    if args.workers > 1 and settings.events_backend.startswith("memory:"):
        print(
            f"hub serve: --workers {args.workers} needs events shared between the processes: "
            "set HUB_EVENTS_URL (or HUB_CACHE_URL) to redis://..., or serve with one worker; "
            "otherwise a subscriber on one process misses the changes made through another",
            file=sys.stderr,
        )
        return 2
    if args.workers > 1:
        uvicorn.run(
            "hub.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=args.workers,
            log_level=settings.log_level.value.lower(),
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
        )
        return 0
    from hub.app import create_app

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.value.lower(),
        log_config=None,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
    )
    return 0


def _demo(args: argparse.Namespace) -> int:
    from hub.app import create_app
    from hub.demo import demo_standins, environment, public_key_file, running_standins

    settings = _settings(port=args.port)
    configure_logging(settings.log_level.value, settings.log_format.value)
    environ = environment(settings.env_file)
    standins = demo_standins(args.legacy_port_base, environ)
    for standin in standins:
        environ[standin.variable] = os.environ[standin.variable] = standin.url
    app = create_app(settings)
    hub_public_key = public_key_file(settings.assertion_key_file)
    with running_standins(standins, environ, hub_public_key=hub_public_key):
        print("Citizen Hub demo", flush=True)
        for standin in standins:
            print(f"  {standin.name:<12} stand-in at {standin.url}", flush=True)
        print(f"  GraphiQL at http://{settings.host}:{settings.port}/graphql", flush=True)
        print("  Ctrl-C stops everything.", flush=True)
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level.value.lower(),
            log_config=None,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
        )
    return 0


def _purge_cache(args: argparse.Namespace) -> int:
    from hub.cache import AnswerCache, open_store

    settings = _settings()
    known = [d.id for d in load_agencies(settings.agencies_file, env_file=settings.env_file)]
    if args.agency not in known:
        print(f"unknown agency {args.agency!r}; known: {', '.join(known)}", file=sys.stderr)
        return 2

    if settings.cache_url.startswith("memory:"):
        print(
            "hub cache purge: HUB_CACHE_URL is memory://, so each hub process keeps its own "
            "cache and this command cannot reach it; purge a running hub with the "
            "purgeAgencyCache mutation (an admin token), or share a Redis cache",
            file=sys.stderr,
        )
        return 2

    async def purge() -> None:
        cache = AnswerCache(open_store(settings.cache_url))
        try:
            await cache.purge(args.agency)
        finally:
            await cache.close()

    asyncio.run(purge())
    print(f"purged the cached answers of {args.agency} and the responses built from them")
    return 0


def _agencies(args: argparse.Namespace) -> int:
    from hub.gateway import Gateway

    settings = Settings()
    registry = AgencyRegistry(load_agencies(settings.agencies_file, env_file=settings.env_file))

    async def probe() -> dict[str, str]:
        if args.no_probe:
            return {}
        await registry.open()
        try:
            gateway = Gateway(registry)
            healths = await gateway.health_of_all(at_most=settings.readiness_timeout)
        finally:
            await registry.close()
        return {
            agency_id: health.status.value
            + (f" {health.latency_ms:.0f} ms" if health.latency_ms is not None else "")
            + f" breaker={gateway.guard.status(agency_id).breaker.value}"
            + (f" ({health.detail})" if health.status.value == "DOWN" else "")
            for agency_id, health in healths.items()
        }

    healths = asyncio.run(probe())
    rows = [("ID", "NAME", "CONNECTOR", "CAPABILITIES", "HEALTH")]
    for runtime in registry:
        rows.append(
            (
                runtime.id,
                f"{runtime.agency.name} ({runtime.agency.short_name})",
                runtime.config.connector,
                " ".join(sorted(runtime.connector.capabilities)),
                healths.get(runtime.id, "not probed"),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]
        )
    return 0


def _schema(args: argparse.Namespace) -> int:
    from hub.gateway import Guard
    from hub.schema import build_schema

    settings = Settings()
    registry = AgencyRegistry(load_agencies(settings.agencies_file, env_file=settings.env_file))
    print(build_schema(registry, Guard(registry)).as_str())
    return 0


def _legacy(args: argparse.Namespace) -> int:
    from hub.demo import environment, standin_options
    from legacy import Faults, create_standin

    settings = Settings()
    configure_logging(settings.log_level.value, settings.log_format.value)
    options = standin_options(args.name, environment(settings.env_file))
    try:
        options.faults = Faults(latency=args.latency, error_rate=args.error_rate, down=args.down)
    except ValueError as exc:
        print(f"hub legacy {args.name}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.database:
        options.database_url = args.database
    options.proxy_port = args.proxy_port
    if args.hub_public_key is not None:
        try:
            with open(args.hub_public_key, "rb") as key_file:
                options.hub_public_key = key_file.read()
        except OSError as exc:
            print(
                f"hub legacy {args.name}: cannot read the hub's public key "
                f"{args.hub_public_key}: {exc.strerror}",
                file=sys.stderr,
            )
            return EXIT_CONFIG
    try:
        app = create_standin(args.name, options)
    except ValueError as exc:
        print(f"hub legacy {args.name}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


__all__ = ["main"]
