"""A TCP proxy in front of a network database that applies the fault knobs.

Connectors reach the database through the proxy; the proxy forwards bytes both ways
and fails the way a bad network or a dead server does:

- ``latency`` delays the server's answer to each client message (once per exchange);
- ``error_rate`` resets the connection on that share of client messages;
- ``down`` resets every open connection and every new one at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass

from legacy.faults import Faults

_CHUNK = 64 * 1024
_LINGER_RESET = struct.pack("ii", 1, 0)
_CLOSE_WAIT = 5.0


@dataclass(eq=False)
class _Link:
    """One client connection and its connection to the database."""

    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter | None = None
    answer_due: bool = False

    def reset(self) -> None:
        """Drop both sides at once, with a TCP reset rather than an orderly close."""
        for writer in (self.client, self.upstream):
            if writer is not None:
                _reset(writer)

    def close(self) -> None:
        """Close both sides in order (a no-op for a side already reset)."""
        for writer in (self.client, self.upstream):
            if writer is not None:
                writer.close()


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed by the peer
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
    writer.transport.abort()


class FaultyProxy:
    """Forwards ``host:port`` on loopback to ``upstream``, applying ``faults``.

    Call :meth:`start` before use and :meth:`close` to stop. :meth:`apply` is a
    :class:`~legacy.faults.Faults` listener: it resets open connections when the
    knobs turn ``down``.
    """

    def __init__(
        self,
        upstream: tuple[str, int],
        faults: Faults,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.upstream = upstream
        self.host = host
        self.port = port
        self._faults = faults
        self._rng = rng
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()
        self._handlers: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Listen on ``host:port``; ``port`` is the real one afterwards."""
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    def apply(self, knobs: Faults) -> None:
        """React to new knobs: going down drops every open connection."""
        if knobs.down:
            for link in list(self._links):
                link.reset()

    async def close(self) -> None:
        """Stop listening, drop every connection and wait for their handlers to end."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for link in list(self._links):
            link.reset()
        if self._handlers:
            _, stuck = await asyncio.wait(self._handlers, timeout=_CLOSE_WAIT)
            for task in stuck:
                task.cancel()
            await asyncio.gather(*stuck, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handler = asyncio.current_task()
        assert handler is not None
        self._handlers.add(handler)
        link = _Link(writer)
        try:
            if self._faults.down:
                link.reset()
                return
            try:
                upstream_reader, link.upstream = await asyncio.open_connection(*self.upstream)
            except OSError:
                link.reset()
                return
            self._links.add(link)
            await self._pump(reader, upstream_reader, link)
        finally:
            self._links.discard(link)
            self._handlers.discard(handler)
            link.close()

    async def _pump(
        self, client: asyncio.StreamReader, upstream: asyncio.StreamReader, link: _Link
    ) -> None:
        """Forward both ways until either side ends, then stop the other direction."""
        directions = {
            asyncio.create_task(self._client_to_server(client, link)),
            asyncio.create_task(self._server_to_client(upstream, link)),
        }
        try:
            await asyncio.wait(directions, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in directions:
                task.cancel()
            await asyncio.gather(*directions, return_exceptions=True)

    async def _client_to_server(self, reader: asyncio.StreamReader, link: _Link) -> None:
        assert link.upstream is not None
        try:
            while data := await reader.read(_CHUNK):
                if self._faults.should_fail(self._rng):
                    link.reset()
                    return
                link.answer_due = True
                link.upstream.write(data)
                await link.upstream.drain()
        except ConnectionError:
            link.reset()

    async def _server_to_client(self, reader: asyncio.StreamReader, link: _Link) -> None:
        try:
            while data := await reader.read(_CHUNK):
                if link.answer_due:
                    link.answer_due = False
                    await self._faults.delay()
                if self._faults.down:
                    link.reset()
                    return
                link.client.write(data)
                await link.client.drain()
        except ConnectionError:
            link.reset()
