"""Ticket settings: a bad setting is one readable line naming the file, agency and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from hub.tickets import (
    AgencyTicketsConfig,
    Priority,
    SlaTargets,
    TicketKind,
    TicketRoutingConfig,
    check_ticket_config,
)
from tests.hub.tickets.demo import agencies_of, demo_data, routing_of

POLICE = "agencies.yaml: agencies[2] (police).tickets"


def problems(data: dict[str, Any]) -> list[str]:
    routing = data.get("ticket_routing")
    return check_ticket_config(agencies_of(data), None if routing is None else routing_of(data))


def police_category(data: dict[str, Any], index: int) -> dict[str, Any]:
    category: dict[str, Any] = data["agencies"][2]["tickets"]["categories"][index]
    return category


def shape_errors(model: type[AgencyTicketsConfig | TicketRoutingConfig], value: Any) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(value)
    return [(e["loc"], e["type"]) for e in caught.value.errors()]


def test_the_demo_settings_have_no_problems() -> None:
    assert problems(demo_data()) == []


def test_the_models_read_the_yaml_values_and_defaults() -> None:
    data = demo_data()
    crime = agencies_of(data)[2].tickets.categories[0]
    assert crime.kinds == (TicketKind.REPORT,)
    assert crime.priority is Priority.HIGH
    assert crime.takes(TicketKind.REPORT)
    assert not crime.takes(TicketKind.ENQUIRY)
    passports = agencies_of(data)[1].tickets.categories[0]
    assert passports.kinds is None
    assert passports.takes(TicketKind.COMMENDATION)
    assert passports.priority is Priority.NORMAL
    office = agencies_of(data)[3].tickets
    assert (office.categories, office.at_risk_share) == ((), 0.8)
    assert AgencyTicketsConfig().sla == SlaTargets(first_response_hours=24, resolution_hours=240)
    routing = routing_of(data)
    assert routing.priority_rules[1].kinds is None
    assert TicketRoutingConfig(triage_agency="hub_office").reopen_window_days == 14


def test_empty_keywords_name_the_agency_category_and_key() -> None:
    data = demo_data()
    police_category(data, 1)["keywords"] = []
    assert problems(data) == [f"{POLICE}.categories[1].keywords: must not be empty"]


def test_the_file_named_is_the_one_given() -> None:
    data = demo_data()
    police_category(data, 1)["keywords"] = []
    file = Path("config") / "agencies.yaml"
    (line,) = check_ticket_config(agencies_of(data), routing_of(data), file=file)
    assert line.startswith(f"{file}: agencies[2] (police).tickets.categories[1].keywords: ")


@pytest.mark.parametrize(
    ("keyword", "message"),
    [
        ("Pothole", "must be lower case; write 'pothole', not 'Pothole'"),
        (
            "e-passport",
            "must be words of letters and digits separated by single spaces; "
            "write 'e passport', not 'e-passport'",
        ),
        (
            "lost  passport",
            "must be words of letters and digits separated by single spaces; "
            "write 'lost passport', not 'lost  passport'",
        ),
        (
            " theft",
            "must be words of letters and digits separated by single spaces; "
            "write 'theft', not ' theft'",
        ),
        ("", "must not be empty"),
        ("  ", "must not be empty"),
        ("!!", "must contain letters or digits, got '!!'"),
    ],
)
def test_a_keyword_must_be_plain_lower_case_words(keyword: str, message: str) -> None:
    data = demo_data()
    police_category(data, 0)["keywords"][2] = keyword
    assert problems(data) == [f"{POLICE}.categories[0].keywords[2]: {message}"]


def test_a_keyword_listed_twice_is_reported() -> None:
    data = demo_data()
    police_category(data, 0)["keywords"].append("theft")
    assert problems(data) == [
        f"{POLICE}.categories[0].keywords[9]: 'theft' is already listed at [0]; remove one"
    ]


def test_urgent_keywords_may_be_absent_but_must_be_valid() -> None:
    data = demo_data()
    del police_category(data, 0)["urgent_keywords"]
    assert problems(data) == []
    police_category(data, 0)["urgent_keywords"] = ["In Progress"]
    assert problems(data) == [
        f"{POLICE}.categories[0].urgent_keywords[0]: must be lower case; "
        "write 'in progress', not 'In Progress'"
    ]


def test_category_ids_are_unique_within_an_agency() -> None:
    data = demo_data()
    police_category(data, 3)["id"] = "traffic"
    assert problems(data) == [
        f"{POLICE}.categories[3].id: 'traffic' is already the id of categories[1]; "
        "category ids must be unique within an agency"
    ]


def test_the_same_category_id_at_two_agencies_is_allowed() -> None:
    data = demo_data()
    police_category(data, 3)["id"] = "pin"
    assert problems(data) == []


def test_an_empty_kinds_list_is_refused() -> None:
    data = demo_data()
    police_category(data, 2)["kinds"] = []
    assert problems(data) == [
        f"{POLICE}.categories[2].kinds: must not be empty; "
        "leave it out to take every kind of ticket"
    ]


def test_a_first_response_due_after_the_resolution_is_refused() -> None:
    data = demo_data()
    data["agencies"][2]["tickets"]["sla"] = {"first_response_hours": 200, "resolution_hours": 7.5}
    assert problems(data) == [
        f"{POLICE}.sla: first_response_hours (200) must not exceed resolution_hours (7.5); "
        "a ticket is answered before it is resolved"
    ]
    # a category overriding the first response only is checked against the agency's
    police_category(data, 0)["sla"] = {"first_response_hours": 8}
    assert problems(data)[1] == (
        f"{POLICE}.categories[0].sla: first_response_hours (8) must not exceed "
        "resolution_hours (7.5); a ticket is answered before it is resolved"
    )


def test_a_category_override_is_checked_against_the_agency_targets() -> None:
    data = demo_data()
    police_category(data, 0)["sla"] = {"first_response_hours": 170}
    assert problems(data) == [
        f"{POLICE}.categories[0].sla: first_response_hours (170) must not exceed "
        "resolution_hours (168); a ticket is answered before it is resolved"
    ]


def test_the_triage_agency_must_be_declared() -> None:
    data = demo_data()
    data["ticket_routing"]["triage_agency"] = "hub"
    assert problems(data) == [
        "agencies.yaml: ticket_routing.triage_agency: unknown agency 'hub'; "
        "declared agencies: hub_office, immigration, police, revenue"
    ]


def test_ticket_routing_is_required_once_agencies_declare_categories() -> None:
    data = demo_data()
    del data["ticket_routing"]
    assert problems(data) == [
        "agencies.yaml: ticket_routing: is required when agencies declare ticket "
        "categories; add 'ticket_routing: {triage_agency: <agency id>}' beside 'agencies:'"
    ]
    for agency in data["agencies"]:
        agency.pop("tickets")
    assert problems(data) == []


def test_priority_rules_are_checked_like_categories() -> None:
    data = demo_data()
    rules = data["ticket_routing"]["priority_rules"]
    rules[0]["keywords"] = []
    rules[1]["name"] = "violence reported"
    rules[1]["kinds"] = []
    rules[1]["keywords"][0] = "Child Abuse"
    assert problems(data) == [
        "agencies.yaml: ticket_routing.priority_rules[0].keywords: must not be empty",
        "agencies.yaml: ticket_routing.priority_rules[1].name: 'violence reported' is "
        "already the name of priority_rules[0]; rule names must be unique",
        "agencies.yaml: ticket_routing.priority_rules[1].kinds: must not be empty; "
        "leave it out to take every kind of ticket",
        "agencies.yaml: ticket_routing.priority_rules[1].keywords[0]: must be lower case; "
        "write 'child abuse', not 'Child Abuse'",
    ]


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    data = demo_data()
    data["agencies"][0]["tickets"]["categories"][1]["keywords"] = []
    police_category(data, 2)["keywords"] = ["Lost"]
    data["ticket_routing"]["triage_agency"] = "nobody"
    found = problems(data)
    assert [line.split(": ")[1] for line in found] == [
        "agencies[0] (revenue).tickets.categories[1].keywords",
        "agencies[2] (police).tickets.categories[2].keywords[0]",
        "ticket_routing.triage_agency",
    ]


# The shape of values, checked by the models (the loader words these errors)


def test_an_unknown_key_in_a_category_is_refused() -> None:
    value = {"categories": [{"id": "crime", "name": "Crime", "keywords": ["x"], "keyword": []}]}
    assert shape_errors(AgencyTicketsConfig, value) == [
        (("categories", 0, "keyword"), "extra_forbidden")
    ]


def test_a_category_needs_an_id_a_name_and_keywords() -> None:
    assert shape_errors(AgencyTicketsConfig, {"categories": [{}]}) == [
        (("categories", 0, "id"), "missing"),
        (("categories", 0, "name"), "missing"),
        (("categories", 0, "keywords"), "missing"),
    ]


@pytest.mark.parametrize("category_id", ["Roads", "county/roads", "9roads", "roads_and_bridges"])
def test_a_category_id_is_lower_case_letters_digits_and_hyphens(category_id: str) -> None:
    value = {"categories": [{"id": category_id, "name": "Roads", "keywords": ["road"]}]}
    assert shape_errors(AgencyTicketsConfig, value) == [
        (("categories", 0, "id"), "string_pattern_mismatch")
    ]


def test_kinds_and_priorities_must_be_known_values() -> None:
    category = {"id": "x", "name": "X", "keywords": ["x"]}
    value = {"categories": [{**category, "kinds": ["COMPLAIN"], "priority": "CRITICAL"}]}
    assert shape_errors(AgencyTicketsConfig, value) == [
        (("categories", 0, "kinds", 0), "enum"),
        (("categories", 0, "priority"), "enum"),
    ]


@pytest.mark.parametrize(
    ("value", "loc", "kind"),
    [
        ({"at_risk_share": 0}, ("at_risk_share",), "greater_than"),
        ({"at_risk_share": 1.5}, ("at_risk_share",), "less_than_equal"),
        ({"sla": {"first_response_hours": 0}}, ("sla", "first_response_hours"), "greater_than"),
        ({"sla": {"resolution_hours": -1}}, ("sla", "resolution_hours"), "greater_than"),
        (
            {"categories": [{"id": "x", "name": "X", "keywords": ["x"], "sla": {"hours": 2}}]},
            ("categories", 0, "sla", "hours"),
            "extra_forbidden",
        ),
    ],
)
def test_sla_values_must_be_in_range(value: Any, loc: tuple[Any, ...], kind: str) -> None:
    assert shape_errors(AgencyTicketsConfig, value) == [(loc, kind)]


def test_the_routing_block_needs_a_triage_agency_and_a_sane_window() -> None:
    assert shape_errors(TicketRoutingConfig, {"reopen_window_days": -1}) == [
        (("triage_agency",), "missing"),
        (("reopen_window_days",), "greater_than_equal"),
    ]


def test_a_priority_rule_needs_a_name_keywords_and_a_priority() -> None:
    value = {"triage_agency": "hub_office", "priority_rules": [{"kinds": ["REPORT"]}]}
    assert shape_errors(TicketRoutingConfig, value) == [
        (("priority_rules", 0, "name"), "missing"),
        (("priority_rules", 0, "keywords"), "missing"),
        (("priority_rules", 0, "priority"), "missing"),
    ]
