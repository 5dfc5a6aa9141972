"""The police stand-in's control app: it prepares the database and serves its knobs.

The legacy system itself is the database; this small app creates and seeds it at
start-up, tells connectors where it is (``GET /``) and serves the fault knobs
(``GET``/``PUT /_faults``), which act on the database file or on the TCP proxy in
front of the database server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import date

from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from legacy.faults import faults_routes
from legacy.police.backends import backend_for
from legacy.police.schema import metadata
from legacy.police.seed import prepare_database
from legacy.serving import StandInOptions

SYSTEM_NAME = "National Police Service - Occurrence Book"


def create_app(options: StandInOptions) -> Starlette:
    """The control app of an Occurrence Book at ``options.database_url``.

    Its lifespan creates the schema, seeds empty tables with data dated around
    ``options.today`` (default: today), starts the fault machinery and releases it
    (the proxy, the file lock) at shutdown.
    """
    faults = options.faults
    backend = backend_for(options.database_url, faults, options.proxy_port)
    today = options.today or date.today()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await backend.start()
        try:
            engine = create_async_engine(backend.database_url)
            try:
                await prepare_database(engine, today)
            finally:
                await engine.dispose()
            backend.apply(faults)
            faults.add_listener(backend.apply)
            yield
        finally:
            faults.remove_listener(backend.apply)
            await backend.close()

    async def describe(request: Request) -> Response:
        return JSONResponse(
            {
                "system": SYSTEM_NAME,
                "database_url": backend.connector_url.render_as_string(hide_password=False),
                "dialect": backend.database_url.get_backend_name(),
                "proxied": backend.network,
                "tables": sorted(metadata.tables),
                "seeded_around": today.isoformat(),
                "faults": asdict(faults),
            }
        )

    return Starlette(
        routes=[Route("/", describe, methods=["GET"]), *faults_routes(faults, with_stats=False)],
        lifespan=lifespan,
    )
