"""A graphql-transport-ws client for tests, speaking the protocol over a real WebSocket,
and a way to wait until a hub has a number of subscriptions open."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.support.processes import free_ports, start_hub_command

PROTOCOL = "graphql-transport-ws"
WAIT = 20.0
"""Seconds a test waits for a message it expects."""


class GraphQLWebSocketClient:
    """One graphql-transport-ws connection, after the hub acknowledged it."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self._ids = itertools.count(1)

    async def send(self, message: dict[str, Any]) -> None:
        await self.socket.send(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        """The next message, within :data:`WAIT` seconds."""
        raw = await asyncio.wait_for(self.socket.recv(), WAIT)
        message: dict[str, Any] = json.loads(raw)
        return message

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        """Start an operation; its id."""
        operation_id = str(next(self._ids))
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        await self.send({"type": "subscribe", "id": operation_id, "payload": payload})
        return operation_id

    async def complete(self, operation_id: str) -> None:
        await self.send({"type": "complete", "id": operation_id})


def ws_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1) + "/graphql"


@asynccontextmanager
async def graphql_ws(
    http_url: str, headers: dict[str, str] | None = None
) -> AsyncIterator[GraphQLWebSocketClient]:
    """A connection to the hub at ``http_url``, initialised with the bearer token in
    ``headers`` (a ``bearer()`` header), acknowledged before the block starts."""
    async with connect(ws_url(http_url), subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        client = GraphQLWebSocketClient(socket)
        payload = {"authorization": headers["authorization"]} if headers else {}
        await client.send({"type": "connection_init", "payload": payload})
        ack = await client.receive()
        assert ack == {"type": "connection_ack"}, ack
        yield client


def gauge(http_url: str, name: str) -> float:
    """The value of an unlabelled gauge at the hub's ``/metrics``."""
    text = httpx.get(f"{http_url}/metrics", timeout=10).text
    found = re.search(rf"^{name} ([0-9.e+-]+)$", text, re.MULTILINE)
    assert found, f"{name} is not in /metrics"
    return float(found.group(1))


async def until_subscribed(http_url: str, count: int) -> None:
    """Wait (up to :data:`WAIT` s) until the hub at ``http_url`` has ``count``
    subscriptions on its bus."""
    deadline = time.monotonic() + WAIT
    while (seen := await asyncio.to_thread(gauge, http_url, "hub_subscriptions_open")) != count:
        assert time.monotonic() < deadline, f"{seen} subscriptions open, expected {count}"
        await asyncio.sleep(0.02)


@contextmanager
def hub_process(env: dict[str, str], cwd: Path) -> Iterator[str]:
    """``hub serve`` as a real process on a free port, with ``env``; its base URL once
    it answers ``/healthz``. Stopped (and its output shown on failure) when the block ends."""
    port = free_ports(1)
    process = start_hub_command("serve", "--port", str(port), env=env, cwd=cwd)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                raise AssertionError(f"hub serve exited ({process.returncode}):\n{output}")
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "hub serve did not start within 60 s"
            time.sleep(0.1)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate(timeout=10)


__all__ = [
    "GraphQLWebSocketClient",
    "gauge",
    "graphql_ws",
    "hub_process",
    "until_subscribed",
    "ws_url",
]
