"""Opening a connector outside the hub, and checks its answers share."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar

import httpx

from hub.connector import Agency, Connector, ConnectorResources
from hub.identity.assertion import AssertionSigner

C = TypeVar("C", bound=Connector)


async def open_with(
    cls: type[C],
    agency: Agency,
    settings: Mapping[str, Any],
    http: httpx.AsyncClient,
    assertions: AssertionSigner | None = None,
) -> C:
    """A ``cls`` connector for ``agency`` with ``settings`` checked by its own model,
    opened on ``http`` with the hub's assertion signer ``assertions``."""
    connector = cls(agency, cls.settings_model(**settings))
    await connector.open(ConnectorResources(http=http, assertions=assertions))
    return connector


def is_utc(moment: datetime) -> bool:
    """Whether ``moment`` is aware and in UTC."""
    return moment.utcoffset() == timedelta(0)
