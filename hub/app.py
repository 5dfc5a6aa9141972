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
from hub.http.auth import Authenticator, client_address
from hub.http.reading import RequestLimits
from hub.identity import AssertionSigner, Caller, development_signer
from hub.identity.setup import token_verifier
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
    registry = AgencyRegistry(definitions, assertion_signer(settings))
    cache = AnswerCache(open_store(settings.cache_url))
    metrics = HubMetrics()
    gateway = Gateway(registry, Guard(registry, metrics.observe_call), cache)
    metrics.watch(gateway)
    introspection = (
        settings.introspection if settings.introspection is not None else not settings.is_production
    )
    schema = build_schema(registry, gateway.guard, introspection=introspection)

    authenticate = Authenticator(token_verifier(settings))

    def context(request: Request, caller: Caller) -> HubContext:
        return HubContext(
            settings=settings,
            registry=registry,
            gateway=gateway,
            request=request,
            caller=caller,
            client=client_address(request),
        )

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

    graphql = GraphQLEndpoint(
        schema,
        context,
        authenticate=authenticate,
        graphiql=not settings.is_production,
        limits=RequestLimits(settings.max_body_bytes, settings.max_batch),
        metrics=metrics,
    )
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


def assertion_signer(settings: Settings) -> AssertionSigner:
    """The signer of the hub's assertions: the configured key; in development, a key
    created on first use."""
    path = settings.assertion_key_file
    if settings.is_production:
        return AssertionSigner.from_pem_file(path)
    return development_signer(path)


__all__ = ["assertion_signer", "create_app"]
