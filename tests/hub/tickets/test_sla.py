"""The SLA clock: deadlines in calendar hours, and where a ticket stands against them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from hub.tickets import SlaState, SlaTargets, deadlines, sla_state
from tests.hub.tickets.demo import demo_rules

RULES = demo_rules()
FRIDAY_5PM = datetime(2025, 3, 7, 17, 0, tzinfo=UTC)
NAIROBI = timezone(timedelta(hours=3))
TICK = timedelta(microseconds=1)


def hours(n: float) -> datetime:
    """``n`` hours after the ticket of these tests was submitted."""
    return FRIDAY_5PM + timedelta(hours=n)


def state(now: datetime, **kwargs: Any) -> SlaState:
    """The state of a ticket submitted on Friday at 17:00, due an answer within 10 hours
    and a resolution within 100 hours."""
    return sla_state(
        now=now,
        submitted_at=FRIDAY_5PM,
        first_response_due=hours(10),
        resolution_due=hours(100),
        **kwargs,
    )


# Deadlines


def test_deadlines_follow_the_agency_targets_in_calendar_hours() -> None:
    targets = RULES.sla_targets("revenue")
    assert targets == SlaTargets(first_response_hours=24, resolution_hours=240)
    first, resolution = deadlines(FRIDAY_5PM, targets)
    assert first == datetime(2025, 3, 8, 17, 0, tzinfo=UTC)
    assert resolution == datetime(2025, 3, 17, 17, 0, tzinfo=UTC)


def test_a_category_overrides_only_the_targets_it_names() -> None:
    refunds = RULES.sla_targets("revenue", "refunds")
    assert refunds == SlaTargets(first_response_hours=24, resolution_hours=720)
    crime = RULES.sla_targets("police", "crime")
    assert crime == SlaTargets(first_response_hours=1, resolution_hours=168)
    due = deadlines(FRIDAY_5PM, crime)
    assert due.first_response_due == hours(1)
    assert due.resolution_due == hours(168)


def test_a_ticket_without_a_known_category_has_its_agency_targets() -> None:
    police = SlaTargets(first_response_hours=4, resolution_hours=168)
    assert RULES.sla_targets("police", None) == police
    assert RULES.sla_targets("police", "removed-since") == police
    assert RULES.sla_targets("hub_office") == SlaTargets(
        first_response_hours=8, resolution_hours=72
    )


def test_targets_of_an_unknown_agency_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown agency 'nobody'; declared agencies: revenue"):
        RULES.sla_targets("nobody")


def test_each_agency_has_its_at_risk_share() -> None:
    assert RULES.at_risk_share("police") == 0.75
    assert RULES.at_risk_share("revenue") == 0.8


def test_fractional_hours_are_kept() -> None:
    targets = SlaTargets(first_response_hours=0.5, resolution_hours=1.25)
    assert deadlines(FRIDAY_5PM, targets) == (hours(0.5), hours(1.25))


def test_deadlines_are_given_in_utc_for_any_aware_submission_time() -> None:
    first, _ = deadlines(FRIDAY_5PM.astimezone(NAIROBI), SlaTargets())
    assert first == hours(24)
    assert first.tzinfo is UTC


def test_a_naive_submission_time_is_refused() -> None:
    with pytest.raises(ValueError, match="submitted_at must be timezone-aware"):
        deadlines(datetime(2025, 3, 7, 17, 0), SlaTargets())


# States while the ticket is open


def test_a_fresh_ticket_is_on_track() -> None:
    assert state(FRIDAY_5PM) is SlaState.ON_TRACK
    assert state(hours(8) - TICK) is SlaState.ON_TRACK


def test_a_ticket_is_at_risk_from_exactly_80_percent_of_its_first_response_time() -> None:
    assert state(hours(8)) is SlaState.AT_RISK


def test_a_ticket_is_at_risk_not_breached_exactly_at_its_deadline() -> None:
    assert state(hours(10)) is SlaState.AT_RISK


def test_a_ticket_unanswered_past_its_deadline_is_breached() -> None:
    assert state(hours(10) + TICK) is SlaState.BREACHED


def test_an_answered_ticket_is_timed_against_its_resolution() -> None:
    assert state(hours(20), first_responded_at=hours(9)) is SlaState.ON_TRACK
    assert state(hours(80) - TICK, first_responded_at=hours(10)) is SlaState.ON_TRACK
    assert state(hours(80), first_responded_at=hours(9)) is SlaState.AT_RISK
    assert state(hours(100), first_responded_at=hours(9)) is SlaState.AT_RISK
    assert state(hours(100) + TICK, first_responded_at=hours(9)) is SlaState.BREACHED


def test_an_answer_after_its_deadline_is_a_breach_that_stays() -> None:
    assert state(hours(12), first_responded_at=hours(10) + TICK) is SlaState.BREACHED
    late_answer = {"first_responded_at": hours(11), "resolved_at": hours(20)}
    assert state(hours(30), **late_answer) is SlaState.BREACHED


def test_the_at_risk_share_is_the_agencys() -> None:
    assert state(hours(7.5), at_risk_share=0.75) is SlaState.AT_RISK
    assert state(hours(10) - TICK, at_risk_share=1) is SlaState.ON_TRACK
    assert state(hours(10), at_risk_share=1) is SlaState.AT_RISK


def test_the_at_risk_boundary_is_exact_for_real_targets() -> None:
    first, resolution = deadlines(FRIDAY_5PM, SlaTargets())
    kwargs: dict[str, Any] = {
        "submitted_at": FRIDAY_5PM,
        "first_response_due": first,
        "resolution_due": resolution,
    }
    at_80_percent = FRIDAY_5PM + timedelta(hours=19, minutes=12)
    assert sla_state(now=at_80_percent - TICK, **kwargs) is SlaState.ON_TRACK
    assert sla_state(now=at_80_percent, **kwargs) is SlaState.AT_RISK


def test_a_clock_behind_the_submission_time_is_on_track() -> None:
    assert state(FRIDAY_5PM - timedelta(minutes=5)) is SlaState.ON_TRACK


# States once resolved


def test_a_ticket_resolved_in_time_met_its_sla_whenever_asked() -> None:
    answered = {"first_responded_at": hours(5), "resolved_at": hours(50)}
    assert state(hours(60), **answered) is SlaState.MET
    assert state(hours(1000), **answered) is SlaState.MET


def test_a_resolution_exactly_at_its_deadline_is_met() -> None:
    assert state(hours(200), first_responded_at=hours(10), resolved_at=hours(100)) is (SlaState.MET)


def test_a_late_resolution_is_breached() -> None:
    assert state(hours(200), first_responded_at=hours(1), resolved_at=hours(100) + TICK) is (
        SlaState.BREACHED
    )


def test_a_resolution_without_an_answer_counts_as_the_first_response() -> None:
    assert state(hours(50), resolved_at=hours(10)) is SlaState.MET
    assert state(hours(50), resolved_at=hours(10) + TICK) is SlaState.BREACHED


def test_times_in_any_zone_are_compared_as_instants() -> None:
    local = {
        "first_responded_at": hours(9).astimezone(NAIROBI),
        "resolved_at": hours(100).astimezone(NAIROBI),
    }
    assert state(hours(150).astimezone(NAIROBI), **local) is SlaState.MET


# Bad input


@pytest.mark.parametrize(
    "name",
    [
        "now",
        "submitted_at",
        "first_response_due",
        "resolution_due",
        "first_responded_at",
        "resolved_at",
    ],
)
def test_a_naive_datetime_is_refused_by_name(name: str) -> None:
    kwargs: dict[str, Any] = {
        "now": hours(1),
        "submitted_at": FRIDAY_5PM,
        "first_response_due": hours(10),
        "resolution_due": hours(100),
        "first_responded_at": hours(2),
        "resolved_at": hours(3),
    }
    kwargs[name] = kwargs[name].replace(tzinfo=None)
    with pytest.raises(ValueError, match=f"^{name} must be timezone-aware, got the naive"):
        sla_state(**kwargs)


@pytest.mark.parametrize("share", [0, -0.5, 1.5])
def test_an_at_risk_share_outside_zero_to_one_is_refused(share: float) -> None:
    with pytest.raises(ValueError, match="at_risk_share must be greater than 0 and at most 1"):
        state(hours(1), at_risk_share=share)
