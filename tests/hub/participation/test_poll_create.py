"""Creating and closing polls: who may, what a poll must be, and nothing written on refusal."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from hub.errors import Forbidden, HubError, InvalidInput, NotFound, Unauthenticated
from hub.identity import Caller
from hub.participation import Participation, PollState
from tests.hub.participation.support import (
    ADMIN,
    ANONYMOUS,
    NOW,
    POLICE,
    REVENUE,
    citizen,
    counts,
    poll,
)

NOTHING = dict.fromkeys(
    ("polls", "poll_options", "poll_votes", "agency_feedback", "saved_alerts"), 0
)


async def test_an_admin_creates_a_poll_of_the_hub_with_its_options_in_order(
    stores: Participation,
) -> None:
    created = await stores.polls.create(
        poll(question="  Which  street should get new lights first? "), ADMIN, now=NOW
    )

    assert created.question == "Which street should get new lights first?"
    assert created.agency is None
    assert created.area == "Nairobi CBD"
    assert created.opens_at == NOW
    assert created.closes_at == NOW + timedelta(days=7)
    assert created.created_by == "ops"
    assert created.created_at == NOW
    assert [(o.position, o.label) for o in created.options] == [
        (0, "Moi Avenue"),
        (1, "Kenyatta Avenue"),
        (2, "Tom Mboya Street"),
    ]
    assert created.state(NOW) is PollState.OPEN
    assert await stores.polls.get(created.id) == created
    assert await counts(stores) == NOTHING | {"polls": 1, "poll_options": 3}


async def test_an_admin_may_ask_for_any_agency(stores: Participation) -> None:
    created = await stores.polls.create(poll(agency="immigration"), ADMIN, now=NOW)
    assert created.agency == "immigration"


async def test_agency_staff_ask_for_their_own_agency_by_default(stores: Participation) -> None:
    implied = await stores.polls.create(poll(), POLICE, now=NOW)
    named = await stores.polls.create(poll(agency="police"), POLICE, now=NOW)
    assert (implied.agency, named.agency) == ("police", "police")


@pytest.mark.parametrize(
    ("caller", "agency", "error"),
    [
        pytest.param(POLICE, "revenue", Forbidden, id="staff-for-another-agency"),
        pytest.param(citizen("amina"), None, Forbidden, id="citizen"),
        pytest.param(ANONYMOUS, None, Unauthenticated, id="anonymous"),
    ],
)
async def test_only_admins_and_the_agencys_staff_create_its_polls(
    stores: Participation, caller: Caller, agency: str | None, error: type[HubError]
) -> None:
    with pytest.raises(error):
        await stores.polls.create(poll(agency=agency), caller, now=NOW)
    assert await counts(stores) == NOTHING


LATER = NOW + timedelta(days=2)


@pytest.mark.parametrize(
    ("changes", "argument", "message"),
    [
        ({"question": "Why?"}, "question", "5 to 300 characters"),
        ({"question": "x" * 301}, "question", "5 to 300 characters"),
        ({"question": "   "}, "question", "empty or blank"),
        ({"question": "Which\nstreet?"}, "question", "single line"),
        ({"options": []}, "options", "2 to 10 options"),
        ({"options": ["Yes"]}, "options", "2 to 10 options"),
        ({"options": [f"Option {n}" for n in range(11)]}, "options", "2 to 10 options"),
        ({"options": ["Yes", "  "]}, "options[1]", "empty or blank"),
        ({"options": ["Yes", "No", "yes"]}, "options[2]", "given twice"),
        ({"options": ["Yes", "N" * 101]}, "options[1]", "1 to 100 characters"),
        ({"options": ["Yes", "No\x07"]}, "options[1]", "control characters"),
        ({"closes_at": NOW}, "closesAt", "has passed"),
        ({"closes_at": NOW - timedelta(days=1)}, "closesAt", "has passed"),
        ({"opens_at": LATER, "closes_at": LATER}, "closesAt", "after opensAt"),
        ({"closes_at": datetime(2026, 4, 1, 9, 0)}, "closesAt", "no time zone"),
        ({"opens_at": datetime(2026, 3, 3, 9, 0)}, "opensAt", "no time zone"),
        ({"agency": "treasury"}, "agency", "unknown agency 'treasury'"),
        ({"area": "A" * 101}, "area", "1 to 100 characters"),
    ],
)
async def test_a_bad_poll_is_refused_naming_the_argument_and_nothing_is_written(
    stores: Participation, changes: dict[str, Any], argument: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message) as refused:
        await stores.polls.create(poll(**changes), ADMIN, now=NOW)
    assert refused.value.argument == argument
    assert await counts(stores) == NOTHING


async def test_a_poll_may_open_later_and_an_opening_already_past_is_now(
    stores: Participation,
) -> None:
    later = await stores.polls.create(poll(opens_at=LATER), ADMIN, now=NOW)
    past = await stores.polls.create(poll(opens_at=NOW - timedelta(days=30)), ADMIN, now=NOW)

    assert later.opens_at == LATER
    assert later.state(NOW) is PollState.UPCOMING
    assert later.state(LATER) is PollState.OPEN
    assert past.opens_at == NOW


async def test_closing_a_poll_ends_its_voting_now_and_again_changes_nothing(
    stores: Participation,
) -> None:
    created = await stores.polls.create(poll(), POLICE, now=NOW)
    moment = NOW + timedelta(hours=3)

    closed = await stores.polls.close(created.id, POLICE, now=moment)
    again = await stores.polls.close(created.id, ADMIN, now=moment + timedelta(hours=1))

    assert closed.closes_at == moment
    assert closed.state(moment) is PollState.CLOSED
    assert again == closed
    assert await stores.polls.get(created.id) == closed


async def test_closing_a_poll_that_has_not_opened_means_it_never_opens(
    stores: Participation,
) -> None:
    created = await stores.polls.create(poll(opens_at=LATER), ADMIN, now=NOW)
    closed = await stores.polls.close(created.id, ADMIN, now=NOW)
    assert closed.opens_at == closed.closes_at == NOW
    assert closed.state(LATER) is PollState.CLOSED


@pytest.mark.parametrize(
    ("asked_by", "caller", "error"),
    [
        pytest.param(POLICE, REVENUE, Forbidden, id="staff-of-another-agency"),
        pytest.param(ADMIN, POLICE, Forbidden, id="staff-closing-the-hubs-poll"),
        pytest.param(POLICE, citizen("amina"), Forbidden, id="citizen"),
        pytest.param(POLICE, ANONYMOUS, Unauthenticated, id="anonymous"),
    ],
)
async def test_only_admins_and_the_polls_agency_close_it(
    stores: Participation, asked_by: Caller, caller: Caller, error: type[HubError]
) -> None:
    created = await stores.polls.create(poll(), asked_by, now=NOW)
    with pytest.raises(error):
        await stores.polls.close(created.id, caller, now=NOW + timedelta(hours=1))
    assert await stores.polls.get(created.id) == created


async def test_closing_or_reading_no_poll_is_not_found(stores: Participation) -> None:
    with pytest.raises(NotFound, match="no poll has the id 404"):
        await stores.polls.close(404, ADMIN, now=NOW)
    with pytest.raises(NotFound):
        await stores.polls.get(404)
    with pytest.raises(NotFound):
        await stores.polls.results(404)
