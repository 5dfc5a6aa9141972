"""The hub's ASGI application: ``create_app(settings)``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from hub.agencies import AgencyDefinition, AgencyRegistry, load_agencies
from hub.cache import AnswerCache, open_store
from hub.gateway import Gateway, Guard
from hub.http import GraphQLEndpoint, healthz, readyz
from hub.observability import HubMetrics, metrics_endpoint
from hub.schema import HubContext, build_schema
from hub.settings import Settings


def create_app(
    settings: Settings | None = None, definitions: Sequence[AgencyDefinition] | None = None
) -> Starlette:
    """Build the hub for ``settings`` (default: from the environment).

    The agencies file is read and checked here, so a bad file fails before serving
    (:class:`~hub.agencies.ConfigError`); no agency is contacted. Connectors are
    opened in the lifespan and closed at shutdown.
    """
    settings = settings or Settings()
    if definitions is None:
        definitions = load_agencies(settings.agencies_file, env_file=settings.env_file)
    registry = AgencyRegistry(definitions)
    cache = AnswerCache(open_store(settings.cache_url))
    metrics = HubMetrics()
    gateway = Gateway(registry, Guard(registry, metrics.observe_call), cache)
    metrics.watch(gateway)
    schema = build_schema(registry, gateway.guard)

    def context(request: Request) -> HubContext:
        return HubContext(settings=settings, registry=registry, gateway=gateway, request=request)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await registry.open()
        try:
            yield
        finally:
            await registry.close()
            await cache.close()

    async def home(request: Request) -> Response:
        return RedirectResponse("/graphql")

    graphql = GraphQLEndpoint(schema, context, graphiql=not settings.is_production, metrics=metrics)
    app = Starlette(
        routes=[
            Route("/", home, methods=["GET"]),
            Route("/graphql", graphql),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz(gateway, settings.readiness_timeout), methods=["GET"]),
            Route("/metrics", metrics_endpoint(metrics), methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.registry = registry
    app.state.gateway = gateway
    app.state.schema = schema
    return app


__all__ = ["create_app"]
