"""The aiocache backend named by ``HUB_CACHE_URL``: ``memory://`` or ``redis://...``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from aiocache import Cache
from aiocache.base import BaseCache
from aiocache.serializers import PickleSerializer

SCHEMES = ("memory", "redis")


def open_store(url: str) -> BaseCache:
    """The cache at ``url``; raise ``ValueError`` naming the schemes known.

    On Redis, answers are pickled: the Redis the hub uses must be the hub's own,
    reachable by no one else, like its database.
    """
    scheme = urlsplit(url).scheme
    if scheme not in SCHEMES:
        raise ValueError(
            f"HUB_CACHE_URL {url!r}: unknown cache scheme {scheme!r}; use memory:// or "
            "redis://host:6379/0"
        )
    store: Any = Cache.from_url(url)
    if scheme == "redis":
        store.serializer = PickleSerializer()
    return store


async def close_store(store: BaseCache) -> None:
    """Close the store's connections (Redis); nothing to do in memory."""
    client = getattr(store, "client", None)
    if client is not None and hasattr(client, "aclose"):
        await client.aclose()
    else:
        await store.close()
