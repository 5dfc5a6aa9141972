"""The DataLoaders of one request: what many fields of a response ask for, fetched together.

A list of N tickets or N records would otherwise cost N reads, one per field that
resolves; each field loads its key instead, and the keys loaded in the same moment
go out as one read. The loaders are made on first use for each request
(:attr:`hub.schema.context.HubContext.loaders`), so no answer is shared between
requests or callers.

- ``timelines``: ticket timelines by tracking number, as the request's caller may see
  them; two statements for a whole list of tickets. Not cached: a mutation that
  changes a ticket must be seen by a later field of the same document.
- ``attachments``: the files attached to tickets, by tracking number; one statement for
  a whole list of tickets, not cached either.
- ``records``: agency records by :class:`RecordKey`, one guarded call per agency and
  capability, cached per id (:func:`hub.gateway.records_by_id`).
- ``lookups``: the agencies' own lookups (:class:`hub.connector_batches.LookupBatches`),
  one guarded call per connector method for the keys of the whole request.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from hub.connector_batches import LookupBatches
from hub.errors import HubError, NotFound
from hub.gateway import Found, Gateway, Listing, records_by_id
from hub.identity import Caller
from hub.tickets import TicketEventView, TicketStore
from hub.tickets.attachment_store import AttachmentView


@dataclass(frozen=True, slots=True)
class RecordKey:
    """An agency record by where it lives: the capability that lists it, the agency's
    key and its id in the agency's system."""

    capability: Listing
    agency: str
    local_id: str


class Loaders:
    """The loaders of one request, for ``caller``."""

    def __init__(self, gateway: Gateway, caller: Caller, tickets: TicketStore | None) -> None:
        self._gateway = gateway
        self._caller = caller
        self._tickets = tickets
        self.timelines: DataLoader[str, list[TicketEventView]] = DataLoader(
            self._timelines, cache=False
        )
        self.attachments: DataLoader[str, list[AttachmentView]] = DataLoader(
            self._attachments, cache=False
        )
        self.records: DataLoader[RecordKey, Found] = DataLoader(self._records)
        self.lookups = LookupBatches(gateway.guard.call)

    async def _timelines(self, numbers: list[str]) -> list[list[TicketEventView] | HubError]:
        if self._tickets is None:
            raise RuntimeError(
                "a ticket's timeline was asked for in a request whose context has no ticket "
                "store; tickets come from the store, so the context was built without it"
            )
        found = await self._tickets.timelines(numbers, self._caller)
        return [
            found[number]
            if number in found
            else NotFound(f"no ticket has the tracking number {number}")
            for number in numbers
        ]

    async def _attachments(self, numbers: list[str]) -> list[list[AttachmentView]]:
        if self._tickets is None:
            raise RuntimeError(
                "a ticket's attachments were asked for in a request whose context has no "
                "ticket store; tickets come from the store, so the context was built without it"
            )
        found = await self._tickets.attachments_of(numbers)
        return [found[number] for number in numbers]

    async def _records(self, keys: list[RecordKey]) -> list[Found | HubError]:
        groups: dict[tuple[Listing, str], list[str]] = {}
        for key in keys:
            groups.setdefault((key.capability, key.agency), []).append(key.local_id)
        answers = await asyncio.gather(
            *(
                records_by_id(self._gateway, capability, agency, local_ids)
                for (capability, agency), local_ids in groups.items()
            )
        )
        by_key: dict[RecordKey, Found | HubError] = {}
        for ((capability, agency), local_ids), found in zip(groups.items(), answers, strict=True):
            for local_id, one in zip(local_ids, found, strict=True):
                by_key[RecordKey(capability, agency, local_id)] = one
        return [by_key[key] for key in keys]


__all__ = ["Loaders", "RecordKey"]
