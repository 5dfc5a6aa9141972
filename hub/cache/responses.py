"""Whole responses to anonymous queries over public data, kept in the answers' store.

The hub answers the same anonymous portal query many times a second; when nothing it
read has changed, it can send the bytes it sent before without parsing, validating or
resolving anything. A response is kept only when its :class:`~hub.cache.ledger.AnswerLedger`
says it may be (public fields only, every answer fresh, none stale or failed), for as
long as the first of its answers stays fresh, and with the data versions
(:mod:`hub.cache.versions`) of the agencies it read: a purge of one of them retires it.

The key is a hash of the schema's fingerprint (the graph, the limits and the agencies'
configuration, so that hubs configured differently never share responses), the
document's text, the operation name and the variables. A lookup reads the response and
every agency's version in one round trip (``MGET`` on Redis). A store that fails is a
miss, never an error.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from aiocache.base import BaseCache

from hub.cache.ledger import AnswerLedger
from hub.cache.versions import Versions, version_key, versions_of

log = logging.getLogger(__name__)
PREFIX = "hub:responses:v1"


def fingerprint(*parts: object) -> str:
    """A short digest of ``parts`` (their ``repr``), to tell configurations apart."""
    text = "\x1f".join(repr(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class _Kept:
    body: bytes
    versions: tuple[tuple[str, str | None], ...]
    expires_at: float


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a lookup found: the kept ``body`` when it may be served, and every agency's
    data version as read with it (``None`` when the store could not be read)."""

    key: str
    body: bytes | None
    versions: Versions | None


class ResponseCache:
    """Kept responses of one hub configuration, in the cache's store."""

    def __init__(
        self,
        store: BaseCache,
        agencies: Sequence[str],
        configuration: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.agencies = tuple(agencies)
        self.configuration = configuration
        self._clock = clock
        self._version_keys = [version_key(agency) for agency in self.agencies]

    def key(
        self, query: str, operation_name: str | None, variables: Mapping[str, Any] | None
    ) -> str | None:
        """The key of a request; ``None`` when its variables cannot be written as JSON."""
        try:
            material = orjson.dumps(
                [self.configuration, query, operation_name, variables],
                option=orjson.OPT_SORT_KEYS,
            )
        except TypeError:
            return None
        return f"{PREFIX}:{hashlib.sha256(material).hexdigest()}"

    async def lookup(self, key: str) -> Lookup:
        """The response kept under ``key`` if every agency it read still has the version
        it was built with and it has not expired."""
        try:
            values = await self.store.multi_get([key, *self._version_keys])
        except Exception:
            log.warning("response cache: cannot read %s; answering afresh", key, exc_info=True)
            return Lookup(key, None, None)
        versions = versions_of(self.agencies, values[1:])
        kept = values[0]
        if (
            isinstance(kept, _Kept)
            and kept.expires_at > self._clock()
            and all(a in versions and versions[a] == v for a, v in kept.versions)
        ):
            return Lookup(key, kept.body, versions)
        return Lookup(key, None, versions)

    async def keep(self, lookup: Lookup, body: bytes, ledger: AnswerLedger) -> bool:
        """Keep ``body`` under the lookup's key if ``ledger`` allows; whether it was kept.

        It is kept with the versions read at lookup, before the response was built, so
        a purge made while it was being built retires it at once.
        """
        versions = lookup.versions
        if versions is None or ledger.why_not is not None:
            return False
        if not ledger.agencies <= versions.keys():
            return False
        ttl = ledger.fresh_for
        kept = _Kept(
            body=body,
            versions=tuple((agency, versions[agency]) for agency in sorted(ledger.agencies)),
            expires_at=self._clock() + ttl,
        )
        try:
            await self.store.set(lookup.key, kept, ttl=ttl)
        except Exception:
            log.warning("response cache: cannot write %s", lookup.key, exc_info=True)
            return False
        return True


__all__ = ["Lookup", "ResponseCache", "fingerprint"]
