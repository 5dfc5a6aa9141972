"""Which public events a saved alert asks for: every criterion it has, any value of each."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from hub.participation import AlertCandidate, AlertKind, SavedAlertView, alert_matches

NOTHING_ASKED = SavedAlertView(
    id=1,
    subject="citizen-amina",
    name="Everything",
    keywords=(),
    agencies=(),
    areas=(),
    kinds=(),
    created_at=datetime(2026, 3, 2, tzinfo=UTC),
)
ROADWORKS = AlertCandidate(
    kind=AlertKind.NEWS,
    agency="police",
    text="Road works on Moi Avenue: traffic diverted until Friday",
    area="Nairobi CBD",
)


def asking(**criteria: tuple[object, ...]) -> SavedAlertView:
    return replace(NOTHING_ASKED, **criteria)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "keywords",
    [
        ("road",),
        ("ROAD",),
        ("tender", "moi avenue"),
        ("Moi   Avenue",),
        ("traffic diverted",),
        ("friday",),
        ("avenue:",),
    ],
)
def test_any_keyword_as_whole_words_ignoring_case(keywords: tuple[str, ...]) -> None:
    assert alert_matches(asking(keywords=keywords), ROADWORKS)


@pytest.mark.parametrize(
    "keywords",
    [("roa",), ("roads",), ("avenue moi",), ("tender", "vacancy"), ("works on moi avenues",)],
)
def test_keywords_that_are_not_whole_words_of_the_text_do_not_match(
    keywords: tuple[str, ...],
) -> None:
    assert not alert_matches(asking(keywords=keywords), ROADWORKS)


def test_keywords_with_regex_characters_are_taken_literally() -> None:
    text = replace(ROADWORKS, text="Clerk (grade C.2) wanted; apply by mail")
    assert alert_matches(asking(keywords=("(grade C.2)",)), text)
    assert not alert_matches(asking(keywords=("grade C.",)), replace(text, text="grade CX2"))


def test_kinds_agencies_and_areas_each_match_any_of_theirs() -> None:
    assert alert_matches(asking(kinds=(AlertKind.BID, AlertKind.NEWS)), ROADWORKS)
    assert not alert_matches(asking(kinds=(AlertKind.VACANCY,)), ROADWORKS)
    assert alert_matches(asking(agencies=("revenue", "police")), ROADWORKS)
    assert not alert_matches(asking(agencies=("revenue",)), ROADWORKS)
    assert alert_matches(asking(areas=("Mombasa", "nairobi  cbd")), ROADWORKS)
    assert not alert_matches(asking(areas=("Nairobi",)), ROADWORKS)


def test_an_event_without_an_area_matches_no_area() -> None:
    assert not alert_matches(asking(areas=("Nairobi CBD",)), replace(ROADWORKS, area=None))
    assert alert_matches(asking(kinds=(AlertKind.NEWS,)), replace(ROADWORKS, area=None))


def test_every_criterion_given_must_hold() -> None:
    everything = asking(
        keywords=("road",),
        agencies=("police",),
        areas=("Nairobi CBD",),
        kinds=(AlertKind.NEWS,),
    )
    assert alert_matches(everything, ROADWORKS)
    assert not alert_matches(everything, replace(ROADWORKS, kind=AlertKind.SECURITY))
    assert not alert_matches(everything, replace(ROADWORKS, agency="revenue"))
    assert not alert_matches(everything, replace(ROADWORKS, area="Kisumu"))
    assert not alert_matches(everything, replace(ROADWORKS, text="Railroad closed"))


def test_an_alert_without_criteria_matches_everything() -> None:
    assert alert_matches(NOTHING_ASKED, ROADWORKS)
