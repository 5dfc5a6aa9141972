"""Lookups of an agency's own fields, batched per request: one guarded call for many keys.

A connector's own field asks for one record at a time (one PIN, one OB number), but a
request may hold many of them: aliases, or one field per item of a list. The field
asks through :meth:`hub.connector.AgencyHandle.load`, and the loads of one request
that go to the same connector method with the same other arguments are merged by a
Strawberry ``DataLoader``: each distinct key once, in one guarded call.

The batch form of a lookup is a connector method marked with :func:`batch_lookup`::

    @batch_lookup
    async def occurrences(self, ob_numbers: Sequence[str]) -> Mapping[str, Occurrence]:
        ...

It takes the list of keys first (any other arguments after it) and returns a mapping
keyed by the keys as given: a key that is absent is a record the system does not
know; a key whose value is a :class:`~hub.errors.HubError` failed alone (its field
gets that error, the other keys their records; :func:`keyed_records` builds such an
answer). A method that is not marked is
called once per distinct key instead (``method(key, *args)``, returning the record
or ``None``), each call guarded on its own, so a connector without a batch form
works unchanged, only with more calls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping
from contextlib import AbstractContextManager
from functools import partial
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from hub.errors import HubError

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
R = TypeVar("R")
GuardCall = Callable[..., Awaitable[Any]]
"""``guard(agency_id, method, *args)``: the hub's guarded call of a connector method."""

BATCH_MARK = "__hub_batch_lookup__"


def batch_lookup(method: F) -> F:
    """Mark ``method`` as the batch form of a lookup (see the module's docstring)."""
    setattr(method, BATCH_MARK, True)
    return method


def keyed_records(
    items: Iterable[T],
    key_of: Callable[[T], str | None],
    convert: Callable[[T], R],
    translated: Callable[[], AbstractContextManager[Any]],
) -> dict[str, R | HubError]:
    """The answer of a batch lookup: each of the legacy system's ``items`` converted
    with ``convert`` inside ``translated()`` (the connector's translation of its
    failures into the hub's errors), keyed by ``key_of(item)``, the key as the system
    wrote it.

    An item that cannot be converted becomes the error of its key alone; when its key
    cannot be read either (``key_of`` gives ``None``), the error fails the whole answer.
    """
    found: dict[str, R | HubError] = {}
    for item in items:
        key = key_of(item)
        try:
            with translated():
                record: R | HubError = convert(item)
        except HubError as error:
            if key is None:
                raise
            record = error
        if key is not None:
            found[key] = record
    return found


def is_batch_lookup(method: Any) -> bool:
    """Whether ``method`` (a function or a bound method) was marked by :func:`batch_lookup`."""
    return getattr(getattr(method, "__func__", method), BATCH_MARK, False) is True


class LookupBatches:
    """The batched lookups of one request: a ``DataLoader`` per agency, connector method
    and other arguments, whose loads become guarded calls of ``guard``."""

    def __init__(self, guard: GuardCall) -> None:
        self._guard = guard
        # Arguments such as the caller hold mappings, so loaders are found by equality.
        self._loaders: list[tuple[tuple[str, Any, tuple[Any, ...]], DataLoader[Any, Any]]] = []

    def load(self, agency_id: str, method: Any, key: Hashable, *args: Any) -> Awaitable[Any]:
        """The record ``key`` of ``method(keys, *args)`` (``None`` if the agency does not
        know it), fetched with the other keys loaded in the same moment."""
        return self._loader(agency_id, method, args).load(key)

    def _loader(self, agency_id: str, method: Any, args: tuple[Any, ...]) -> DataLoader[Any, Any]:
        identity = (agency_id, method, args)
        for known, loader in self._loaders:
            if known == identity:
                return loader
        fetch = self._batch if is_batch_lookup(method) else self._each
        made: DataLoader[Any, Any] = DataLoader(partial(fetch, agency_id, method, args))
        self._loaders.append((identity, made))
        return made

    async def _batch(
        self, agency_id: str, method: Any, args: tuple[Any, ...], keys: list[Any]
    ) -> list[Any]:
        found = await self._guard(agency_id, method, keys, *args)
        if not isinstance(found, Mapping):
            name = getattr(method, "__qualname__", repr(method))
            raise TypeError(
                f"{name}() is marked @batch_lookup and must return a mapping keyed by the "
                f"keys it was given, but returned {type(found).__name__}"
            )
        return [_named(found.get(key), agency_id) for key in keys]

    async def _each(
        self, agency_id: str, method: Any, args: tuple[Any, ...], keys: list[Any]
    ) -> list[Any]:
        calls = (self._guard(agency_id, method, key, *args) for key in keys)
        answers = await asyncio.gather(*calls, return_exceptions=True)
        for answer in answers:
            if isinstance(answer, BaseException) and not isinstance(answer, Exception):
                raise answer
        return list(answers)


def _named(value: Any, agency_id: str) -> Any:
    """``value``; an error of one key is told which agency it came from."""
    if isinstance(value, HubError) and value.agency is None:
        value.agency = agency_id
    return value


__all__ = ["GuardCall", "LookupBatches", "batch_lookup", "is_batch_lookup", "keyed_records"]
