"""Every request gets an id: taken when sane, made when not, echoed, and sent to agencies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from hub.agencies import AgencyRegistry, load_agencies
from hub.observability.request_id import (
    RequestIdMiddleware,
    current_request_id,
    forward_request_id,
    sane_request_id,
    using_request_id,
)
from legacy import BackgroundServer
from tests.support.hub import RunningHub

GENERATED = re.compile(r"[0-9a-f]{32}")
DEMO_AGENCIES = Path(__file__).resolve().parents[2] / "config" / "agencies.yaml"


async def seen(request: Request) -> Response:
    return JSONResponse(
        {"current": current_request_id(), "state": getattr(request.state, "request_id", None)}
    )


async def sets_its_own(request: Request) -> Response:
    return PlainTextResponse("ok", headers={"X-Request-Id": "from-the-app"})


def small_app() -> RequestIdMiddleware:
    routes = [Route("/", seen), Route("/own", sets_its_own)]
    return RequestIdMiddleware(Starlette(routes=routes))


async def get(path: str = "/", headers: dict[str, Any] | None = None) -> httpx.Response:
    transport = httpx.ASGITransport(app=small_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        return await client.get(path, headers=headers)


@pytest.mark.parametrize(
    "value", ["a", "3f2a9c", "req-2025.01_31", "A" * 64, "0123456789abcdef0123456789abcdef"]
)
def test_sane_ids_are_taken(value: str) -> None:
    assert sane_request_id(value) == value


@pytest.mark.parametrize(
    "value",
    [None, "", "A" * 65, "a b", "abc\n", "abc\r\nX-Admin: 1", "id;drop", "ïd", "a/b", "<script>"],
)
def test_other_ids_are_refused(value: str | None) -> None:
    assert sane_request_id(value) is None


async def test_a_sane_incoming_id_is_used_and_echoed() -> None:
    response = await get(headers={"X-Request-Id": "portal-42.a_b"})
    assert response.headers["x-request-id"] == "portal-42.a_b"
    assert response.json() == {"current": "portal-42.a_b", "state": "portal-42.a_b"}


async def test_without_an_id_a_new_one_is_made_for_each_request() -> None:
    first, second = await get(), await get()
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert all(GENERATED.fullmatch(i) for i in ids)
    assert ids[0] != ids[1]
    assert first.json()["current"] == ids[0]


@pytest.mark.parametrize("hostile", [b"x" * 200, b"abc def", "é".encode() * 10, b"a,b", b""])
async def test_a_hostile_id_is_replaced(hostile: bytes) -> None:
    response = await get(headers={"X-Request-Id": hostile})
    echoed = response.headers["x-request-id"]
    assert GENERATED.fullmatch(echoed)
    assert response.json()["current"] == echoed


async def run_raw(app: Any, scope: Scope) -> list[Message]:
    """Call ``app`` as a server would with ``scope``; the messages it sent."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


async def test_an_id_with_a_newline_is_replaced() -> None:
    # No HTTP client sends a raw newline in a header, so the scope is built by hand.
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"x-request-id", b"abc\r\nSet-Cookie: session=evil")],
        "server": ("hub", 80),
        "client": ("127.0.0.1", 5000),
    }
    sent = await run_raw(small_app(), scope)
    start = next(m for m in sent if m["type"] == "http.response.start")
    ids = [value for name, value in start["headers"] if name == b"x-request-id"]
    assert len(ids) == 1
    assert GENERATED.fullmatch(ids[0].decode())


async def test_the_middleware_header_replaces_one_the_app_set() -> None:
    response = await get("/own", headers={"X-Request-Id": "mine"})
    assert response.headers.get_list("x-request-id") == ["mine"]


async def test_the_id_is_current_only_during_the_request() -> None:
    await get(headers={"X-Request-Id": "during"})
    assert current_request_id() is None


@pytest.mark.parametrize("scope_type", ["lifespan", "websocket"])
async def test_other_scopes_pass_through_untouched(scope_type: str) -> None:
    seen_scopes: list[Scope] = []
    messages: list[Message] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        seen_scopes.append(scope)
        seen_scopes.append({"current": current_request_id()})
        await send({"type": "marker", "headers": []})

    async def receive() -> Message:
        return {"type": f"{scope_type}.startup"}

    async def send(message: Message) -> None:
        messages.append(message)

    scope: Scope = {"type": scope_type, "headers": [(b"x-request-id", b"abc")]}
    await RequestIdMiddleware(inner)(scope, receive, send)
    assert seen_scopes == [scope, {"current": None}]
    assert scope == {"type": scope_type, "headers": [(b"x-request-id", b"abc")]}
    assert messages == [{"type": "marker", "headers": []}]


# --- on to the agencies -------------------------------------------------------------


async def echo(request: Request) -> Response:
    return JSONResponse({"received": request.headers.get("x-request-id")})


@pytest.fixture(scope="module")
def echo_server() -> Iterator[BackgroundServer]:
    """A real HTTP server on loopback answering with the X-Request-Id it received."""
    with BackgroundServer(Starlette(routes=[Route("/", echo)])) as server:
        yield server


async def received_by(server: BackgroundServer, client: httpx.AsyncClient) -> str | None:
    response = await client.get(f"{server.url}/")
    value: str | None = response.json()["received"]
    return value


async def test_the_hook_sends_the_current_id(echo_server: BackgroundServer) -> None:
    async with httpx.AsyncClient(event_hooks={"request": [forward_request_id]}) as client:
        assert await received_by(echo_server, client) is None
        with using_request_id("call-7"):
            assert await received_by(echo_server, client) == "call-7"
        with using_request_id() as made:
            assert GENERATED.fullmatch(made)
            assert await received_by(echo_server, client) == made


async def test_a_request_id_flows_from_the_caller_through_the_hub_to_the_agency(
    echo_server: BackgroundServer,
) -> None:
    async def calls_the_agency(request: Request) -> Response:
        async with httpx.AsyncClient(event_hooks={"request": [forward_request_id]}) as client:
            return JSONResponse({"agency_saw": await received_by(echo_server, client)})

    hub = RequestIdMiddleware(Starlette(routes=[Route("/", calls_the_agency)]))
    with BackgroundServer(hub) as server:
        async with httpx.AsyncClient() as client:
            given = await client.get(f"{server.url}/", headers={"X-Request-Id": "portal-1"})
            made = await client.get(f"{server.url}/")
    assert given.json() == {"agency_saw": "portal-1"}
    assert made.json() == {"agency_saw": made.headers["x-request-id"]}


async def test_the_agencies_http_clients_forward_the_id(echo_server: BackgroundServer) -> None:
    environ = {
        "REVENUE_USERNAME": "hub",
        "REVENUE_PASSWORD": "unused",
        "IMMIGRATION_API_KEY": "unused",
        "POLICE_DATABASE_URL": "sqlite+aiosqlite:///unused.db",
    }
    registry = AgencyRegistry(load_agencies(DEMO_AGENCIES, environ=environ))
    try:
        for runtime in registry:
            with using_request_id(f"to-{runtime.id}"):
                assert await received_by(echo_server, runtime.http) == f"to-{runtime.id}"
    finally:
        await registry.close()


def test_the_hub_answers_with_the_request_id(hub: RunningHub) -> None:
    given = httpx.get(f"{hub.url}/healthz", headers={"X-Request-Id": "probe-1"})
    made = hub.post("{ agencies { key } }", headers={"X-Request-Id": "bad id"})
    assert given.headers["x-request-id"] == "probe-1"
    assert GENERATED.fullmatch(made.headers["x-request-id"])
