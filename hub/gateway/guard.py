"""Every call to an agency goes through :class:`Guard`: a timeout that really fires,
and translation of whatever the connector raises into the contract's errors."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from hub.agencies import AgencyRegistry
from hub.connector import AgencyError, AgencyTimeout, HubError

log = logging.getLogger(__name__)
T = TypeVar("T")


class ConnectorFailed(AgencyError):
    """A connector raised something outside the contract: a bug in the connector."""

    code = "AGENCY_ERROR"


class Guard:
    """Runs connector methods under each agency's guards."""

    def __init__(self, registry: AgencyRegistry) -> None:
        self._registry = registry

    async def call(
        self,
        agency_id: str,
        method: Callable[..., Awaitable[T]],
        *args: Any,
        at_most: float | None = None,
    ) -> T:
        """Await ``method(*args)`` for ``agency_id`` within the agency's timeout.

        ``at_most`` (seconds) shortens the agency's timeout when it is smaller. Raises only
        :class:`HubError` subclasses, always naming the agency.
        """
        timeout = min(self._registry.get(agency_id).config.timeout, at_most or float("inf"))
        try:
            async with asyncio.timeout(timeout):
                return await method(*args)
        except HubError as exc:
            if exc.agency is None:
                exc.agency = agency_id
            raise
        except TimeoutError:
            raise AgencyTimeout(
                f"the agency did not answer within {timeout:g} s", agency=agency_id
            ) from None
        except Exception as exc:
            error_id = uuid.uuid4().hex[:12]
            log.exception(
                "agency %s: connector raised outside the contract (error id %s)",
                agency_id,
                error_id,
            )
            raise ConnectorFailed(
                f"the agency's connector failed unexpectedly (error id {error_id})",
                agency=agency_id,
            ) from exc


__all__ = ["ConnectorFailed", "Guard"]
