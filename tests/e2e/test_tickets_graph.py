"""Tickets through the real hub over HTTP: citizens submit and follow them, agency staff
work them, each caller sees what the rules let them see, and bad input writes nothing."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import yaml

from hub.app import create_app
from hub.identity import Role
from hub.settings import Settings
from legacy import BackgroundServer
from legacy.running import DEMO_FILE, RunningStandIn, agencies_file
from tests.support.hub import RunningHub
from tests.support.tokens import bearer

TRACKING = re.compile(r"CH-(\d{4})-(\d{6})")
POLICE = bearer("officer-police", Role.RESOLVER, agency="police")
REVENUE = bearer("officer-revenue", Role.RESOLVER, agency="revenue")
ADMIN = bearer("ops", Role.ADMIN)
NOBODY: dict[str, str] = {}

TICKET_FIELDS = """
  trackingNumber kind status category priority slaState personalDataVisible
  submittedAt firstResponseDueAt resolutionDueAt firstRespondedAt resolvedAt resolution
  reopenedCount title description
  agency { key }
  routing { agency category priority reason }
  location { area address latitude longitude }
  contact { name phone email }
  rating { score comment }
  timeline { kind status public actorRole actorSubject message }
"""
SUBMIT = f"""
mutation Submit($input: SubmitTicketInput!) {{
  submitTicket(input: $input) {{ ticket {{ {TICKET_FIELDS} }} }}
}}
"""
FOLLOW = f"query Follow($n: String!) {{ ticket(trackingNumber: $n) {{ {TICKET_FIELDS} }} }}"
MINE = """
query Mine($filter: MyTicketsFilter, $first: Int = 20, $after: String) {
  myTickets(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { trackingNumber status personalDataVisible title } }
  }
}
"""
QUEUE = """
query Queue($agency: String!, $filter: AgencyTicketsFilter) {
  agencyTickets(agency: $agency, first: 100, filter: $filter) {
    totalCount edges { node { trackingNumber status personalDataVisible title } }
  }
}
"""
ACKNOWLEDGE = """
mutation Ack($n: String!, $m: String) {
  acknowledgeTicket(trackingNumber: $n, message: $m) { status firstRespondedAt }
}
"""
COMMENT = """
mutation Comment($n: String!, $m: String!, $p: Boolean!) {
  commentOnTicket(trackingNumber: $n, message: $m, public: $p) { status }
}
"""
SET_STATUS = """
mutation SetStatus($n: String!, $s: SettableTicketStatus!, $resolution: String, $reason: String) {
  setTicketStatus(trackingNumber: $n, status: $s, resolution: $resolution, reason: $reason) {
    status resolvedAt resolution
  }
}
"""
REASSIGN = """
mutation Reassign($n: String!, $a: String!, $r: String!) {
  reassignTicket(trackingNumber: $n, agency: $a, reason: $r) {
    status personalDataVisible routing { agency category }
  }
}
"""
RATE = """
mutation Rate($n: String!, $s: Int!, $c: String) {
  rateTicket(trackingNumber: $n, score: $s, comment: $c) { rating { score comment } }
}
"""
REOPEN = """
mutation Reopen($n: String!, $r: String!) {
  reopenTicket(trackingNumber: $n, reason: $r) { status resolvedAt reopenedCount }
}
"""
STATISTICS = """
query Stats($filter: TicketStatisticsFilter, $by: TicketStatisticsGroupBy! = AGENCY) {
  ticketStatistics(filter: $filter, groupBy: $by) {
    key total resolved rated averageRating slaCompliancePercent
    byStatus { status count }
    firstResponse { count medianHours p90Hours }
  }
}
"""
READS = """
query Reads($number: String!) {
  auditLog(first: 100, filter: { objectId: $number, field: "ticket" }) {
    edges { node { subject role agency outcome } }
  }
}
"""
AUDIT = """
query Audit($subject: String!) {
  auditLog(first: 100, filter: { subject: $subject }) {
    edges { node { field objectId agency outcome operation } }
  }
}
"""


def ask(
    hub: RunningHub, query: str, variables: dict[str, Any] | None = None, *, who: dict[str, str]
) -> dict[str, Any]:
    body: dict[str, Any] = hub.post(query, variables, headers=who).json()
    return body


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def theft(key: str | None = None, **changes: Any) -> dict[str, Any]:
    """A citizen's report of a stolen phone, which routes to the police's crime desk."""
    ticket: dict[str, Any] = {
        "kind": "REPORT",
        "title": "My phone was stolen",
        "description": "Theft at the Kencom bus stop this morning; a man took my phone.",
        "location": {
            "area": "Nairobi CBD",
            "address": "Kencom bus stop, Moi Avenue",
            "latitude": -1.2841,
            "longitude": 36.8233,
        },
        "contact": {"name": "Amina W.", "phone": "+254 712 345 678", "email": "amina@example.org"},
        "idempotencyKey": key or str(uuid.uuid4()),
    }
    return ticket | changes


def submit(hub: RunningHub, who: dict[str, str], ticket: dict[str, Any]) -> dict[str, Any]:
    body = ask(hub, SUBMIT, {"input": ticket}, who=who)
    assert codes(body) == [], body
    shown: dict[str, Any] = body["data"]["submitTicket"]["ticket"]
    return shown


def follow(hub: RunningHub, number: str, who: dict[str, str]) -> dict[str, Any]:
    body = ask(hub, FOLLOW, {"n": number}, who=who)
    assert codes(body) == [], body
    shown: dict[str, Any] = body["data"]["ticket"]
    return shown


def my_count(hub: RunningHub, who: dict[str, str]) -> int:
    body = ask(hub, MINE, who=who)
    assert codes(body) == [], body
    count: int = body["data"]["myTickets"]["totalCount"]
    return count


def citizen() -> dict[str, str]:
    return bearer(f"citizen-{uuid.uuid4().hex[:10]}")


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


PERSONAL = ("title", "description", "contact", "rating")


def test_a_citizen_submits_a_ticket_that_is_routed_and_given_its_deadlines(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    ticket = submit(hub, amina, theft())

    match = TRACKING.fullmatch(ticket["trackingNumber"])
    assert match is not None, ticket["trackingNumber"]
    assert int(match[1]) == moment(ticket["submittedAt"]).year
    assert ticket["status"] == "RECEIVED"
    assert ticket["routing"]["agency"] == ticket["agency"]["key"] == "police"
    assert ticket["routing"]["category"] == ticket["category"] == "police/crime"
    assert ticket["priority"] == ticket["routing"]["priority"] == "HIGH"
    assert ticket["routing"]["reason"]
    submitted = moment(ticket["submittedAt"])
    assert moment(ticket["firstResponseDueAt"]) - submitted == timedelta(hours=1)
    assert moment(ticket["resolutionDueAt"]) - submitted == timedelta(hours=168)
    assert ticket["slaState"] == "ON_TRACK"
    assert ticket["personalDataVisible"] is True
    assert ticket["title"] == "My phone was stolen"
    assert ticket["contact"] == {
        "name": "Amina W.",
        "phone": "+254 712 345 678",
        "email": "amina@example.org",
    }
    assert [(e["kind"], e["status"], e["public"]) for e in ticket["timeline"]] == [
        ("SUBMITTED", "RECEIVED", True),
        ("ROUTED", None, True),
    ]


def test_the_same_idempotency_key_returns_the_same_ticket_and_a_reused_one_is_refused(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    key = str(uuid.uuid4())
    first = submit(hub, amina, theft(key))
    again = submit(hub, amina, theft(key))
    assert again["trackingNumber"] == first["trackingNumber"]
    assert my_count(hub, amina) == 1

    other = ask(hub, SUBMIT, {"input": theft(key, title="Another phone")}, who=amina)
    assert codes(other) == ["BAD_USER_INPUT"]
    assert other["errors"][0]["extensions"]["argument"] == "input.idempotencyKey"
    assert other["data"] == {"submitTicket": None}
    assert my_count(hub, amina) == 1


def test_anyone_follows_a_ticket_but_only_its_owner_and_staff_see_personal_data(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    number = submit(hub, amina, theft())["trackingNumber"]

    for stranger in (NOBODY, citizen(), REVENUE):
        seen = follow(hub, number, stranger)
        assert seen["trackingNumber"] == number
        assert (seen["status"], seen["category"], seen["priority"]) == (
            "RECEIVED",
            "police/crime",
            "HIGH",
        )
        assert seen["routing"]["agency"] == "police"
        assert seen["firstResponseDueAt"]
        assert seen["slaState"] == "ON_TRACK"
        assert seen["personalDataVisible"] is False
        assert {name: seen[name] for name in PERSONAL} == dict.fromkeys(PERSONAL)
        assert seen["location"] == {
            "area": "Nairobi CBD",
            "address": None,
            "latitude": None,
            "longitude": None,
        }
        assert [e["kind"] for e in seen["timeline"]] == ["SUBMITTED", "ROUTED"]

    for insider in (amina, POLICE, ADMIN):
        seen = follow(hub, number, insider)
        assert seen["personalDataVisible"] is True
        assert seen["description"].startswith("Theft at the Kencom bus stop")
        assert seen["location"]["latitude"] == -1.2841
        assert seen["contact"]["email"] == "amina@example.org"

    reads = ask(hub, READS, {"number": number}, who=ADMIN)["data"]["auditLog"]["edges"]
    assert sorted((r["node"]["role"], r["node"]["agency"]) for r in reads) == [
        ("ADMIN", "police"),
        ("CITIZEN", "police"),
        ("RESOLVER", "police"),
    ]

    assert ask(hub, FOLLOW, {"n": "CH-1999-999999"}, who=NOBODY) == {"data": {"ticket": None}}
    malformed = ask(hub, FOLLOW, {"n": "ticket 42"}, who=NOBODY)
    assert codes(malformed) == ["BAD_USER_INPUT"]
    assert "CH-2026-004217" in malformed["errors"][0]["message"]


def test_an_anonymous_ticket_is_followed_by_its_number_alone(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    sent = submit(hub, NOBODY, theft(contact=None))
    assert sent["personalDataVisible"] is True
    assert sent["title"] == "My phone was stolen"
    assert sent["contact"] is None

    later = follow(hub, sent["trackingNumber"], NOBODY)
    assert later["status"] == "RECEIVED"
    assert later["personalDataVisible"] is False
    assert later["title"] is None
    assert follow(hub, sent["trackingNumber"], POLICE)["title"] == "My phone was stolen"

    rate = ask(hub, RATE, {"n": sent["trackingNumber"], "s": 5}, who=NOBODY)
    assert codes(rate) == ["UNAUTHENTICATED"]


def test_a_ticket_sent_with_a_token_that_is_not_accepted_is_refused_not_made_anonymous(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    expired = {"authorization": "Bearer not-a-token"}
    body = ask(hub, SUBMIT, {"input": theft()}, who=expired)
    assert codes(body) == ["UNAUTHENTICATED"]
    assert "bearer token was not accepted" in body["errors"][0]["message"]
    assert body["data"] == {"submitTicket": None}


def test_my_tickets_lists_the_citizens_own_tickets_newest_first(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina, bob = citizen(), citizen()
    numbers = [submit(hub, amina, theft())["trackingNumber"] for _ in range(3)]
    enquiry = theft(
        kind="ENQUIRY", title="Police abstract", description="How do I get an abstract?"
    )
    numbers.append(submit(hub, amina, enquiry)["trackingNumber"])
    submit(hub, bob, theft())

    first = ask(hub, MINE, {"first": 3}, who=amina)["data"]["myTickets"]
    assert first["totalCount"] == 4
    assert first["pageInfo"]["hasNextPage"] is True
    rest = ask(hub, MINE, {"first": 3, "after": first["pageInfo"]["endCursor"]}, who=amina)
    listed = [e["node"] for e in first["edges"] + rest["data"]["myTickets"]["edges"]]
    assert [n["trackingNumber"] for n in listed] == list(reversed(numbers))
    assert all(n["personalDataVisible"] and n["title"] for n in listed)

    reports = ask(hub, MINE, {"filter": {"kind": "REPORT"}}, who=amina)["data"]["myTickets"]
    assert reports["totalCount"] == 3
    resolved = ask(hub, MINE, {"filter": {"status": ["RESOLVED"]}}, who=amina)
    assert resolved["data"]["myTickets"]["totalCount"] == 0

    anonymous = ask(hub, MINE, who=NOBODY)
    assert codes(anonymous) == ["UNAUTHENTICATED"]
    assert anonymous["data"] == {"myTickets": None}
    forged = ask(hub, MINE, {"after": "bm90LWEtY3Vyc29y"}, who=amina)
    assert codes(forged) == ["BAD_USER_INPUT"]


def test_police_staff_work_the_ticket_and_another_agency_changes_nothing(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    number = submit(hub, amina, theft())["trackingNumber"]
    queue = ask(hub, QUEUE, {"agency": "police", "filter": {"openOnly": True}}, who=POLICE)
    (mine,) = [
        e["node"]
        for e in queue["data"]["agencyTickets"]["edges"]
        if e["node"]["trackingNumber"] == number
    ]
    assert mine["personalDataVisible"] is True
    assert mine["title"] == "My phone was stolen"

    before = follow(hub, number, ADMIN)
    refused = [
        ask(hub, ACKNOWLEDGE, {"n": number}, who=REVENUE),
        ask(hub, COMMENT, {"n": number, "m": "Not ours", "p": True}, who=REVENUE),
        ask(hub, SET_STATUS, {"n": number, "s": "REJECTED", "reason": "No"}, who=REVENUE),
        ask(hub, REASSIGN, {"n": number, "a": "revenue", "r": "Mine now"}, who=REVENUE),
        ask(hub, SET_STATUS, {"n": number, "s": "IN_PROGRESS"}, who=amina),
        ask(hub, QUEUE, {"agency": "police"}, who=REVENUE),
    ]
    assert [codes(body) for body in refused] == [["FORBIDDEN"]] * 6
    assert all(next(iter(body["data"].values())) is None for body in refused)
    assert follow(hub, number, ADMIN) == before
    assert codes(ask(hub, ACKNOWLEDGE, {"n": number}, who=NOBODY)) == ["UNAUTHENTICATED"]
    unknown = ask(hub, QUEUE, {"agency": "treasury"}, who=ADMIN)
    assert codes(unknown) == ["BAD_USER_INPUT"]
    assert "treasury" in unknown["errors"][0]["message"]

    acknowledged = ask(hub, ACKNOWLEDGE, {"n": number, "m": "We are on it."}, who=POLICE)
    assert codes(acknowledged) == []
    assert acknowledged["data"]["acknowledgeTicket"]["status"] == "ACKNOWLEDGED"
    assert acknowledged["data"]["acknowledgeTicket"]["firstRespondedAt"] is not None
    internal = {"n": number, "m": "Checked the CCTV of the stage.", "p": False}
    assert codes(ask(hub, COMMENT, internal, who=POLICE)) == []
    public = {"n": number, "m": "We have a suspect.", "p": True}
    assert codes(ask(hub, COMMENT, public, who=POLICE)) == []
    unexplained = ask(hub, SET_STATUS, {"n": number, "s": "RESOLVED"}, who=POLICE)
    assert codes(unexplained) == ["BAD_USER_INPUT"]
    assert unexplained["errors"][0]["extensions"]["argument"] == "resolution"
    resolved = ask(
        hub,
        SET_STATUS,
        {"n": number, "s": "RESOLVED", "resolution": "Phone recovered."},
        who=POLICE,
    )
    assert codes(resolved) == []
    assert resolved["data"]["setTicketStatus"]["status"] == "RESOLVED"

    citizen_view = follow(hub, number, amina)
    assert citizen_view["resolution"] == "Phone recovered."
    assert [(e["kind"], e["message"]) for e in citizen_view["timeline"]][2:] == [
        ("ACKNOWLEDGED", "We are on it."),
        ("COMMENT", "We have a suspect."),
        ("STATUS_CHANGED", "Phone recovered."),
    ]
    assert all(e["actorSubject"] is None for e in citizen_view["timeline"])
    staff_view = follow(hub, number, POLICE)
    comments = [e for e in staff_view["timeline"] if e["kind"] == "COMMENT"]
    assert [(e["public"], e["actorSubject"]) for e in comments] == [
        (False, "officer-police"),
        (True, "officer-police"),
    ]

    audit = ask(hub, AUDIT, {"subject": "officer-revenue"}, who=ADMIN)["data"]["auditLog"]
    refusals = {
        (row["field"], row["outcome"])
        for row in (edge["node"] for edge in audit["edges"])
        if row["objectId"] in (number, "police")
    }
    assert {("acknowledgeTicket", "FORBIDDEN"), ("agencyTickets", "FORBIDDEN")} <= refusals


def test_a_reassigned_ticket_leaves_the_old_agencys_hands(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    lost = theft(kind="REQUEST", title="Lost passport", description="I lost my passport.")
    number = submit(hub, amina, lost)["trackingNumber"]
    assert follow(hub, number, amina)["routing"]["agency"] == "immigration"
    immigration = bearer("officer-immigration", Role.RESOLVER, agency="immigration")

    moved = ask(
        hub, REASSIGN, {"n": number, "a": "police", "r": "Stolen, not lost."}, who=immigration
    )
    assert codes(moved) == []
    assert moved["data"]["reassignTicket"]["status"] == "RECEIVED"
    assert moved["data"]["reassignTicket"]["routing"]["agency"] == "police"
    assert moved["data"]["reassignTicket"]["personalDataVisible"] is False
    assert follow(hub, number, immigration)["title"] is None
    assert follow(hub, number, POLICE)["title"] == "Lost passport"
    assert codes(ask(hub, ACKNOWLEDGE, {"n": number}, who=immigration)) == ["FORBIDDEN"]
    same = ask(hub, REASSIGN, {"n": number, "a": "police", "r": "Again"}, who=POLICE)
    assert codes(same) == ["BAD_USER_INPUT"]


def test_the_owner_rates_once_and_reopens_a_resolved_ticket(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    number = submit(hub, amina, theft())["trackingNumber"]
    early = ask(hub, RATE, {"n": number, "s": 4}, who=amina)
    assert codes(early) == ["BAD_USER_INPUT"]
    assert "RECEIVED" in early["errors"][0]["message"]
    ask(hub, SET_STATUS, {"n": number, "s": "RESOLVED", "resolution": "Phone found."}, who=POLICE)

    assert codes(ask(hub, RATE, {"n": number, "s": 7}, who=amina)) == ["BAD_USER_INPUT"]
    assert codes(ask(hub, RATE, {"n": number, "s": 5}, who=citizen())) == ["FORBIDDEN"]
    rated = ask(hub, RATE, {"n": number, "s": 4, "c": "Quick, thank you."}, who=amina)
    assert rated["data"]["rateTicket"]["rating"] == {"score": 4, "comment": "Quick, thank you."}
    twice = ask(hub, RATE, {"n": number, "s": 5}, who=amina)
    assert codes(twice) == ["BAD_USER_INPUT"]
    assert "already rated" in twice["errors"][0]["message"]
    assert follow(hub, number, amina)["rating"] == {"score": 4, "comment": "Quick, thank you."}

    assert codes(ask(hub, REOPEN, {"n": number, "r": "Wrong phone."}, who=citizen())) == [
        "FORBIDDEN"
    ]
    reopened = ask(hub, REOPEN, {"n": number, "r": "It is not my phone."}, who=amina)
    assert reopened["data"]["reopenTicket"] == {
        "status": "REOPENED",
        "resolvedAt": None,
        "reopenedCount": 1,
    }
    assert codes(ask(hub, REOPEN, {"n": number, "r": "Again."}, who=amina)) == ["BAD_USER_INPUT"]

    def reopening(who: dict[str, str]) -> dict[str, Any]:
        timeline: list[dict[str, Any]] = follow(hub, number, who)["timeline"]
        (entry,) = [e for e in timeline if e["kind"] == "REOPENED"]
        return entry

    assert reopening(amina)["message"] == "It is not my phone."
    assert reopening(NOBODY)["message"] is None
    assert reopening(NOBODY)["status"] == "REOPENED"


@pytest.mark.parametrize(
    ("changes", "argument"),
    [
        ({"title": "   "}, "input.title"),
        ({"description": "x" * 100_000}, "input.description"),
        ({"category": "police/no-such-desk"}, "input.category"),
        ({"location": {"latitude": 95.0, "longitude": 36.8}}, "input.location.latitude"),
        ({"location": {"latitude": -1.28, "longitude": 200.0}}, "input.location.longitude"),
        ({"location": {"latitude": -1.28}}, "input.location.longitude"),
        ({"contact": {"phone": "call me"}}, "input.contact.phone"),
        ({"idempotencyKey": "short"}, "input.idempotencyKey"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    hub: RunningHub, healthy: dict[str, RunningStandIn], changes: dict[str, Any], argument: str
) -> None:
    amina = citizen()
    body = ask(hub, SUBMIT, {"input": theft(**changes)}, who=amina)
    assert codes(body) == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["extensions"]["argument"] == argument
    assert body["data"] == {"submitTicket": None}
    assert my_count(hub, amina) == 0


def test_statistics_for_admins_and_staff_of_their_own_agency(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    crime = {"filter": {"category": "police/crime"}, "by": "CATEGORY"}

    def crime_desk(who: dict[str, str]) -> dict[str, Any]:
        body = ask(hub, STATISTICS, crime, who=who)
        assert codes(body) == [], body
        groups: dict[str | None, dict[str, Any]] = {
            group["key"]: group for group in body["data"]["ticketStatistics"]
        }
        return groups.get("police/crime", {"total": 0, "byStatus": []})

    before = crime_desk(ADMIN)
    number = submit(hub, citizen(), theft())["trackingNumber"]
    ask(hub, ACKNOWLEDGE, {"n": number}, who=POLICE)
    after = crime_desk(ADMIN)
    assert after["total"] == before["total"] + 1
    assert sum(count["count"] for count in after["byStatus"]) == after["total"]
    assert after["firstResponse"]["count"] >= 1
    assert crime_desk(POLICE)["total"] == after["total"]

    own = ask(hub, STATISTICS, who=POLICE)["data"]["ticketStatistics"]
    assert [group["key"] for group in own] == ["police"]
    assert codes(ask(hub, STATISTICS, {"filter": {"agency": "revenue"}}, who=POLICE)) == [
        "FORBIDDEN"
    ]
    assert codes(ask(hub, STATISTICS, who=citizen())) == ["FORBIDDEN"]
    assert codes(ask(hub, STATISTICS, who=NOBODY)) == ["UNAUTHENTICATED"]
    naive = ask(hub, STATISTICS, {"filter": {"since": "2026-01-01T00:00:00"}}, who=ADMIN)
    assert codes(naive) == ["BAD_USER_INPUT"]


def test_mutations_need_post(hub: RunningHub, healthy: dict[str, RunningStandIn]) -> None:
    amina = citizen()
    query = 'mutation { rateTicket(trackingNumber: "CH-2026-000001", score: 5) { status } }'
    response = httpx.get(f"{hub.url}/graphql", params={"query": query}, headers=amina, timeout=30)
    assert response.status_code == 405


@pytest.fixture(scope="module")
def hub_without_tickets(
    standins: dict[str, RunningStandIn], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A hub whose agencies file routes no tickets; yields its URL."""
    directory = tmp_path_factory.mktemp("no-tickets")
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    data.pop("ticket_routing")
    for agency in data["agencies"]:
        agency.pop("tickets", None)
    template = directory / "template.yaml"
    template.write_text(yaml.safe_dump(data), encoding="utf-8")
    settings = Settings(
        agencies_file=agencies_file(directory / "agencies.yaml", standins, template=template),
        env_file=directory / "no.env",
        assertion_key_file=directory / "key.pem",
        database_url=f"sqlite+aiosqlite:///{directory / 'hub.db'}",
        rate_limit_burst=0,
    )
    with BackgroundServer(create_app(settings)) as server:
        yield server.url


def test_a_hub_without_ticket_routing_says_tickets_are_unavailable(
    hub_without_tickets: str,
) -> None:
    for query, variables in [
        (SUBMIT, {"input": theft()}),
        (FOLLOW, {"n": "CH-2026-000001"}),
        (MINE, {}),
        (STATISTICS, {}),
    ]:
        response = httpx.post(
            f"{hub_without_tickets}/graphql",
            json={"query": query, "variables": variables},
            headers=ADMIN,
            timeout=30,
        )
        body = response.json()
        assert codes(body) == ["TICKETS_UNAVAILABLE"], body
        assert "ticket_routing" in body["errors"][0]["message"]
