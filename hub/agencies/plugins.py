"""Finding connector classes through the ``hub.connectors`` entry-point group."""

from __future__ import annotations

import os
from functools import cache
from importlib.metadata import entry_points

from hub.agencies.errors import ConfigError
from hub.connector import Connector, ConnectorContractError, verify_connector

ENTRY_POINT_GROUP = "hub.connectors"
ALLOW_LIST_VARIABLE = "HUB_CONNECTORS"
"""Comma-separated connector keys; when set, only those connectors are loaded."""


@cache
def installed_connectors() -> dict[str, type[Connector]]:
    """Every installed connector class by key, each verified against the contract.

    A connector that cannot be imported or breaks the contract stops the hub with a
    :class:`ConfigError` naming it.
    """
    allowed = _allow_list()
    found: dict[str, type[Connector]] = {}
    problems: list[str] = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if allowed is not None and entry.name not in allowed:
            continue
        try:
            cls = entry.load()
        except Exception as exc:
            problems.append(
                f"connector {entry.name!r}: cannot import {entry.value} "
                f"({type(exc).__name__}: {exc}); is its package installed?"
            )
            continue
        try:
            verify_connector(entry.name, cls)
        except ConnectorContractError as exc:
            problems.append(str(exc))
            continue
        found[entry.name] = cls
    if problems:
        raise ConfigError(problems)
    return dict(sorted(found.items()))


def _allow_list() -> frozenset[str] | None:
    raw = os.environ.get(ALLOW_LIST_VARIABLE, "").strip()
    if not raw:
        return None
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


__all__ = ["ALLOW_LIST_VARIABLE", "ENTRY_POINT_GROUP", "installed_connectors"]
