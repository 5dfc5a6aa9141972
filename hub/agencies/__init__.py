"""Agencies: the agencies file, connector plugins and the registry of open connectors."""

from __future__ import annotations

from hub.agencies.config import (
    AgenciesFile,
    AgencyConfig,
    CacheTTLConfig,
    ContactConfig,
    WatchConfig,
)
from hub.agencies.errors import ConfigError
from hub.agencies.loading import AgencyDefinition, Configuration, load_agencies, load_configuration
from hub.agencies.plugins import ENTRY_POINT_GROUP, installed_connectors
from hub.agencies.registry import AgencyRegistry, AgencyRuntime

__all__ = [
    "ENTRY_POINT_GROUP",
    "AgenciesFile",
    "AgencyConfig",
    "AgencyDefinition",
    "AgencyRegistry",
    "AgencyRuntime",
    "CacheTTLConfig",
    "ConfigError",
    "Configuration",
    "ContactConfig",
    "WatchConfig",
    "installed_connectors",
    "load_agencies",
    "load_configuration",
]
