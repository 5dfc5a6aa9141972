"""End to end: a vacancy the immigration stand-in's HR office posts reaches a client
subscribed to ``vacancyPosted`` on the served hub, found by the hub's own watchers."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import orjson

from legacy.running import RunningStandIn
from tests.hub.watch.watching import ONLY_IMMIGRATION_VACANCIES, baseline_taken, posted_advert
from tests.support.hub import running_hub

SUBSCRIPTION = """subscription {
  vacancyPosted(filter: {agencies: ["immigration"]}) { localId title agency { key } }
}"""

ATTEMPTS = 10
WAIT_PER_ATTEMPT = 5.0
"""Seconds to wait for an advert's event before posting another: the subscription may
start listening only after the stream's headers were sent."""


async def read_events(response: httpx.Response, into: asyncio.Queue[dict[str, Any]]) -> None:
    """Put the data of each ``next`` event of the Server-Sent Events ``response`` in ``into``."""
    event = None
    async for line in response.aiter_lines():
        if line.startswith("event:"):
            event = line.removeprefix("event:").strip()
        elif line.startswith("data:") and event == "next":
            await into.put(orjson.loads(line.removeprefix("data:")))


async def test_a_new_vacancy_in_the_immigration_stand_in_reaches_a_vacancy_posted_subscriber(
    tmp_path: Path, hub_agencies: Mapping[str, RunningStandIn]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    immigration = hub_agencies["immigration"]
    with running_hub(
        tmp_path, hub_agencies, ONLY_IMMIGRATION_VACANCIES, database_url=url, workers_in_serve=True
    ) as hub:
        await baseline_taken(url)
        received: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        posted: dict[str, str] = {}
        async with (
            httpx.AsyncClient(base_url=hub.url, timeout=60) as client,
            client.stream(
                "POST",
                "/graphql/stream",
                json={"query": SUBSCRIPTION},
                headers={"accept": "text/event-stream"},
            ) as response,
        ):
            assert response.status_code == 200
            reading = asyncio.create_task(read_events(response, received))
            try:
                body = None
                for _ in range(ATTEMPTS):
                    title = f"Senior Immigration Officer {uuid.uuid4().hex[:6]}"
                    posted[await posted_advert(immigration, title)] = title
                    with contextlib.suppress(TimeoutError):
                        body = await asyncio.wait_for(received.get(), WAIT_PER_ATTEMPT)
                        break
            finally:
                reading.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reading

    assert body is not None, f"no vacancyPosted event for any of {sorted(posted)}"
    assert "errors" not in body, body
    vacancy = body["data"]["vacancyPosted"]
    assert vacancy["localId"] in posted
    assert vacancy["title"] == posted[vacancy["localId"]]
    assert vacancy["agency"] == {"key": "immigration"}
