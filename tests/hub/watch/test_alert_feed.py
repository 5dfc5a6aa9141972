"""End to end over WebSocket: a citizen's saved alert matches a vacancy the immigration
stand-in posts, found by the hub's watchers, and the citizen's ``myAlertFeed`` gets it;
a citizen whose alerts it does not match gets nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from hub.identity import Role
from legacy.running import RunningStandIn
from tests.hub.watch.watching import ONLY_IMMIGRATION_VACANCIES, baseline_taken, posted_advert
from tests.support.hub import RunningHub, running_hub
from tests.support.live import gauge, graphql_ws, until_subscribed
from tests.support.tokens import bearer

AMINA = bearer("citizen-amina")
BARAKA = bearer("citizen-baraka")
SAVE = """
mutation Save($input: SaveAlertInput!) { saveAlert(input: $input) { id name } }
"""
FEED = """
subscription Feed {
  myAlertFeed {
    kind
    alerts { name }
    item { __typename ... on Vacancy { localId title agency { key } } }
  }
}
"""


def _saved(hub: RunningHub, who: dict[str, str], alert: dict[str, Any]) -> None:
    body = hub.post(SAVE, {"input": alert}, headers=who).json()
    assert "errors" not in body, body


async def test_a_matching_vacancy_reaches_the_citizens_alert_feed_and_no_one_else(
    tmp_path: Path, hub_agencies: Mapping[str, RunningStandIn]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    marker = uuid.uuid4().hex[:8]
    with running_hub(
        tmp_path, hub_agencies, ONLY_IMMIGRATION_VACANCIES, database_url=url, workers_in_serve=True
    ) as hub:
        await baseline_taken(url)
        await asyncio.to_thread(
            _saved,
            hub,
            AMINA,
            {"name": "Driver jobs", "keywords": [f"driver{marker}"], "kinds": ["VACANCY"]},
        )
        await asyncio.to_thread(
            _saved, hub, BARAKA, {"name": "Tenders", "keywords": ["tender"], "kinds": ["BID"]}
        )
        internal = gauge(hub.url, "hub_subscriptions_open")  # the delivery workers' own
        async with graphql_ws(hub.url, AMINA) as amina, graphql_ws(hub.url, BARAKA) as baraka:
            await amina.subscribe(FEED)
            await baraka.subscribe(FEED)
            await until_subscribed(hub.url, int(internal) + 2)
            await posted_advert(hub_agencies["immigration"], f"Clerk {marker}")
            local_id = await posted_advert(
                hub_agencies["immigration"], f"Senior driver{marker} for the Director"
            )
            match = await amina.receive()
            await baraka.send({"type": "ping"})
            assert await baraka.receive() == {"type": "pong"}, "Baraka's alerts match no vacancy"

    feed = match["payload"]["data"]["myAlertFeed"]
    assert feed["kind"] == "VACANCY"
    assert feed["alerts"] == [{"name": "Driver jobs"}]
    assert feed["item"]["__typename"] == "Vacancy"
    assert feed["item"]["localId"] == local_id
    assert feed["item"]["agency"] == {"key": "immigration"}


@pytest.mark.parametrize("who", [None, bearer("officer", Role.RESOLVER, agency="police")])
async def test_only_citizens_have_an_alert_feed(
    tmp_path: Path, hub_agencies: Mapping[str, RunningStandIn], who: dict[str, str] | None
) -> None:
    with running_hub(tmp_path, hub_agencies) as hub:
        async with graphql_ws(hub.url, who) as client:
            await client.subscribe(FEED)
            refusal = await client.receive()
    errors = refusal["payload"]["errors"] if refusal["type"] == "next" else refusal["payload"]
    assert errors[0]["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN")
