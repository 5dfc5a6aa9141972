"""Keep the requests a connector's HTTP client really sends."""

from __future__ import annotations

import httpx


class Recorder:
    """Keeps the requests an ``httpx.AsyncClient`` sends (through its event hooks)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> None:
        self.requests.append(request)
