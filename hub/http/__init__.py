"""HTTP endpoints of the hub: GraphQL over HTTP and health."""

from __future__ import annotations

from hub.http.graphql import GraphQLEndpoint, negotiate
from hub.http.health import healthz, readyz

__all__ = ["GraphQLEndpoint", "healthz", "negotiate", "readyz"]
