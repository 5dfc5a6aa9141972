"""Events cross hub processes through Redis: a change served by one ``hub serve``
process reaches a subscriber connected to another."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.identity import Role
from legacy.running import RunningStandIn, agencies_file
from tests.support.keys import HubKeys
from tests.support.live import graphql_ws, hub_process, until_subscribed
from tests.support.processes import DEMO_SECRETS
from tests.support.services import require_redis
from tests.support.tokens import bearer

pytestmark = [pytest.mark.redis, pytest.mark.slow]

AMINA = bearer("citizen-amina")
POLICE = bearer("officer-police", Role.RESOLVER, agency="police")


def _post(url: str, query: str, variables: dict[str, Any], who: dict[str, str]) -> Any:
    body = httpx.post(
        f"{url}/graphql", json={"query": query, "variables": variables}, headers=who, timeout=30
    ).json()
    assert "errors" not in body, body
    return body["data"]


async def test_a_mutation_on_one_process_reaches_a_subscriber_on_another(
    tmp_path: Path, standins: dict[str, RunningStandIn], hub_keys: HubKeys
) -> None:
    redis = require_redis()
    env = {
        **DEMO_SECRETS,
        "HUB_AGENCIES_FILE": str(agencies_file(tmp_path / "agencies.yaml", standins)),
        "HUB_ENV_FILE": str(tmp_path / "no.env"),
        "HUB_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}",
        "HUB_ASSERTION_KEY_FILE": str(hub_keys.private_file),
        "HUB_EVENTS_URL": redis,
        "HUB_WORKERS_IN_SERVE": "false",
        "HUB_RATE_LIMIT_BURST": "0",
    }
    with hub_process(env, tmp_path) as first, hub_process(env, tmp_path) as second:
        submitted = await asyncio.to_thread(
            _post,
            first,
            "mutation($i: SubmitTicketInput!) "
            "{ submitTicket(input: $i) { ticket { trackingNumber } } }",
            {
                "i": {
                    "kind": "REPORT",
                    "title": "Broken gate at the market",
                    "description": "The market's gate was forced open last night.",
                    "agency": "police",
                    "idempotencyKey": str(uuid.uuid4()),
                }
            },
            AMINA,
        )
        number = submitted["submitTicket"]["ticket"]["trackingNumber"]
        async with graphql_ws(second, AMINA) as client:
            await client.subscribe(
                "subscription($n: String!) { ticketUpdated(trackingNumber: $n) { status } }",
                {"n": number},
            )
            await until_subscribed(second, 1)
            await asyncio.to_thread(
                _post,
                first,
                "mutation($n: String!) { acknowledgeTicket(trackingNumber: $n) { status } }",
                {"n": number},
                POLICE,
            )
            update = await client.receive()
        assert update["payload"]["data"]["ticketUpdated"]["status"] == "ACKNOWLEDGED"
