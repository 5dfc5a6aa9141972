"""Records by their ids, many at once: one guarded call per agency and capability.

``node(id)``, ``nodes(ids)`` and the single-record fields ask for records by their
local ids. The ids asked of one agency for one capability go to it in one call, as
the ``ids`` of the capability's query (the contract's batch form of a listing). The
answer cache is kept per id, under the key of the one-id query, so an id whose
answer is fresh in the cache is not asked for, and when the agency fails each id
falls back to its own stale answer, if it has one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from hub.agencies import AgencyRuntime
from hub.cache import AnswerCache
from hub.connector import HubError
from hub.gateway.fanout import QUERY_TYPES, Gateway, Listing, Sourced
from hub.gateway.filters import Record, matches

Ask = Callable[[tuple[str, ...]], Awaitable[list[Record]]]


@dataclass(frozen=True, slots=True)
class Found:
    """What an agency answered for one id: its record, or ``None`` when the agency does
    not have it; ``stale_age`` is the age in seconds of a cached answer served because
    the agency failed, ``None`` for a fresh one."""

    record: Sourced[Record] | None
    stale_age: float | None = None


async def records_by_id(
    gateway: Gateway, capability: Listing, agency_id: str, local_ids: Sequence[str]
) -> list[Found | HubError]:
    """For each of ``local_ids``, in order, what ``agency_id`` has under that id for
    ``capability``, or the error that kept the answer away. Duplicates are asked once.

    The agency must serve ``capability``; an agency that does not have an id is a
    ``Found`` without a record, not an error.
    """
    runtime = gateway.registry.get(agency_id)
    method = getattr(runtime.connector, capability)
    query_type = QUERY_TYPES[capability]

    async def ask(ids: tuple[str, ...]) -> list[Record]:
        records: list[Record] = await gateway.guard.call(
            agency_id, method, query_type(ids=ids, limit=len(ids))
        )
        return records

    unique = list(dict.fromkeys(local_ids))
    shared = _SharedCall(len(unique), ask)
    answers = await asyncio.gather(
        *(_one(gateway, runtime, capability, local_id, shared) for local_id in unique),
        return_exceptions=True,
    )
    by_id: dict[str, Found | HubError] = {}
    for local_id, answer in zip(unique, answers, strict=True):
        if isinstance(answer, BaseException) and not isinstance(answer, HubError):
            raise answer
        by_id[local_id] = answer
    return [by_id[local_id] for local_id in local_ids]


async def _one(
    gateway: Gateway,
    runtime: AgencyRuntime,
    capability: Listing,
    local_id: str,
    shared: _SharedCall,
) -> Found:
    """One id's answer: from the cache if fresh there, else from the shared call."""
    query = QUERY_TYPES[capability](ids=(local_id,), limit=1)
    asked = False

    async def ask() -> list[Record]:
        nonlocal asked
        asked = True
        return await shared.want(local_id)

    stale_age: float | None = None
    try:
        if gateway.cache is None:
            records = await ask()
        else:
            served = await gateway.cache.fetch(
                runtime.id,
                AnswerCache.key(runtime.id, capability, query),
                getattr(runtime.config.cache_ttl, capability),
                runtime.config.stale_if_error,
                ask,
            )
            records, stale_age = served.value, served.stale_age
    finally:
        if not asked:
            shared.skip()
    kept = [record for record in records if matches(record, query)]
    return Found(Sourced(runtime.id, kept[0]) if kept else None, stale_age)


class _SharedCall:
    """One call for the ids the cache could not answer, made once each of the
    ``expected`` ids has either asked (:meth:`want`) or been served (:meth:`skip`)."""

    def __init__(self, expected: int, ask: Ask) -> None:
        self._pending = expected
        self._ask = ask
        self._wanted: list[str] = []
        self._answer: asyncio.Future[dict[str, list[Record]]] = (
            asyncio.get_running_loop().create_future()
        )
        self._call: asyncio.Task[None] | None = None

    async def want(self, local_id: str) -> list[Record]:
        """The records the agency returned for ``local_id``."""
        self._wanted.append(local_id)
        self._settle()
        # Shielded: one waiting id being cancelled must not cancel the others' answer.
        answer = await asyncio.shield(self._answer)
        return answer[local_id]

    def skip(self) -> None:
        """Count an id that needs no call."""
        self._settle()

    def _settle(self) -> None:
        self._pending -= 1
        if self._pending == 0 and self._wanted:
            self._call = asyncio.create_task(self._run(tuple(self._wanted)))

    async def _run(self, ids: tuple[str, ...]) -> None:
        try:
            records = await self._ask(ids)
        except asyncio.CancelledError:
            self._answer.cancel()  # the hub is stopping: nobody gets an answer
            raise
        except Exception as exc:
            self._answer.set_exception(exc)
            return
        by_id: dict[str, list[Record]] = {local_id: [] for local_id in ids}
        for record in records:
            if record.id in by_id:
                by_id[record.id].append(record)
        self._answer.set_result(by_id)


__all__ = ["Found", "records_by_id"]
