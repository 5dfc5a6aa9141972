"""The identity provider's public keys (a JSON Web Key Set), from a file or a URL."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Any

import httpx
import jwt

log = logging.getLogger(__name__)

KEY_ALGORITHMS = {"RSA": "RS256", "EC": "ES256"}
"""The one algorithm accepted for each key type: a key never verifies another kind."""


class JwksError(Exception):
    """The key set cannot be read; the message says where and why."""


class KeySet:
    """Keys by ``kid``, read from ``source`` (a path, or an ``https://`` / ``http://`` URL).

    A URL is fetched again after ``max_age`` seconds, and at most every
    ``refetch_interval`` seconds when a token names a ``kid`` the set lacks (the
    provider may have rotated its keys); a failed fetch keeps the keys already known.
    """

    def __init__(
        self, source: str, *, max_age: float = 3600.0, refetch_interval: float = 60.0
    ) -> None:
        self.source = source
        self.max_age = max_age
        self.refetch_interval = refetch_interval
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._is_url = source.startswith(("https://", "http://"))

    async def load(self) -> None:
        """Read the keys now; :class:`JwksError` when they cannot be read."""
        self._keys = parse_key_set(await self._read(), self.source)
        self._fetched_at = time.monotonic()

    async def key(self, kid: str) -> jwt.PyJWK | None:
        """The key ``kid``, or ``None`` when the set has no such key."""
        now = time.monotonic()
        age = None if self._fetched_at is None else now - self._fetched_at
        stale = age is None or (self._is_url and age > self.max_age)
        may_refetch = age is None or (self._is_url and age > self.refetch_interval)
        if stale or (kid not in self._keys and may_refetch):
            try:
                await self.load()
            except JwksError as exc:
                self._fetched_at = now
                log.warning("keeping the %d known signing keys: %s", len(self._keys), exc)
        return self._keys.get(kid)

    async def _read(self) -> Any:
        if self._is_url:
            try:
                async with httpx.AsyncClient(timeout=5.0) as client:
                    response = await client.get(self.source)
                    response.raise_for_status()
                    return response.json()
            except (httpx.HTTPError, ValueError) as exc:
                raise JwksError(f"cannot fetch the key set {self.source}: {exc}") from None
        try:
            return json.loads(await asyncio.to_thread(Path(self.source).read_text, "utf-8"))
        except OSError as exc:
            raise JwksError(f"cannot read the key set {self.source}: {exc.strerror}") from None
        except ValueError as exc:
            raise JwksError(f"the key set {self.source} is not JSON: {exc}") from None


def parse_key_set(data: Any, source: str) -> dict[str, jwt.PyJWK]:
    """The signing keys of a JWKS document, by ``kid``; :class:`JwksError` if unusable."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise JwksError(f"{source}: a key set is a JSON object with a 'keys' list")
    keys: dict[str, jwt.PyJWK] = {}
    for index, entry in enumerate(data["keys"]):
        where = f"{source}: keys[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
            raise JwksError(f"{where}: every key needs a 'kid'")
        if entry.get("use", "sig") != "sig":
            continue
        algorithm = KEY_ALGORITHMS.get(str(entry.get("kty")))
        if algorithm is None:
            raise JwksError(f"{where}: key type {entry.get('kty')!r} is not RSA or EC")
        if entry.get("alg", algorithm) != algorithm:
            raise JwksError(f"{where}: an {entry['kty']} key signs {algorithm} only")
        try:
            keys[entry["kid"]] = jwt.PyJWK.from_dict({**entry, "alg": algorithm})
        except (jwt.PyJWKError, jwt.InvalidKeyError) as exc:
            raise JwksError(f"{where}: {exc}") from None
    if not keys:
        raise JwksError(f"{source}: the key set has no signing keys")
    return keys


__all__ = ["KEY_ALGORITHMS", "JwksError", "KeySet", "parse_key_set"]
