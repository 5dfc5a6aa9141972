"""Single flight: identical calls in flight at once reach the agency once.

The first caller's call runs in its own task; callers with the same key that arrive
before it ends await that task's result (or error). A caller that gives up does not
cancel the call for the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Any


class SingleFlight:
    """Merges concurrent calls by key."""

    def __init__(self) -> None:
        self._flights: dict[Hashable, asyncio.Task[Any]] = {}
        self.merged = 0

    @property
    def in_flight(self) -> int:
        """How many distinct calls are running now."""
        return len(self._flights)

    async def run(self, key: Hashable, call: Callable[[], Awaitable[Any]]) -> Any:
        """``await call()``, or join the identical call already running under ``key``."""
        task = self._flights.get(key)
        if task is None:
            task = asyncio.ensure_future(call())
            self._flights[key] = task
            task.add_done_callback(lambda _: self._forget(key, task))
        else:
            self.merged += 1
        return await asyncio.shield(task)

    def _forget(self, key: Hashable, task: asyncio.Task[Any]) -> None:
        if self._flights.get(key) is task:
            del self._flights[key]
        if not task.cancelled():
            task.exception()  # marks it retrieved when every waiter has gone
