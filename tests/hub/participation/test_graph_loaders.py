"""The participation fields of a whole list read the database once: agencies' feedback
summaries, and polls' results and the caller's votes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from hub.agencies import AgencyRegistry, load_agencies
from hub.cache import AnswerCache, open_store
from hub.gateway import Gateway, Guard
from hub.identity import Caller
from hub.participation import Participation
from hub.schema import HubContext, HubSchema, build_schema
from hub.settings import Settings
from legacy.running import DEMO_FILE
from tests.hub.participation.support import ADMIN, NOW, citizen, poll

DEMO_ENV = {"REVENUE_USERNAME": "u", "REVENUE_PASSWORD": "p", "IMMIGRATION_API_KEY": "k"}


@pytest.fixture(scope="module")
def registry() -> AgencyRegistry:
    return AgencyRegistry(load_agencies(DEMO_FILE, environ=DEMO_ENV))


@pytest.fixture(scope="module")
def schema(registry: AgencyRegistry) -> HubSchema:
    return build_schema(registry, Guard(registry))


@pytest.fixture
def statements(stores: Participation) -> Iterator[list[str]]:
    """The SQL statements the stores' engine runs from now on."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = stores.polls.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


async def run(
    schema: HubSchema,
    registry: AgencyRegistry,
    stores: Participation,
    query: str,
    caller: Caller,
) -> dict[str, Any]:
    context = HubContext(
        settings=Settings(_env_file=None),  # type: ignore[call-arg]
        registry=registry,
        gateway=Gateway(registry, Guard(registry), AnswerCache(open_store("memory://"))),
        caller=caller,
        participation=stores,
    )
    result = await schema.execute(query, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def touching(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if f"FROM {table}" in s or f"JOIN {table}" in s]


async def test_the_feedback_of_every_agency_is_one_query(
    schema: HubSchema, registry: AgencyRegistry, stores: Participation, statements: list[str]
) -> None:
    await stores.feedback.send("police", 5, "Quick help.", citizen("a"))
    await stores.feedback.send("police", 2, "Slow.", citizen("b"))
    statements.clear()

    data = await run(
        schema,
        registry,
        stores,
        "{ agencies { key feedback { count averageRating } } }",
        citizen("c"),
    )

    summaries = {a["key"]: a["feedback"] for a in data["agencies"]}
    assert summaries["police"] == {"count": 2, "averageRating": 3.5}
    assert summaries["revenue"] == {"count": 0, "averageRating": None}
    assert len(summaries) == len(registry) > 1
    assert len(touching(statements, "agency_feedback")) == 1


async def test_results_and_votes_of_a_page_of_polls_are_one_query_each(
    schema: HubSchema, registry: AgencyRegistry, stores: Participation, statements: list[str]
) -> None:
    made = [await stores.polls.create(poll(closes_at=NOW.replace(year=2099)), ADMIN) for _ in "abc"]
    amina = citizen("amina")
    await stores.polls.vote(made[0].id, made[0].options[1].id, amina)
    await stores.polls.vote(made[2].id, made[2].options[0].id, citizen("baraka"))
    statements.clear()

    data = await run(
        schema,
        registry,
        stores,
        "{ polls(first: 10) { edges { node { id totalVotes results { votes } "
        "myVote { label } } } } }",
        amina,
    )

    nodes = [edge["node"] for edge in data["polls"]["edges"]]
    assert [n["id"] for n in nodes] == [f"Poll:hub:{p.id}" for p in reversed(made)]
    assert [n["totalVotes"] for n in nodes] == [1, 0, 1]
    assert [[r["votes"] for r in n["results"]] for n in nodes] == [[1, 0, 0], [0, 0, 0], [0, 1, 0]]
    assert [n["myVote"] for n in nodes] == [None, None, {"label": "Kenyatta Avenue"}]
    # One for the results, one for the caller's votes.
    assert len(touching(statements, "poll_votes")) == 2
