"""A closed-loop HTTP load generator, run as its own process by :mod:`bench.portal`.

``python -m bench.load URL BODY --concurrency 32 --requests 2000`` POSTs the JSON
``BODY`` to ``URL`` over ``concurrency`` keep-alive connections, ``requests`` times in
all, and prints one JSON line: ``{"requests", "failures", "seconds", "rps"}``.

It speaks HTTP/1.1 itself over asyncio streams rather than through ``httpx``: on
these machines ``httpx.AsyncClient`` tops out near 300 req/s even against a route
that does nothing, so it would measure the client, not the server. A response counts
as a failure unless its status is 200 and its body has no ``"errors"`` key. Running
in its own process keeps the client's CPU and memory out of the server's process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from urllib.parse import urlsplit


def _request(host: str, port: int, path: str, body: bytes) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nhost: {host}:{port}\r\n"
        "content-type: application/json\r\naccept: application/graphql-response+json\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> bool:
    """Send one request and read its whole answer; whether it succeeded."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in header_lines if line)
    }
    length = int(headers.get("content-length", "-1"))
    if length < 0:
        raise ValueError(f"no content-length in {status_line!r}: chunked answers not supported")
    body = await reader.readexactly(length)
    ok = status_line.split()[1] == "200"
    return ok and "errors" not in json.loads(body)


async def run(url: str, body: str, concurrency: int, requests: int) -> dict[str, float]:
    """Send ``requests`` POSTs with ``concurrency`` in flight; return the counts."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    request = _request(host, port, parts.path or "/", body.encode())
    remaining = requests
    failures = 0

    async def client() -> None:
        nonlocal remaining, failures
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while remaining > 0:
                remaining -= 1
                answered = await _exchange(reader, writer, request)
                failures += not answered  # counted after the await: clients run at once
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    return {
        "requests": requests,
        "failures": failures,
        "seconds": seconds,
        "rps": requests / seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Closed-loop POST load on one URL.")
    parser.add_argument("url")
    parser.add_argument("body", help="the JSON request body")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds for the whole run")
    args = parser.parse_args()
    result = asyncio.run(
        asyncio.wait_for(run(args.url, args.body, args.concurrency, args.requests), args.timeout)
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
