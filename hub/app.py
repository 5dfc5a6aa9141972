"""The hub's ASGI application: ``create_app(settings)``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute

from hub.agencies import AgencyDefinition, AgencyRegistry, load_configuration
from hub.audit import AuditLog
from hub.cache import AnswerCache, ResponseCache, fingerprint, open_store
from hub.database import open_database
from hub.events import open_event_bus
from hub.gateway import Gateway, Guard
from hub.http import GraphQLEndpoint, healthz, readyz
from hub.http.auth import Authenticator, client_address
from hub.http.downloads import AttachmentDownloads
from hub.http.reading import RequestLimits
from hub.http.sse import GraphQLEventStream
from hub.http.streaming import TokenAuthenticator
from hub.http.websocket import GraphQLWebSocket, WebSocketLimits
from hub.identity import AssertionSigner, Caller, development_signer
from hub.identity.setup import token_verifier
from hub.limits import QueryLimits
from hub.observability import HubMetrics, metrics_endpoint
from hub.observability.live_metrics import LiveCollector
from hub.observability.request_id import RequestIdMiddleware, current_request_id
from hub.participation import Participation
from hub.ratelimit import open_rate_limiter
from hub.schema import HubContext, build_schema
from hub.settings import Settings
from hub.tickets import AttachmentStorage, RoutingRules, TicketStore
from hub.tickets.worker import TicketWorkers, WorkerOptions
from hub.watch import start_watchers


@dataclass(slots=True)
class OpenedResources:
    """What the lifespan opens and requests use: ``None`` before start-up."""

    audit: AuditLog | None = None
    tickets: TicketStore | None = None
    participation: Participation | None = None


def create_app(
    settings: Settings | None = None, definitions: Sequence[AgencyDefinition] | None = None
) -> Starlette:
    """Build the hub for ``settings`` (default: from the environment).

    The agencies file is read and checked here, so a bad file fails before serving
    (:class:`~hub.agencies.ConfigError`); no agency is contacted. Connectors are
    opened in the lifespan and closed at shutdown.
    """
    settings = settings or Settings()
    ticket_routing = None
    if definitions is None:
        configuration = load_configuration(settings.agencies_file, env_file=settings.env_file)
        definitions, ticket_routing = configuration.definitions, configuration.ticket_routing
    rules = (
        RoutingRules([d.config for d in definitions], ticket_routing)
        if ticket_routing is not None
        else None
    )
    registry = AgencyRegistry(definitions, assertion_signer(settings))
    cache = AnswerCache(open_store(settings.cache_url))
    metrics = HubMetrics()
    gateway = Gateway(registry, Guard(registry, metrics.observe_call), cache)
    metrics.watch(gateway)
    introspection = (
        settings.introspection if settings.introspection is not None else not settings.is_production
    )
    limits = QueryLimits(
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_cost=settings.max_cost,
    )
    schema = build_schema(
        registry,
        gateway.guard,
        introspection=introspection,
        limits=limits,
        document_cache_size=settings.document_cache_size,
    )
    responses = None
    if settings.response_cache:
        setup = fingerprint(
            schema.as_str(),
            limits,
            introspection,
            settings.max_page_size,
            settings.max_upstream_items,
            [definition.config.model_dump_json() for definition in definitions],
        )
        responses = ResponseCache(cache.store, registry.ids, setup)

    verifier = token_verifier(settings)
    authenticate = Authenticator(verifier)
    events = open_event_bus(settings.events_backend, settings.subscriber_queue)
    rate_limiter = open_rate_limiter(
        settings.rate_limit_backend, settings.rate_limit_burst, settings.rate_limit_per_second
    )

    def context(request: HTTPConnection, caller: Caller) -> HubContext:
        return HubContext(
            settings=settings,
            registry=registry,
            gateway=gateway,
            request=request,
            caller=caller,
            audit=opened.audit,
            tickets=opened.tickets,
            participation=opened.participation,
            events=events,
            request_id=current_request_id(),
            client=client_address(request),
        )

    opened = OpenedResources()
    worker_options = WorkerOptions.from_settings(settings)
    attachments = AttachmentStorage.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = await open_database(settings)
        opened.audit = AuditLog(engine)
        await events.start()
        if rules is not None:
            opened.tickets = TicketStore(engine, rules, events=events).with_attachments(attachments)
        opened.participation = Participation.over(engine, registry.ids, events)
        await registry.open()
        workers = None
        if opened.tickets is not None and settings.workers_in_serve:
            workers = TicketWorkers(
                opened.tickets, registry, gateway.guard, worker_options, events=events
            )
            await workers.start()
        watchers = None
        if settings.workers_in_serve:
            watchers = await start_watchers(
                registry, gateway.guard, engine, events, backoff_max=settings.worker_retry_max
            )
        try:
            yield
        finally:
            if watchers is not None:
                await watchers.stop()
            if workers is not None:
                await workers.stop()
            await registry.close()
            await events.close()
            await engine.dispose()
            await cache.close()
            if rate_limiter is not None:
                await rate_limiter.close()

    async def home(request: Request) -> Response:
        return RedirectResponse("/graphql")

    graphql = GraphQLEndpoint(
        schema,
        context,
        authenticate=authenticate,
        graphiql=not settings.is_production,
        limits=RequestLimits(
            settings.max_body_bytes,
            settings.max_batch,
            max_files=settings.attachments_per_ticket,
            max_file_bytes=settings.attachment_max_bytes,
        ),
        rate_limiter=rate_limiter,
        metrics=metrics,
        responses=responses,
    )
    websocket = GraphQLWebSocket(
        schema,
        context,
        TokenAuthenticator(verifier),
        WebSocketLimits(settings.connection_init_timeout, settings.max_subscriptions),
        rate_limiter=rate_limiter,
    )
    metrics.registry.register(LiveCollector(events, websocket))
    app = Starlette(
        routes=[
            Route("/", home, methods=["GET"]),
            Route("/graphql", graphql),
            WebSocketRoute("/graphql", websocket),
            Route(
                "/graphql/stream",
                GraphQLEventStream(
                    schema,
                    context,
                    authenticate=authenticate,
                    limits=RequestLimits(settings.max_body_bytes, settings.max_batch),
                    rate_limiter=rate_limiter,
                ),
                methods=["GET", "POST"],
            ),
            Route(
                "/attachments/{attachment_id}",
                AttachmentDownloads(authenticate, lambda: opened.tickets, lambda: opened.audit),
                methods=["GET"],
            ),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz(gateway, settings.readiness_timeout), methods=["GET"]),
            Route("/metrics", metrics_endpoint(metrics), methods=["GET"]),
        ],
        middleware=[Middleware(RequestIdMiddleware)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.registry = registry
    app.state.gateway = gateway
    app.state.schema = schema
    app.state.events = events
    app.state.responses = responses
    return app


def assertion_signer(settings: Settings) -> AssertionSigner:
    """The signer of the hub's assertions: the configured key; in development, a key
    created on first use."""
    path = settings.assertion_key_file
    if settings.is_production:
        return AssertionSigner.from_pem_file(path)
    return development_signer(path)


__all__ = ["assertion_signer", "create_app"]
