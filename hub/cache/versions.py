"""Each agency's data version: a token that changes whenever the agency's cache is purged.

Whole responses are kept with the versions of the agencies they were built from, and a
response whose agency has a newer version is not served: purging an agency therefore
retires every response that read its answers, wherever they are, without finding them.
The versions live in the cache's own store, so hub processes sharing a Redis share
them. A version is a random token rather than a counter: a purge writes a new one in
a single ``SET``, which two concurrent purges cannot lose.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from aiocache.base import BaseCache

PREFIX = "hub:data-version"
"""Apart from the answers' ``hub:v1:<agency>`` namespaces, so purging those spares these."""

Versions = dict[str, str | None]
"""Agency id -> its data version; ``None`` for an agency never purged."""


def version_key(agency: str) -> str:
    """The store key of ``agency``'s data version."""
    return f"{PREFIX}:{agency}"


def versions_of(agencies: Sequence[str], values: Sequence[object]) -> Versions:
    """The versions of ``agencies`` from the values read under their :func:`version_key`."""
    return {
        agency: value if isinstance(value, str) else None
        for agency, value in zip(agencies, values, strict=True)
    }


async def bump_version(store: BaseCache, agency: str) -> str:
    """Give ``agency`` a new data version in ``store``; returns it. Raises when the store
    cannot be written."""
    version = uuid.uuid4().hex
    await store.set(version_key(agency), version)
    return version


__all__ = ["PREFIX", "Versions", "bump_version", "version_key", "versions_of"]
