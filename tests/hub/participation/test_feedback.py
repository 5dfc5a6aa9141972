"""Feedback to agencies: citizens rate 1 to 5 with a text; summaries count it in SQL."""

from __future__ import annotations

from typing import Any

import pytest

from hub.errors import Forbidden, InvalidInput, Unauthenticated
from hub.participation import FeedbackSummary, Participation
from tests.hub.participation.support import ADMIN, ANONYMOUS, NOW, POLICE, citizen, counts


async def test_a_citizen_sends_feedback_that_is_stored_as_sent(stores: Participation) -> None:
    sent = await stores.feedback.send(
        "immigration", 4, "  Quick passport renewal.\nFriendly staff.  ", citizen("amina"), now=NOW
    )
    assert (sent.agency, sent.subject, sent.rating) == ("immigration", "citizen-amina", 4)
    assert sent.text == "Quick passport renewal.\nFriendly staff."
    assert sent.created_at == NOW
    assert (await counts(stores))["agency_feedback"] == 1


async def test_summaries_count_and_average_per_agency(stores: Participation) -> None:
    for rating, who in [(5, "a"), (4, "b"), (4, "a")]:
        await stores.feedback.send("police", rating, "Helpful officers.", citizen(who), now=NOW)
    await stores.feedback.send("revenue", 1, "Queue for hours.", citizen("c"), now=NOW)

    summaries = await stores.feedback.summaries(["police", "revenue", "immigration"])

    assert summaries == {
        "police": FeedbackSummary(3, 4.33),
        "revenue": FeedbackSummary(1, 1.0),
        "immigration": FeedbackSummary(0, None),
    }


@pytest.mark.parametrize(
    ("agency", "rating", "text", "argument", "message"),
    [
        ("police", 0, "Bad.", "rating", "from 1 \\(poor\\) to 5"),
        ("police", 6, "Great.", "rating", "from 1 \\(poor\\) to 5"),
        ("police", 7, "Great.", "rating", "got 7"),
        ("police", -1, "Bad.", "rating", "from 1"),
        ("treasury", 3, "Fine.", "agency", "unknown agency 'treasury'"),
        ("police", 3, "   ", "text", "empty or blank"),
        ("police", 3, "x" * 2001, "text", "1 to 2,000 characters"),
        ("police", 3, "Fine\x00", "text", "control characters"),
    ],
)
async def test_bad_feedback_is_refused_naming_the_argument_and_nothing_is_written(
    stores: Participation, agency: str, rating: int, text: str, argument: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message) as refused:
        await stores.feedback.send(agency, rating, text, citizen("amina"), now=NOW)
    assert refused.value.argument == argument
    assert (await counts(stores))["agency_feedback"] == 0


@pytest.mark.parametrize(
    ("caller", "error"),
    [(ANONYMOUS, Unauthenticated), (POLICE, Forbidden)],
    ids=["anonymous", "staff"],
)
async def test_only_citizens_send_feedback(
    stores: Participation, caller: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await stores.feedback.send("police", 5, "Great.", caller, now=NOW)
    assert (await counts(stores))["agency_feedback"] == 0


async def test_admins_have_the_rights_of_every_role(stores: Participation) -> None:
    sent = await stores.feedback.send("police", 3, "Checking the form.", ADMIN, now=NOW)
    assert sent.subject == "ops"
