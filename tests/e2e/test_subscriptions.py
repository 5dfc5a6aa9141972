"""Subscriptions through the real hub: a WebSocket client speaking graphql-transport-ws,
and Server-Sent Events, each receiving what it should and nothing it should not."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from hub.identity import Role
from hub.identity.tokens import DEVELOPMENT_SECRET, mint_development_token
from legacy.running import RunningStandIn
from tests.support.hub import RunningHub, running_hub
from tests.support.keys import HubKeys
from tests.support.live import PROTOCOL, gauge, graphql_ws, until_subscribed, ws_url
from tests.support.tokens import bearer

AMINA = bearer("citizen-amina")
BARAKA = bearer("citizen-baraka")
POLICE = bearer("officer-police", Role.RESOLVER, agency="police")
REVENUE = bearer("officer-revenue", Role.RESOLVER, agency="revenue")

SUBMIT = """
mutation Submit($input: SubmitTicketInput!) {
  submitTicket(input: $input) { ticket { trackingNumber agency { key } } }
}
"""
ACKNOWLEDGE = """
mutation Ack($n: String!) { acknowledgeTicket(trackingNumber: $n) { status } }
"""
COMMENT = """
mutation Comment($n: String!, $m: String!) {
  commentOnTicket(trackingNumber: $n, message: $m, public: true) { status }
}
"""
FOLLOW = """
subscription Follow($n: String!) {
  ticketUpdated(trackingNumber: $n) { trackingNumber status title timeline { kind message } }
}
"""


@pytest.fixture(scope="module")
def live(
    standins: dict[str, RunningStandIn],
    tmp_path_factory: pytest.TempPathFactory,
    hub_keys: HubKeys,
) -> Iterator[RunningHub]:
    directory = tmp_path_factory.mktemp("live")
    with running_hub(
        directory, standins, assertion_key_file=hub_keys.private_file, connection_init_timeout=1
    ) as hub:
        yield hub


def _post(hub: RunningHub, query: str, variables: dict[str, Any], who: dict[str, str]) -> Any:
    body = hub.post(query, variables, headers=who).json()
    assert "errors" not in body, body
    return body["data"]


def _report(hub: RunningHub, who: dict[str, str] = AMINA) -> str:
    data = _post(
        hub,
        SUBMIT,
        {
            "input": {
                "kind": "REPORT",
                "title": "Street light out",
                "description": "The street light at the corner has been out for a week; "
                "there were two robberies there, please send the police.",
                "agency": "police",
                "idempotencyKey": str(uuid.uuid4()),
            }
        },
        who,
    )
    number: str = data["submitTicket"]["ticket"]["trackingNumber"]
    return number


async def _closed_with(socket: Any) -> tuple[int, str]:
    """The close code and reason the hub ended ``socket`` with (within 10 s)."""
    try:
        while True:
            await asyncio.wait_for(socket.recv(), 10)
    except ConnectionClosed as closed:
        rcvd = closed.rcvd
    assert rcvd is not None, "the hub closed without a close frame"
    return rcvd.code, rcvd.reason


# ------------------------------------------------------------------------ the protocol


async def test_a_query_runs_over_the_socket_and_completes(live: RunningHub) -> None:
    async with graphql_ws(live.url) as client:
        await client.send({"type": "ping"})
        assert await client.receive() == {"type": "pong"}
        operation = await client.subscribe("{ agencies { key } }")
        answer = await client.receive()
        assert answer["type"] == "next"
        assert answer["id"] == operation
        keys = {a["key"] for a in answer["payload"]["data"]["agencies"]}
        assert {"revenue", "immigration", "police"} <= keys
        assert await client.receive() == {"type": "complete", "id": operation}


async def test_a_bad_document_gets_an_error_message_and_the_connection_lives_on(
    live: RunningHub,
) -> None:
    async with graphql_ws(live.url) as client:
        operation = await client.subscribe("subscription { noSuchField }")
        error = await client.receive()
        assert error["type"] == "error"
        assert error["id"] == operation
        assert "noSuchField" in error["payload"][0]["message"]
        await client.send({"type": "ping"})
        assert await client.receive() == {"type": "pong"}


@pytest.mark.parametrize(
    ("messages", "code"),
    [
        ([{"type": "subscribe", "id": "1", "payload": {"query": "{ __typename }"}}], 4401),
        ([{"type": "connection_init"}, {"type": "connection_init"}], 4429),
        (["not json"], 4400),
        ([{"type": "connection_init"}, {"type": "shout"}], 4400),
        ([{"type": "connection_init"}, {"type": "subscribe", "id": "1", "payload": {}}], 4400),
        ([{"type": "connection_init", "payload": {"authorization": "Bearer nonsense"}}], 4403),
        ([{"type": "connection_init", "payload": {"authorization": "Basic abc"}}], 4403),
    ],
)
async def test_protocol_violations_close_the_socket_with_the_protocols_code(
    live: RunningHub, messages: list[Any], code: int
) -> None:
    async with connect(ws_url(live.url), subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        for message in messages:
            await socket.send(message if isinstance(message, str) else json.dumps(message))
        received_code, reason = await _closed_with(socket)
    assert received_code == code, reason
    assert reason


async def test_a_repeated_operation_id_closes_the_socket_with_4409(live: RunningHub) -> None:
    async with graphql_ws(live.url) as client:
        query = "subscription { vacancyPosted { title } }"
        await client.send({"type": "subscribe", "id": "same", "payload": {"query": query}})
        await client.send({"type": "subscribe", "id": "same", "payload": {"query": query}})
        code, reason = await _closed_with(client.socket)
    assert (code, reason) == (4409, "Subscriber for same already exists")


async def test_a_client_that_never_says_hello_is_closed_with_4408(live: RunningHub) -> None:
    async with connect(ws_url(live.url), subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        code, _ = await _closed_with(socket)
    assert code == 4408


async def test_a_client_without_the_subprotocol_is_refused_with_4406(live: RunningHub) -> None:
    async with connect(ws_url(live.url)) as socket:
        code, _ = await _closed_with(socket)
    assert code == 4406


# ------------------------------------------------------------------------ ticketUpdated


async def test_the_owner_follows_their_ticket_as_the_police_work_on_it(live: RunningHub) -> None:
    number = await asyncio.to_thread(_report, live)
    async with graphql_ws(live.url, AMINA) as client:
        operation = await client.subscribe(FOLLOW, {"n": number})
        await until_subscribed(live.url, 1)
        await asyncio.to_thread(_post, live, ACKNOWLEDGE, {"n": number}, POLICE)
        update = await client.receive()
        assert (update["type"], update["id"]) == ("next", operation), update
        ticket = update["payload"]["data"]["ticketUpdated"]
        assert ticket["trackingNumber"] == number
        assert ticket["status"] == "ACKNOWLEDGED"
        assert ticket["title"] == "Street light out", "the owner sees their own words"

        await asyncio.to_thread(
            _post, live, COMMENT, {"n": number, "m": "An officer is on the way"}, POLICE
        )
        update = await client.receive()
        messages = [e["message"] for e in update["payload"]["data"]["ticketUpdated"]["timeline"]]
        assert "An officer is on the way" in messages

        await client.complete(operation)
        await until_subscribed(live.url, 0)


async def test_the_agencys_staff_follow_its_tickets(live: RunningHub) -> None:
    number = await asyncio.to_thread(_report, live)
    async with graphql_ws(live.url, POLICE) as client:
        await client.subscribe(FOLLOW, {"n": number})
        await until_subscribed(live.url, 1)
        await asyncio.to_thread(_post, live, ACKNOWLEDGE, {"n": number}, POLICE)
        update = await client.receive()
        assert update["payload"]["data"]["ticketUpdated"]["status"] == "ACKNOWLEDGED"


@pytest.mark.parametrize(
    ("who", "code"),
    [(BARAKA, "FORBIDDEN"), (REVENUE, "FORBIDDEN"), (None, "UNAUTHENTICATED")],
    ids=["another citizen", "another agency", "anonymous"],
)
async def test_nobody_else_may_follow_a_ticket(
    live: RunningHub, who: dict[str, str] | None, code: str
) -> None:
    number = await asyncio.to_thread(_report, live)
    async with graphql_ws(live.url, who) as client:
        operation = await client.subscribe(FOLLOW, {"n": number})
        refusal = await client.receive()
        assert refusal["id"] == operation
        assert refusal["type"] in ("next", "error"), refusal
        errors = refusal["payload"]["errors"] if refusal["type"] == "next" else refusal["payload"]
        assert [e["extensions"]["code"] for e in errors] == [code]
        assert "Street light" not in json.dumps(refusal)
        await until_subscribed(live.url, 0)


async def test_another_citizens_subscription_hears_nothing_of_this_ticket(
    live: RunningHub,
) -> None:
    mine = await asyncio.to_thread(_report, live, AMINA)
    theirs = await asyncio.to_thread(_report, live, BARAKA)
    async with graphql_ws(live.url, BARAKA) as client:
        await client.subscribe(FOLLOW, {"n": theirs})
        await until_subscribed(live.url, 1)
        await asyncio.to_thread(_post, live, ACKNOWLEDGE, {"n": mine}, POLICE)
        await asyncio.to_thread(_post, live, ACKNOWLEDGE, {"n": theirs}, POLICE)
        update = await client.receive()
        assert update["payload"]["data"]["ticketUpdated"]["trackingNumber"] == theirs


# ------------------------------------------------------------------------ leaving


async def test_disconnecting_frees_every_subscription_and_connection(live: RunningHub) -> None:
    number = await asyncio.to_thread(_report, live)
    async with graphql_ws(live.url, AMINA) as client:
        for _ in range(5):
            await client.subscribe(FOLLOW, {"n": number})
        await client.subscribe("subscription { vacancyPosted { title } }")
        await until_subscribed(live.url, 6)
        assert gauge(live.url, "hub_websocket_connections_open") == 1
    await until_subscribed(live.url, 0)
    deadline = asyncio.get_running_loop().time() + 10
    while gauge(live.url, "hub_websocket_connections_open") != 0:
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.05)


async def test_a_connection_holds_a_bounded_number_of_operations(
    standins: dict[str, RunningStandIn], tmp_path: Path, hub_keys: HubKeys
) -> None:
    with running_hub(
        tmp_path, standins, assertion_key_file=hub_keys.private_file, max_subscriptions=2
    ) as hub:
        async with graphql_ws(hub.url) as client:
            for _ in range(2):
                await client.subscribe("subscription { vacancyPosted { title } }")
            third = await client.subscribe("subscription { bidPublished { title } }")
            refusal = await client.receive()
        assert refusal["type"] == "error"
        assert refusal["id"] == third
        assert refusal["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"


# ------------------------------------------------------------------------ Server-Sent Events


def test_server_sent_events_stream_a_query_then_complete(live: RunningHub) -> None:
    with httpx.stream(
        "GET",
        f"{live.url}/graphql/stream",
        params={"query": "{ agencies { key } }"},
        headers={"accept": "text/event-stream"},
        timeout=30,
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    events = [block for block in text.split("\n\n") if block.strip()]
    assert events[0].startswith("event: next\ndata: ")
    answer = json.loads(events[0].split("data: ", 1)[1])
    assert {"revenue", "immigration", "police"} <= {a["key"] for a in answer["data"]["agencies"]}
    assert events[-1].startswith("event: complete")


async def test_server_sent_events_carry_a_tickets_updates_to_its_owner(live: RunningHub) -> None:
    number = await asyncio.to_thread(_report, live)
    async with (
        httpx.AsyncClient(timeout=30) as client,
        client.stream(
            "POST",
            f"{live.url}/graphql/stream",
            json={"query": FOLLOW, "variables": {"n": number}},
            headers={"accept": "text/event-stream", **AMINA},
        ) as response,
    ):
        assert response.status_code == 200
        await until_subscribed(live.url, 1)
        await asyncio.to_thread(_post, live, ACKNOWLEDGE, {"n": number}, POLICE)
        lines = response.aiter_lines()
        while await asyncio.wait_for(anext(lines), 20) != "event: next":
            pass
        data = json.loads((await anext(lines)).removeprefix("data: "))
        assert data["data"]["ticketUpdated"]["status"] == "ACKNOWLEDGED"
    await until_subscribed(live.url, 0)


@pytest.mark.parametrize(
    ("request_args", "status"),
    [
        (
            {
                "method": "GET",
                "params": {"query": "{ __typename }"},
                "headers": {"accept": "application/json"},
            },
            406,
        ),
        ({"method": "GET", "params": {}, "headers": {"accept": "text/event-stream"}}, 400),
        (
            {
                "method": "POST",
                "json": [{"query": "{ __typename }"}],
                "headers": {"accept": "text/event-stream"},
            },
            400,
        ),
        (
            {
                "method": "POST",
                "content": "{ __typename }",
                "headers": {"accept": "text/event-stream", "content-type": "text/plain"},
            },
            400,
        ),
    ],
    ids=["not accepting event streams", "no query", "a batch", "a cross-site form"],
)
def test_server_sent_events_refuse_malformed_requests_before_streaming(
    live: RunningHub, request_args: dict[str, Any], status: int
) -> None:
    method = request_args.pop("method")
    response = httpx.request(method, f"{live.url}/graphql/stream", timeout=30, **request_args)
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"]


# ------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        (
            "subscription($f: VacancyFilter) { vacancyPosted(filter: $f) { title } }",
            {"f": {"text": "bad\u0001text"}},
            "BAD_USER_INPUT",
        ),
        (
            "subscription($f: BidFilter) { bidPublished(filter: $f) { title } }",
            {"f": {"agencies": ["nowhere"]}},
            "BAD_USER_INPUT",
        ),
        ('subscription { newsPublished(agency: "nowhere") { title } }', None, "BAD_USER_INPUT"),
        ('subscription { securityAlerts(area: " ") { title } }', None, "BAD_USER_INPUT"),
        (
            "subscription($n: String!) { ticketUpdated(trackingNumber: $n) { status } }",
            {"n": 7},
            "BAD_USER_INPUT",
        ),
        (
            'subscription { ticketUpdated(trackingNumber: "not a number") { status } }',
            None,
            "BAD_USER_INPUT",
        ),
        (
            'subscription { ticketUpdated(trackingNumber: "CH-2020-999999") { status } }',
            None,
            "NOT_FOUND",
        ),
    ],
    ids=[
        "control characters",
        "unknown agency in a filter",
        "unknown agency",
        "blank area",
        "a number for a string",
        "not a tracking number",
        "no such ticket",
    ],
)
async def test_bad_subscriptions_are_refused_with_a_code_and_leave_nothing_open(
    live: RunningHub, query: str, variables: dict[str, Any] | None, code: str
) -> None:
    async with graphql_ws(live.url, AMINA) as client:
        operation = await client.subscribe(query, variables)
        refusal = await client.receive()
        assert refusal["id"] == operation
        errors = refusal["payload"]["errors"] if refusal["type"] == "next" else refusal["payload"]
        assert [e["extensions"]["code"] for e in errors] == [code], errors
    await until_subscribed(live.url, 0)


async def test_the_socket_closes_when_its_token_expires(live: RunningHub) -> None:
    token = mint_development_token(
        DEVELOPMENT_SECRET,
        issuer="citizen-hub",
        audience="citizen-hub",
        subject="citizen-brief",
        roles=[Role.CITIZEN],
        lifetime=2,
    )
    async with graphql_ws(live.url, {"authorization": f"Bearer {token}"}) as client:
        await client.subscribe("subscription { vacancyPosted { title } }")
        code, reason = await _closed_with(client.socket)
    assert (code, reason) == (4403, "Forbidden: the token expired")
    await until_subscribed(live.url, 0)


# ------------------------------------------------------------------------ pollResults

ADMIN = bearer("ops", Role.ADMIN)
CREATE_POLL = """
mutation Create($input: CreatePollInput!) {
  createPoll(input: $input) { id options { id label } }
}
"""
VOTE = "mutation Vote($p: ID!, $o: ID!) { vote(pollId: $p, optionId: $o) { id } }"
RESULTS = """
subscription Results($p: ID!) {
  pollResults(pollId: $p) { pollId totalVotes results { option { label } votes } }
}
"""


def _poll(hub: RunningHub) -> dict[str, Any]:
    data = _post(
        hub,
        CREATE_POLL,
        {
            "input": {
                "question": "Which day should the county clinic open late?",
                "options": ["Tuesday", "Thursday"],
                "closesAt": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
            }
        },
        ADMIN,
    )
    poll: dict[str, Any] = data["createPoll"]
    return poll


async def test_poll_results_stream_the_current_count_then_each_vote(live: RunningHub) -> None:
    poll = await asyncio.to_thread(_poll, live)
    tuesday, thursday = (option["id"] for option in poll["options"])
    async with graphql_ws(live.url) as client:
        await client.subscribe(RESULTS, {"p": poll["id"]})
        first = await client.receive()
        assert first["payload"]["data"]["pollResults"]["totalVotes"] == 0
        for voter, option in (
            ("citizen-1", tuesday),
            ("citizen-2", thursday),
            ("citizen-3", tuesday),
        ):
            await asyncio.to_thread(
                _post, live, VOTE, {"p": poll["id"], "o": option}, bearer(voter)
            )
        counts = []
        for _ in range(3):
            results = (await client.receive())["payload"]["data"]["pollResults"]
            counts.append({r["option"]["label"]: r["votes"] for r in results["results"]})
    assert counts[-1] == {"Tuesday": 2, "Thursday": 1}
    assert [sum(c.values()) for c in counts] == [1, 2, 3]


async def test_a_second_vote_is_refused_and_sends_no_results(live: RunningHub) -> None:
    poll = await asyncio.to_thread(_poll, live)
    tuesday = poll["options"][0]["id"]
    async with graphql_ws(live.url) as client:
        await client.subscribe(RESULTS, {"p": poll["id"]})
        await client.receive()
        await asyncio.to_thread(_post, live, VOTE, {"p": poll["id"], "o": tuesday}, AMINA)
        assert (await client.receive())["payload"]["data"]["pollResults"]["totalVotes"] == 1
        again = await asyncio.to_thread(
            live.post, VOTE, {"p": poll["id"], "o": tuesday}, headers=AMINA
        )
        assert again.json()["errors"][0]["extensions"]["code"] == "ALREADY_VOTED"
        await client.send({"type": "ping"})
        assert await client.receive() == {"type": "pong"}, "no second results message"


async def test_results_of_an_unknown_poll_are_refused(live: RunningHub) -> None:
    async with graphql_ws(live.url) as client:
        await client.subscribe(RESULTS, {"p": "Poll:hub:999999"})
        refusal = await client.receive()
    assert refusal["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"


# ------------------------------------------------------------------------ budgets, expiry


async def test_operations_over_the_socket_and_streams_spend_the_http_rate_budget(
    standins: dict[str, RunningStandIn], tmp_path: Path, hub_keys: HubKeys
) -> None:
    with running_hub(
        tmp_path,
        standins,
        assertion_key_file=hub_keys.private_file,
        rate_limit_burst=2,
        rate_limit_per_second=0.01,
    ) as hub:
        async with graphql_ws(hub.url, AMINA) as client:
            answers = []
            for _ in range(3):
                await client.subscribe("{ __typename }")
                answers.append(await client.receive())
                if answers[-1]["type"] == "next":
                    assert (await client.receive())["type"] == "complete"
        assert [a["type"] for a in answers] == ["next", "next", "error"]
        refusal = answers[-1]["payload"][0]["extensions"]
        assert refusal["code"] == "RATE_LIMITED"
        assert refusal["retryAfter"] >= 1

        streamed = await asyncio.to_thread(
            httpx.post,
            f"{hub.url}/graphql/stream",
            json={"query": "{ __typename }"},
            headers={"accept": "text/event-stream", **AMINA},
            timeout=30,
        )
        assert streamed.status_code == 429
        assert streamed.headers["retry-after"]


def test_a_stream_ends_when_its_token_expires(live: RunningHub) -> None:
    token = mint_development_token(
        DEVELOPMENT_SECRET,
        issuer="citizen-hub",
        audience="citizen-hub",
        subject="citizen-brief",
        roles=[Role.CITIZEN],
        lifetime=2,
    )
    with httpx.stream(
        "POST",
        f"{live.url}/graphql/stream",
        json={"query": "subscription { vacancyPosted { title } }"},
        headers={"accept": "text/event-stream", "authorization": f"Bearer {token}"},
        timeout=30,
    ) as response:
        text = "".join(response.iter_text())
    events = [block for block in text.split("\n\n") if block.strip()]
    last_next = json.loads(events[-2].split("data: ", 1)[1])
    assert last_next["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert events[-1].startswith("event: complete")
