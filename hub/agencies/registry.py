"""The agencies the hub serves, each with its open connector."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import httpx

from hub.agencies.config import AgencyConfig
from hub.agencies.loading import AgencyDefinition
from hub.connector import Agency, Capability, Connector, ConnectorResources
from hub.identity import AssertionSigner
from hub.observability.request_id import forward_request_id

log = logging.getLogger(__name__)


@dataclass(slots=True)
class AgencyRuntime:
    """One agency while the hub runs: its definition, connector and HTTP client."""

    definition: AgencyDefinition
    connector: Connector
    http: httpx.AsyncClient

    @property
    def id(self) -> str:
        """The agency's id."""
        return self.definition.id

    @property
    def agency(self) -> Agency:
        """The agency as the connector contract describes it."""
        return self.connector.agency

    @property
    def config(self) -> AgencyConfig:
        """The agency's checked configuration."""
        return self.definition.config

    def serves(self, capability: Capability) -> bool:
        """Whether the agency's connector has ``capability``."""
        return capability in self.connector.capabilities


class AgencyRegistry:
    """The registry of agencies, in the order of the agencies file.

    Connectors are built at construction (cheap, no I/O); :meth:`open` lends them
    their resources and :meth:`close` takes them back. ``assertions`` signs the hub's
    assertions to agencies for personal data; without it no personal data can be asked.
    """

    def __init__(
        self, definitions: Sequence[AgencyDefinition], assertions: AssertionSigner | None = None
    ) -> None:
        self._assertions = assertions
        self._runtimes: dict[str, AgencyRuntime] = {}
        for definition in definitions:
            config = definition.config
            http = httpx.AsyncClient(
                timeout=httpx.Timeout(config.timeout, connect=config.connect_timeout),
                limits=httpx.Limits(max_connections=config.max_connections),
                event_hooks={"request": [forward_request_id]},
            )
            connector = definition.connector_class(definition.agency, definition.settings)
            self._runtimes[definition.id] = AgencyRuntime(definition, connector, http)

    async def open(self) -> None:
        """Open every connector; a connector that fails to open is logged, not fatal."""
        for runtime in self:
            try:
                await runtime.connector.open(
                    ConnectorResources(http=runtime.http, assertions=self._assertions)
                )
            except Exception:
                log.exception("agency %s: its connector failed to open", runtime.id)

    async def close(self) -> None:
        """Close every connector and its HTTP client."""
        for runtime in self:
            try:
                await runtime.connector.close()
            except Exception:
                log.exception("agency %s: its connector failed to close", runtime.id)
            await runtime.http.aclose()

    def __iter__(self) -> Iterator[AgencyRuntime]:
        return iter(self._runtimes.values())

    def __len__(self) -> int:
        return len(self._runtimes)

    def __contains__(self, agency_id: object) -> bool:
        return agency_id in self._runtimes

    @property
    def ids(self) -> list[str]:
        """Agency ids, in the order of the agencies file."""
        return list(self._runtimes)

    def get(self, agency_id: str) -> AgencyRuntime:
        """The agency ``agency_id``; ``KeyError`` if there is none."""
        return self._runtimes[agency_id]

    def serving(self, capability: Capability) -> list[AgencyRuntime]:
        """The agencies whose connectors have ``capability``."""
        return [runtime for runtime in self if runtime.serves(capability)]


__all__ = ["AgencyRegistry", "AgencyRuntime"]
