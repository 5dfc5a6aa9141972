"""Timelines of many tickets at once: the same entries as one at a time, for every caller,
and a list of tickets in the graph costs the same statements however long it is; on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hub.agencies import AgencyRegistry, load_agencies
from hub.audit import AuditLog
from hub.errors import InvalidInput, NotFound
from hub.gateway import Gateway, Guard
from hub.identity import ANONYMOUS, Caller
from hub.schema import HubContext, HubSchema, build_schema
from hub.settings import Settings
from hub.tickets import TicketStore, TicketView
from legacy.running import DEMO_FILE
from tests.hub.tickets.test_store_support import NOW, THEFT, VAT, audit_rows
from tests.support.callers import admin, citizen, resolver
from tests.support.statements import statements_sent

DEMO_ENV = {"REVENUE_USERNAME": "u", "REVENUE_PASSWORD": "p", "IMMIGRATION_API_KEY": "k"}
OWNER = citizen("amina")
CALLERS = {
    "anonymous": ANONYMOUS,
    "owner": OWNER,
    "another citizen": citizen("baraka"),
    "police staff": resolver("police"),
    "revenue staff": resolver("revenue"),
    "immigration staff": resolver("immigration"),
    "admin": admin(),
}
MINE = """
query Mine($first: Int!) {
  myTickets(first: $first) {
    edges { node { trackingNumber timeline { kind public message actorSubject } } }
  }
}
"""
QUEUE = """
query Queue($first: Int!) {
  agencyTickets(agency: "police", first: $first) {
    edges { node { trackingNumber timeline { kind public message actorSubject } } }
  }
}
"""


async def commented_tickets(store: TicketStore, count: int) -> list[TicketView]:
    """``count`` tickets of OWNER, alternately police's and revenue's, each with an
    internal and a public comment by its agency's staff."""
    tickets = []
    for index in range(count):
        at = NOW + timedelta(minutes=10 * index)
        stored = await store.submit(THEFT if index % 2 == 0 else VAT, OWNER, now=at)
        staff = resolver(stored.agency)
        number = stored.tracking_number
        await store.comment(number, staff, f"internal {index}", public=False, now=at)
        await store.comment(number, staff, f"public {index}", public=True, now=at)
        tickets.append(stored)
    return tickets


def messages(events: list[Any]) -> list[str | None]:
    return [event.message for event in events]


@pytest.mark.parametrize("who", list(CALLERS))
async def test_many_timelines_show_each_caller_what_one_at_a_time_shows(
    store: TicketStore, who: str
) -> None:
    caller = CALLERS[who]
    numbers = [t.tracking_number for t in await commented_tickets(store, 4)]
    # A reassigned ticket: its new agency's staff see its internal entries, the old one's not.
    await store.reassign(numbers[0], resolver("police"), "immigration", "A stolen passport.")

    asked = [*numbers, f"  {numbers[1].lower()} ", "CH-2026-000999"]
    together = await store.timelines(asked, caller)

    assert list(together) == asked[:-1]
    for given in asked[:-1]:
        assert together[given] == await store.timeline(given, caller)
    with pytest.raises(NotFound):
        await store.timeline("CH-2026-000999", caller)


async def test_internal_entries_are_for_staff_of_the_tickets_agency_now_and_admins(
    store: TicketStore,
) -> None:
    police_first, revenue_second = [t.tracking_number for t in await commented_tickets(store, 2)]
    await store.reassign(police_first, resolver("police"), "immigration", "A stolen passport.")

    def internal(found: dict[str, Any]) -> dict[str, list[str | None]]:
        return {
            number: [m for m in messages(events) if m and m.startswith("internal")]
            for number, events in found.items()
        }

    numbers = [police_first, revenue_second]
    for caller, expected in [
        (admin(), {police_first: ["internal 0"], revenue_second: ["internal 1"]}),
        (resolver("immigration"), {police_first: ["internal 0"], revenue_second: []}),
        (resolver("revenue"), {police_first: [], revenue_second: ["internal 1"]}),
        (resolver("police"), {police_first: [], revenue_second: []}),
        (OWNER, {police_first: [], revenue_second: []}),
        (ANONYMOUS, {police_first: [], revenue_second: []}),
    ]:
        assert internal(await store.timelines(numbers, caller)) == expected, caller


async def test_a_malformed_tracking_number_is_refused_before_any_statement(
    store: TicketStore,
) -> None:
    number = (await store.submit(THEFT, OWNER, now=NOW)).tracking_number
    with statements_sent(store.engine) as sent:
        with pytest.raises(InvalidInput, match="not a tracking number") as refused:
            await store.timelines([number, "CH-26-1"], OWNER)
        assert await store.timelines([], OWNER) == {}
    assert refused.value.argument == "trackingNumber"
    assert sent == []


# ------------------------------------------------------------------------------ graph


def graph() -> HubSchema:
    registry = AgencyRegistry(load_agencies(DEMO_FILE, environ=DEMO_ENV))
    return build_schema(registry, Guard(registry))


async def run(
    schema: HubSchema, store: TicketStore, query: str, first: int, caller: Caller
) -> tuple[dict[str, Any], list[str]]:
    """Run ``query`` as ``caller``; its data and the statements the hub's database got."""
    registry = AgencyRegistry(load_agencies(DEMO_FILE, environ=DEMO_ENV))
    context = HubContext(
        settings=Settings(),
        registry=registry,
        gateway=Gateway(registry),
        caller=caller,
        audit=AuditLog(store.engine),
        tickets=store,
    )
    with statements_sent(store.engine) as sent:
        result = await schema.execute(query, {"first": first}, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data, list(sent)


@pytest.mark.parametrize(
    ("query", "caller", "field"),
    [(MINE, OWNER, "myTickets"), (QUEUE, resolver("police"), "agencyTickets")],
)
async def test_a_list_of_tickets_with_timelines_costs_the_same_statements_however_long(
    store: TicketStore, query: str, caller: Caller, field: str
) -> None:
    await commented_tickets(store, 12)
    schema = graph()

    short, short_sent = await run(schema, store, query, 1, caller)
    long, long_sent = await run(schema, store, query, 6, caller)

    assert len(short[field]["edges"]) == 1
    assert len(long[field]["edges"]) == 6
    assert len(long_sent) == len(short_sent)
    reading_events = [s for s in long_sent if "ticket_events" in s]
    assert len(reading_events) == 1, long_sent
    for edge in long[field]["edges"]:
        node = edge["node"]
        one_by_one = await store.timeline(node["trackingNumber"], caller)
        assert [entry["message"] for entry in node["timeline"]] == messages(one_by_one)
        assert [entry["public"] for entry in node["timeline"]] == [e.public for e in one_by_one]
    # The list is still audited once per request, as it was before the timelines batched.
    rows = [row for row in await audit_rows(store) if row[0] == field]
    assert len(rows) == 2


async def test_a_mutation_then_a_read_in_one_document_sees_the_change(
    store: TicketStore,
) -> None:
    number = (await commented_tickets(store, 1))[0].tracking_number
    document = """
    mutation Twice($n: String!) {
      first: commentOnTicket(trackingNumber: $n, message: "one", public: true) {
        timeline { message }
      }
      second: commentOnTicket(trackingNumber: $n, message: "two", public: true) {
        timeline { message }
      }
    }
    """
    registry = AgencyRegistry(load_agencies(DEMO_FILE, environ=DEMO_ENV))
    context = HubContext(
        settings=Settings(),
        registry=registry,
        gateway=Gateway(registry),
        caller=resolver("police"),
        audit=AuditLog(store.engine),
        tickets=store,
    )
    result = await graph().execute(document, {"n": number}, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    first = [e["message"] for e in result.data["first"]["timeline"]]
    second = [e["message"] for e in result.data["second"]["timeline"]]
    assert first[-1] == "one"
    assert second[-2:] == ["one", "two"]
