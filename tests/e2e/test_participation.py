"""Polls, feedback and saved alerts through the real hub over HTTP: who may do what,
what comes back, and bad input refused with its code and nothing written."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hub.identity import Role
from tests.support.hub import RunningHub
from tests.support.tokens import bearer

ADMIN = bearer("ops", Role.ADMIN)
POLICE = bearer("officer-police", Role.RESOLVER, agency="police")
REVENUE = bearer("officer-revenue", Role.RESOLVER, agency="revenue")
NOBODY: dict[str, str] = {}

POLL_FIELDS = """
  id question area opensAt closesAt state isOpen totalVotes
  agency { key }
  options { id label position }
  results { option { id label } votes }
  myVote { id label }
"""
CREATE = f"""
mutation Create($input: CreatePollInput!) {{ createPoll(input: $input) {{ {POLL_FIELDS} }} }}
"""
CLOSE = f"mutation Close($id: ID!) {{ closePoll(id: $id) {{ {POLL_FIELDS} }} }}"
VOTE = f"""
mutation Vote($poll: ID!, $option: ID!) {{
  vote(pollId: $poll, optionId: $option) {{ {POLL_FIELDS} }}
}}
"""
POLL = f"query Poll($id: ID!) {{ poll(id: $id) {{ {POLL_FIELDS} }} }}"
POLLS = """
query Polls($open: Boolean, $area: String, $first: Int = 20, $after: String) {
  polls(open: $open, area: $area, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id area isOpen } }
  }
}
"""
FEEDBACK = """
mutation Feedback($input: SendFeedbackInput!) {
  sendFeedback(input: $input) { id rating text createdAt agency { key } }
}
"""
SUMMARY = "query Summary($key: ID!) { agency(id: $key) { feedback { count averageRating } } }"
SAVE = """
mutation Save($input: SaveAlertInput!) {
  saveAlert(input: $input) { id name keywords agencies areas kinds createdAt }
}
"""
MINE = "{ myAlerts { id name keywords agencies areas kinds } }"
DELETE = "mutation Delete($id: ID!) { deleteAlert(id: $id) { id name } }"


def ask(
    hub: RunningHub, query: str, variables: dict[str, Any] | None = None, *, who: dict[str, str]
) -> dict[str, Any]:
    body: dict[str, Any] = hub.post(query, variables, headers=who).json()
    return body


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def refused(body: dict[str, Any]) -> dict[str, Any]:
    """The one error of a refused request, whose data is null."""
    (error,) = body["errors"]
    assert all(value is None for value in (body.get("data") or {}).values()), body
    extensions: dict[str, Any] = error["extensions"]
    return extensions | {"message": error["message"]}


def citizen() -> dict[str, str]:
    return bearer(f"citizen-{uuid.uuid4().hex[:10]}")


def caller(who: str) -> dict[str, str]:
    """The headers of a request by ``who``: admin, police, nobody, or a new citizen."""
    known = {"admin": ADMIN, "police": POLICE, "nobody": NOBODY}
    return known[who] if who in known else citizen()


def in_days(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def new_poll(**changes: Any) -> dict[str, Any]:
    return {
        "question": "Which street should get new lights first?",
        "options": ["Moi Avenue", "Kenyatta Avenue", "Tom Mboya Street"],
        "closesAt": in_days(7),
        "area": f"Area {uuid.uuid4().hex[:8]}",
    } | changes


def create(hub: RunningHub, who: dict[str, str], **changes: Any) -> dict[str, Any]:
    body = ask(hub, CREATE, {"input": new_poll(**changes)}, who=who)
    assert codes(body) == [], body
    created: dict[str, Any] = body["data"]["createPoll"]
    return created


def vote(hub: RunningHub, who: dict[str, str], poll: dict[str, Any], option: int) -> dict[str, Any]:
    return ask(hub, VOTE, {"poll": poll["id"], "option": poll["options"][option]["id"]}, who=who)


def count_polls(hub: RunningHub, area: str) -> int:
    body = ask(hub, POLLS, {"area": area}, who=NOBODY)
    total: int = body["data"]["polls"]["totalCount"]
    return total


def test_admins_and_agency_staff_create_polls_anyone_reads(hub: RunningHub) -> None:
    of_the_hub = create(hub, ADMIN)
    of_the_police = create(hub, POLICE)

    assert of_the_hub["agency"] is None
    assert of_the_police["agency"] == {"key": "police"}
    assert of_the_hub["id"].startswith("Poll:hub:")
    assert (of_the_hub["state"], of_the_hub["isOpen"]) == ("OPEN", True)
    assert [o["label"] for o in of_the_hub["options"]] == [
        "Moi Avenue",
        "Kenyatta Avenue",
        "Tom Mboya Street",
    ]
    assert [o["position"] for o in of_the_hub["options"]] == [0, 1, 2]
    assert [r["votes"] for r in of_the_hub["results"]] == [0, 0, 0]
    assert (of_the_hub["totalVotes"], of_the_hub["myVote"]) == (0, None)

    read = ask(hub, POLL, {"id": of_the_police["id"]}, who=NOBODY)
    assert read == {"data": {"poll": of_the_police}}
    missing = ask(hub, POLL, {"id": "Poll:hub:987654321"}, who=NOBODY)
    assert missing == {"data": {"poll": None}}


def test_a_citizen_votes_once_and_a_vote_twice_is_refused(hub: RunningHub) -> None:
    poll = create(hub, ADMIN)
    amina, baraka = citizen(), citizen()

    first = vote(hub, amina, poll, 1)
    assert codes(first) == [], first
    shown = first["data"]["vote"]
    assert [r["votes"] for r in shown["results"]] == [0, 1, 0]
    assert shown["totalVotes"] == 1
    assert shown["myVote"] == {"id": poll["options"][1]["id"], "label": "Kenyatta Avenue"}

    twice = refused(vote(hub, amina, poll, 2))
    assert twice["code"] == "ALREADY_VOTED"
    assert "a vote is final" in twice["message"]

    assert codes(vote(hub, baraka, poll, 1)) == []
    after = ask(hub, POLL, {"id": poll["id"]}, who=amina)["data"]["poll"]
    assert [r["votes"] for r in after["results"]] == [0, 2, 0]
    assert after["totalVotes"] == 2
    assert after["myVote"]["label"] == "Kenyatta Avenue"
    assert ask(hub, POLL, {"id": poll["id"]}, who=NOBODY)["data"]["poll"]["myVote"] is None


def test_votes_that_are_refused(hub: RunningHub) -> None:
    poll, other = create(hub, ADMIN), create(hub, ADMIN)
    amina = citizen()

    anonymous = refused(vote(hub, NOBODY, poll, 0))
    assert anonymous["code"] == "UNAUTHENTICATED"
    assert refused(vote(hub, POLICE, poll, 0))["code"] == "FORBIDDEN"

    foreign = refused(
        ask(hub, VOTE, {"poll": poll["id"], "option": other["options"][0]["id"]}, who=amina)
    )
    assert (foreign["code"], foreign["argument"]) == ("BAD_USER_INPUT", "optionId")

    malformed = refused(ask(hub, VOTE, {"poll": "7", "option": "PollOption:hub:1"}, who=amina))
    assert (malformed["code"], malformed["argument"]) == ("BAD_USER_INPUT", "pollId")
    wrong_type = refused(ask(hub, VOTE, {"poll": poll["id"], "option": poll["id"]}, who=amina))
    assert (wrong_type["code"], wrong_type["argument"]) == ("BAD_USER_INPUT", "optionId")
    nowhere = refused(
        ask(hub, VOTE, {"poll": "Poll:hub:987654321", "option": "PollOption:hub:1"}, who=amina)
    )
    assert nowhere["code"] == "NOT_FOUND"

    later = create(hub, ADMIN, opensAt=in_days(1))
    assert later["state"] == "UPCOMING"
    assert refused(vote(hub, amina, later, 0))["code"] == "POLL_NOT_OPEN"

    after = ask(hub, POLL, {"id": poll["id"]}, who=amina)["data"]["poll"]
    assert (after["totalVotes"], after["myVote"]) == (0, None)


def test_a_closed_poll_takes_no_votes_and_only_its_agency_closes_it(hub: RunningHub) -> None:
    poll = create(hub, POLICE)
    amina = citizen()
    assert codes(vote(hub, amina, poll, 0)) == []

    assert refused(ask(hub, CLOSE, {"id": poll["id"]}, who=REVENUE))["code"] == "FORBIDDEN"
    assert refused(ask(hub, CLOSE, {"id": poll["id"]}, who=amina))["code"] == "FORBIDDEN"
    assert refused(ask(hub, CLOSE, {"id": poll["id"]}, who=NOBODY))["code"] == "UNAUTHENTICATED"

    closed = ask(hub, CLOSE, {"id": poll["id"]}, who=POLICE)
    assert codes(closed) == [], closed
    assert closed["data"]["closePoll"]["state"] == "CLOSED"
    assert closed["data"]["closePoll"]["closesAt"] < poll["closesAt"]

    late = refused(vote(hub, citizen(), poll, 1))
    assert late["code"] == "POLL_NOT_OPEN"
    assert "closed at" in late["message"]
    final = ask(hub, POLL, {"id": poll["id"]}, who=NOBODY)["data"]["poll"]
    assert [r["votes"] for r in final["results"]] == [1, 0, 0]


@pytest.mark.parametrize(
    ("who", "changes", "code", "argument"),
    [
        pytest.param("admin", {"options": []}, "BAD_USER_INPUT", "input.options", id="no-options"),
        pytest.param("admin", {"options": ["Yes"]}, "BAD_USER_INPUT", "input.options", id="one"),
        pytest.param(
            "admin", {"options": ["Yes", " "]}, "BAD_USER_INPUT", "input.options[1]", id="empty"
        ),
        pytest.param(
            "admin", {"options": ["Yes", "YES"]}, "BAD_USER_INPUT", "input.options[1]", id="twice"
        ),
        pytest.param("admin", {"question": "Eh?"}, "BAD_USER_INPUT", "input.question", id="short"),
        pytest.param(
            "admin", {"closesAt": in_days(-1)}, "BAD_USER_INPUT", "input.closesAt", id="past"
        ),
        pytest.param(
            "admin",
            {"opensAt": in_days(3), "closesAt": in_days(2)},
            "BAD_USER_INPUT",
            "input.closesAt",
            id="closes-before-it-opens",
        ),
        pytest.param(
            "admin", {"agency": "treasury"}, "BAD_USER_INPUT", "input.agency", id="no-such-agency"
        ),
        pytest.param("police", {"agency": "revenue"}, "FORBIDDEN", None, id="another-agency"),
        pytest.param("citizen", {}, "FORBIDDEN", None, id="citizen"),
        pytest.param("nobody", {}, "UNAUTHENTICATED", None, id="anonymous"),
    ],
)
def test_a_poll_refused_is_not_stored(
    hub: RunningHub, who: str, changes: dict[str, Any], code: str, argument: str | None
) -> None:
    wanted = new_poll(**changes)
    error = refused(ask(hub, CREATE, {"input": wanted}, who=caller(who)))
    assert error["code"] == code
    assert error.get("argument") == argument
    assert count_polls(hub, wanted["area"]) == 0


def test_polls_are_listed_by_area_and_state_page_by_page(hub: RunningHub) -> None:
    area = f"Ward {uuid.uuid4().hex[:8]}"
    made = [create(hub, ADMIN, area=area) for _ in range(3)]
    upcoming = create(hub, ADMIN, area=area, opensAt=in_days(2))
    newest_first = [p["id"] for p in reversed([*made, upcoming])]

    seen: list[str] = []
    after = None
    while True:
        body = ask(hub, POLLS, {"area": area.upper(), "first": 3, "after": after}, who=NOBODY)
        page = body["data"]["polls"]
        assert page["totalCount"] == 4
        seen.extend(edge["node"]["id"] for edge in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == newest_first

    open_now = ask(hub, POLLS, {"area": area, "open": True}, who=NOBODY)["data"]["polls"]
    assert [e["node"]["id"] for e in open_now["edges"]] == newest_first[1:]
    not_open = ask(hub, POLLS, {"area": area, "open": False}, who=NOBODY)["data"]["polls"]
    assert [e["node"]["id"] for e in not_open["edges"]] == [upcoming["id"]]

    forged = refused(ask(hub, POLLS, {"after": "bm90LWEtY3Vyc29y"}, who=NOBODY))
    assert (forged["code"], forged["argument"]) == ("BAD_USER_INPUT", "after")


def feedback_of(hub: RunningHub, agency: str) -> dict[str, Any]:
    body = ask(hub, SUMMARY, {"key": agency}, who=NOBODY)
    assert codes(body) == [], body
    summary: dict[str, Any] = body["data"]["agency"]["feedback"]
    return summary


def test_feedback_counts_in_the_agencys_statistics(hub: RunningHub) -> None:
    before = feedback_of(hub, "immigration")
    sent = [
        ask(
            hub,
            FEEDBACK,
            {"input": {"agency": "immigration", "rating": rating, "text": "Passport in a week."}},
            who=citizen(),
        )
        for rating in (5, 2)
    ]
    assert all(codes(body) == [] for body in sent), sent
    stored = sent[0]["data"]["sendFeedback"]
    assert stored["agency"] == {"key": "immigration"}
    assert (stored["rating"], stored["text"]) == (5, "Passport in a week.")
    assert stored["id"].startswith("AgencyFeedback:hub:")

    after = feedback_of(hub, "immigration")
    assert after["count"] == before["count"] + 2
    total = (before["averageRating"] or 0) * before["count"] + 7
    assert after["averageRating"] == pytest.approx(total / after["count"], abs=0.005)


@pytest.mark.parametrize(
    ("who", "feedback", "code", "argument"),
    [
        pytest.param(
            "citizen",
            {"agency": "police", "rating": 7, "text": "Great"},
            "BAD_USER_INPUT",
            "input.rating",
            id="score-7",
        ),
        pytest.param(
            "citizen",
            {"agency": "police", "rating": 0, "text": "Awful"},
            "BAD_USER_INPUT",
            "input.rating",
            id="score-0",
        ),
        pytest.param(
            "citizen",
            {"agency": "police", "rating": 3, "text": "x" * 2001},
            "BAD_USER_INPUT",
            "input.text",
            id="too-long",
        ),
        pytest.param(
            "citizen",
            {"agency": "police", "rating": 3, "text": "bell\u0007"},
            "BAD_USER_INPUT",
            "input.text",
            id="control-character",
        ),
        pytest.param(
            "citizen",
            {"agency": "treasury", "rating": 3, "text": "Fine"},
            "BAD_USER_INPUT",
            "input.agency",
            id="no-such-agency",
        ),
        pytest.param(
            "nobody",
            {"agency": "police", "rating": 3, "text": "Fine"},
            "UNAUTHENTICATED",
            None,
            id="anonymous",
        ),
        pytest.param(
            "police",
            {"agency": "police", "rating": 5, "text": "We are great"},
            "FORBIDDEN",
            None,
            id="staff",
        ),
    ],
)
def test_feedback_refused_is_not_counted(
    hub: RunningHub, who: str, feedback: dict[str, Any], code: str, argument: str | None
) -> None:
    before = feedback_of(hub, "police")
    error = refused(ask(hub, FEEDBACK, {"input": feedback}, who=caller(who)))
    assert error["code"] == code
    assert error.get("argument") == argument
    assert feedback_of(hub, "police") == before


def test_a_citizen_saves_lists_and_deletes_their_alerts(hub: RunningHub) -> None:
    amina, baraka = citizen(), citizen()
    wanted = {
        "name": "Police jobs near me",
        "keywords": ["constable", "Driver"],
        "agencies": ["police"],
        "areas": ["Nairobi"],
        "kinds": ["VACANCY", "NEWS"],
    }
    saved = ask(hub, SAVE, {"input": wanted}, who=amina)
    assert codes(saved) == [], saved
    alert = saved["data"]["saveAlert"]
    assert alert["id"].startswith("SavedAlert:hub:")
    assert {key: alert[key] for key in wanted} == wanted

    listed = ask(hub, MINE, who=amina)["data"]["myAlerts"]
    assert listed == [{key: alert[key] for key in ("id", *wanted)}]
    assert ask(hub, MINE, who=baraka)["data"]["myAlerts"] == []

    theirs = refused(ask(hub, DELETE, {"id": alert["id"]}, who=baraka))
    assert theirs["code"] == "NOT_FOUND"
    deleted = ask(hub, DELETE, {"id": alert["id"]}, who=amina)
    assert deleted["data"]["deleteAlert"] == {"id": alert["id"], "name": wanted["name"]}
    assert ask(hub, MINE, who=amina)["data"]["myAlerts"] == []


@pytest.mark.parametrize(
    ("who", "alert", "code", "argument"),
    [
        pytest.param("citizen", {"name": "Nothing"}, "BAD_USER_INPUT", "input", id="no-criteria"),
        pytest.param(
            "citizen",
            {"name": "Short", "keywords": ["a"]},
            "BAD_USER_INPUT",
            "input.keywords[0]",
            id="short-keyword",
        ),
        pytest.param(
            "citizen",
            {"name": "Treasury", "agencies": ["police", "treasury"]},
            "BAD_USER_INPUT",
            "input.agencies[1]",
            id="no-such-agency",
        ),
        pytest.param(
            "citizen",
            {"name": "Many", "areas": [f"Area {n}" for n in range(11)]},
            "BAD_USER_INPUT",
            "input.areas",
            id="too-many-areas",
        ),
        pytest.param(
            "nobody", {"name": "Bids", "kinds": ["BID"]}, "UNAUTHENTICATED", None, id="anonymous"
        ),
        pytest.param("police", {"name": "Bids", "kinds": ["BID"]}, "FORBIDDEN", None, id="staff"),
    ],
)
def test_an_alert_refused_is_not_saved(
    hub: RunningHub, who: str, alert: dict[str, Any], code: str, argument: str | None
) -> None:
    headers = caller(who)
    error = refused(ask(hub, SAVE, {"input": alert}, who=headers))
    assert error["code"] == code
    assert error.get("argument") == argument
    if who == "citizen":
        assert ask(hub, MINE, who=headers)["data"]["myAlerts"] == []


def test_an_unknown_kind_of_alert_is_refused_by_the_graph(hub: RunningHub) -> None:
    body = ask(hub, SAVE, {"input": {"name": "Weather", "kinds": ["WEATHER"]}}, who=citizen())
    assert codes(body) == ["BAD_USER_INPUT"]
    assert "WEATHER" in body["errors"][0]["message"]


def test_my_alerts_need_a_citizen(hub: RunningHub) -> None:
    assert refused(ask(hub, MINE, who=NOBODY))["code"] == "UNAUTHENTICATED"
    assert refused(ask(hub, MINE, who=POLICE))["code"] == "FORBIDDEN"
    assert refused(ask(hub, DELETE, {"id": "SavedAlert:hub:1"}, who=NOBODY))["code"] == (
        "UNAUTHENTICATED"
    )
