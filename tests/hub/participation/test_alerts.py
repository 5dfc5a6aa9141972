"""Saved alerts: citizens save, list and delete their own, within limits, and only sound
ones are kept."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest

from hub.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from hub.participation import MAX_ALERTS, AlertKind, NewAlert, Participation, SavedAlertView
from tests.hub.participation.support import ANONYMOUS, NOW, POLICE, citizen, counts

JOBS = NewAlert(
    name="Jobs at the police",
    keywords=["constable", "Driver", "driver", "  road  safety "],
    agencies=["police", "police"],
    areas=["Nairobi", "Mombasa"],
    kinds=[AlertKind.VACANCY, AlertKind.NEWS, AlertKind.VACANCY],
)


def alert(**changes: Any) -> NewAlert:
    return replace(JOBS, **changes)


async def test_a_citizen_saves_an_alert_cleaned_of_repeats(stores: Participation) -> None:
    saved = await stores.alerts.save(JOBS, citizen("amina"), now=NOW)

    assert saved.subject == "citizen-amina"
    assert saved.name == "Jobs at the police"
    assert saved.keywords == ("constable", "Driver", "road safety")
    assert saved.agencies == ("police",)
    assert saved.areas == ("Nairobi", "Mombasa")
    assert saved.kinds == (AlertKind.VACANCY, AlertKind.NEWS)
    assert saved.created_at == NOW
    assert await stores.alerts.alerts_of("citizen-amina") == [saved]


async def test_each_citizen_lists_and_deletes_only_their_own(stores: Participation) -> None:
    amina, baraka = citizen("amina"), citizen("baraka")
    first = await stores.alerts.save(alert(name="First"), amina, now=NOW)
    second = await stores.alerts.save(alert(name="Second"), amina, now=NOW)
    theirs = await stores.alerts.save(alert(name="Theirs"), baraka, now=NOW)

    assert await stores.alerts.alerts_of("citizen-amina") == [first, second]

    with pytest.raises(NotFound, match="no saved alert"):
        await stores.alerts.delete(theirs.id, amina)
    assert await stores.alerts.delete(first.id, amina) == first
    with pytest.raises(NotFound):
        await stores.alerts.delete(first.id, amina)

    assert await stores.alerts.alerts_of("citizen-amina") == [second]
    assert await stores.alerts.alerts_of("citizen-baraka") == [theirs]


async def test_one_criterion_is_enough(stores: Participation) -> None:
    only_kind = NewAlert(name="Tenders", kinds=[AlertKind.BID])
    saved = await stores.alerts.save(only_kind, citizen("amina"), now=NOW)
    assert (saved.keywords, saved.agencies, saved.areas) == ((), (), ())
    assert saved.kinds == (AlertKind.BID,)


@pytest.mark.parametrize(
    ("changes", "argument", "message"),
    [
        ({"keywords": [], "agencies": [], "areas": [], "kinds": []}, "input", "one criterion"),
        ({"name": " "}, "name", "empty or blank"),
        ({"name": "n" * 101}, "name", "1 to 100 characters"),
        ({"keywords": ["a"]}, "keywords[0]", "2 to 50 characters"),
        ({"keywords": ["ok", "k" * 51]}, "keywords[1]", "2 to 50 characters"),
        ({"keywords": [f"word{n}" for n in range(11)]}, "keywords", "at most 10"),
        ({"keywords": ["tab\there"]}, "keywords[0]", "single line"),
        ({"agencies": ["police", "treasury"]}, "agencies[1]", "unknown agency 'treasury'"),
        ({"areas": [f"Area {n}" for n in range(11)]}, "areas", "at most 10"),
        ({"areas": ["a" * 101]}, "areas[0]", "1 to 100 characters"),
    ],
)
async def test_a_bad_alert_is_refused_naming_the_argument_and_nothing_is_written(
    stores: Participation, changes: dict[str, Any], argument: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message) as refused:
        await stores.alerts.save(alert(**changes), citizen("amina"), now=NOW)
    assert refused.value.argument == argument
    assert (await counts(stores))["saved_alerts"] == 0


async def test_a_citizen_keeps_at_most_twenty_alerts_even_saving_at_once(
    stores: Participation,
) -> None:
    amina = citizen("amina")
    outcomes = await asyncio.gather(
        *(stores.alerts.save(alert(name=f"Alert {n}"), amina, now=NOW) for n in range(25)),
        return_exceptions=True,
    )

    saved = [o for o in outcomes if isinstance(o, SavedAlertView)]
    refused = [o for o in outcomes if isinstance(o, InvalidInput)]
    assert (len(saved), len(refused)) == (MAX_ALERTS, 5), outcomes
    assert "delete one" in refused[0].message
    assert len(await stores.alerts.alerts_of("citizen-amina")) == MAX_ALERTS
    # Another citizen has a limit of their own.
    await stores.alerts.save(JOBS, citizen("baraka"), now=NOW)


@pytest.mark.parametrize(
    ("caller", "error"),
    [(ANONYMOUS, Unauthenticated), (POLICE, Forbidden)],
    ids=["anonymous", "staff"],
)
async def test_only_citizens_save_and_delete_alerts(
    stores: Participation, caller: Any, error: type[Exception]
) -> None:
    kept = await stores.alerts.save(JOBS, citizen("amina"), now=NOW)
    with pytest.raises(error):
        await stores.alerts.save(JOBS, caller, now=NOW)
    with pytest.raises(error):
        await stores.alerts.delete(kept.id, caller)
    assert (await counts(stores))["saved_alerts"] == 1
