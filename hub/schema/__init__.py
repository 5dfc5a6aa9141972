"""The graph: one Strawberry schema composed from the domain modules and the agencies'
own lookups. Resolvers stay thin; they call the gateway."""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError, NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from hub.agencies import AgencyRegistry
from hub.gateway import Guard
from hub.limits import QueryLimits, limit_extensions
from hub.schema.admin import AdminMutations
from hub.schema.agencies import AgencyQueries
from hub.schema.alerts import AlertMutations, AlertQueries
from hub.schema.audit import AuditQueries
from hub.schema.bids import BidQueries
from hub.schema.context import HubContext
from hub.schema.documents import DEFAULT_ENTRIES, DocumentCache, DocumentCaching
from hub.schema.errors import HubErrors
from hub.schema.feedback import FeedbackMutations
from hub.schema.live_alerts import AlertSubscriptions
from hub.schema.live_participation import ParticipationSubscriptions
from hub.schema.live_records import RecordSubscriptions
from hub.schema.live_tickets import TicketSubscriptions
from hub.schema.lookups import lookups_type
from hub.schema.news import NewsQueries
from hub.schema.node import NodeQueries
from hub.schema.polls import PollMutations, PollQueries
from hub.schema.services import ServiceQueries
from hub.schema.tickets import TicketMutations, TicketQueries
from hub.schema.tickets_statistics import TicketStatisticsQueries
from hub.schema.vacancies import VacancyQueries

DOMAINS: tuple[type, ...] = (
    AgencyQueries,
    ServiceQueries,
    NewsQueries,
    VacancyQueries,
    BidQueries,
    NodeQueries,
    AuditQueries,
    TicketQueries,
    TicketStatisticsQueries,
    PollQueries,
    AlertQueries,
)
SUBSCRIPTIONS: tuple[type, ...] = (
    RecordSubscriptions,
    AlertSubscriptions,
    TicketSubscriptions,
    ParticipationSubscriptions,
)
MUTATIONS: tuple[type, ...] = (
    TicketMutations,
    AdminMutations,
    PollMutations,
    FeedbackMutations,
    AlertMutations,
)


class HubSchema(strawberry.Schema):
    """The hub's schema; errors are coded and logged by :class:`HubErrors`, not here."""

    document_cache: DocumentCache | None = None
    """The documents it has parsed and validated (:mod:`hub.schema.documents`)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def build_schema(
    registry: AgencyRegistry,
    guard: Guard,
    *,
    introspection: bool = True,
    limits: QueryLimits | None = None,
    document_cache_size: int = DEFAULT_ENTRIES,
) -> HubSchema:
    """The schema for the agencies in ``registry``; it never contacts them.

    Without ``introspection``, a query for ``__schema`` or ``__type`` is refused.
    ``limits`` bound each query's depth, aliases, size and cost (:mod:`hub.limits`).
    The last ``document_cache_size`` documents are kept parsed and validated (0: none).
    """
    parts: list[type[Any]] = list(DOMAINS)
    lookups = lookups_type(registry, guard)
    if lookups is not None:
        parts.append(lookups)
    query = merge_types("Query", tuple(parts))
    mutation = _merged(
        "Mutation",
        MUTATIONS,
        "Changes: tickets and the work on them, polls and votes, feedback to agencies, "
        "saved alerts, and the hub's administration (POST only over HTTP).",
    )
    extensions: list[Any] = [HubErrors, *limit_extensions(limits or QueryLimits())]
    if not introspection:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    documents = DocumentCache(document_cache_size)
    extensions.append(partial(DocumentCaching, documents))  # after the limits: see its module
    subscription = _merged(
        "Subscription",
        SUBSCRIPTIONS,
        "Live updates, over WebSocket (graphql-transport-ws) at /graphql or Server-Sent "
        "Events at /graphql/stream.",
    )
    schema = HubSchema(
        query=query, mutation=mutation, subscription=subscription, extensions=extensions
    )
    schema.document_cache = documents
    return schema


def _merged(name: str, parts: tuple[type, ...], description: str) -> type:
    """The root type ``name`` with the fields of ``parts``, as ``merge_types`` builds it,
    with the description ``merge_types`` cannot give."""
    return strawberry.type(type(name, parts, {}), description=description)


__all__ = ["HubContext", "HubSchema", "build_schema"]
