"""Routing: every ticket reaches an agency, with a priority and a reason a citizen can read."""

from __future__ import annotations

from typing import Any

import pytest

from hub.tickets import (
    Priority,
    Routing,
    RoutingError,
    RoutingRules,
    TicketKind,
    TicketSubmission,
    route,
)
from tests.hub.tickets.demo import agencies_of, demo_data, demo_rules, routing_of

RULES = demo_rules()
POLICE = "National Police Service"


def routed(
    kind: TicketKind,
    title: str,
    description: str = "",
    *,
    category: str | None = None,
    agency: str | None = None,
    rules: RoutingRules = RULES,
) -> Routing:
    submission = TicketSubmission(
        kind=kind, title=title, description=description, category=category, agency=agency
    )
    return route(submission, rules)


def refused(
    kind: TicketKind,
    *,
    category: str | None = None,
    agency: str | None = None,
    rules: RoutingRules = RULES,
) -> RoutingError:
    with pytest.raises(RoutingError) as caught:
        routed(kind, "A title", "A description", category=category, agency=agency, rules=rules)
    return caught.value


def rules_of(data: dict[str, Any]) -> RoutingRules:
    return RoutingRules(agencies_of(data), routing_of(data))


# Classification by keywords


def test_the_category_with_most_keywords_found_wins_and_says_which() -> None:
    routing = routed(TicketKind.ENQUIRY, "Refund of overpaid tax", "When will I be paid?")
    assert routing == Routing(
        agency="revenue",
        category="refunds",
        priority=Priority.NORMAL,
        reason="Matched the keywords 'refund', 'overpaid' of category Tax refunds (refunds) "
        "at Revenue Authority.",
        matched_keywords=("refund", "overpaid"),
    )
    assert routing.category_id == "revenue/refunds"


def test_keywords_are_found_in_the_description_whatever_their_case() -> None:
    routing = routed(TicketKind.REQUEST, "Help needed", "I have forgotten my PIN.")
    assert (routing.agency, routing.category) == ("revenue", "pin")
    assert routing.matched_keywords == ("pin",)


def test_keywords_match_whole_words_only() -> None:
    routing = routed(TicketKind.ENQUIRY, "Spinning pineapples", "Is there a taxi rank?")
    assert (routing.agency, routing.category) == ("hub_office", None)


def test_plurals_match_their_singular_keyword() -> None:
    assert routed(TicketKind.ENQUIRY, "Refunds", "Two refunds are late").category == "refunds"
    assert routed(TicketKind.ENQUIRY, "Permits for my family").category == "permits"
    assert routed(TicketKind.REQUEST, "Penalties charged twice").category == "tax-enquiries"


def test_a_phrase_keyword_matches_its_words_in_sequence_only() -> None:
    routing = routed(TicketKind.REQUEST, "Police abstract", "Please issue one")
    assert routing.category == "lost-documents"
    assert routing.matched_keywords == ("police abstract", "abstract")
    apart = routed(TicketKind.COMPLAINT, "A work visa took ages", "Why was my permit late?")
    assert apart.category == "visas"
    assert apart.matched_keywords == ("visa",)


def test_a_tie_goes_to_the_category_declared_first_in_its_agency() -> None:
    routing = routed(TicketKind.ENQUIRY, "Tax refund")
    assert routing.category_id == "revenue/tax-enquiries"
    assert routing.matched_keywords == ("tax",)


def test_a_tie_across_agencies_goes_to_the_agency_declared_first() -> None:
    routing = routed(TicketKind.ENQUIRY, "Vehicle tax")
    assert routing.category_id == "revenue/tax-enquiries"
    reordered = demo_data()
    reordered["agencies"].insert(0, reordered["agencies"].pop(2))
    assert routed(TicketKind.ENQUIRY, "Vehicle tax", rules=rules_of(reordered)).category_id == (
        "police/traffic"
    )


def test_a_category_only_takes_the_kinds_it_declares() -> None:
    text = "Great service: no queue, no delay, the staff were kind. Thank you."
    assert routed(TicketKind.COMPLAINT, text).category_id == "immigration/service-complaints"
    praise = routed(TicketKind.COMMENDATION, text)
    assert praise.category_id == "police/commendations"
    assert praise.matched_keywords == ("thank",)


def test_a_kind_no_matching_category_takes_goes_to_triage() -> None:
    routing = routed(TicketKind.COMMENDATION, "Short queue", "Good service today")
    assert (routing.agency, routing.category) == ("hub_office", None)


def test_an_unmatched_ticket_goes_to_the_triage_office() -> None:
    routing = routed(TicketKind.ENQUIRY, "Water bill", "Where do I pay my water bill?")
    assert routing == Routing(
        agency="hub_office",
        category=None,
        priority=Priority.NORMAL,
        reason="No category matched; sent to the triage office Citizen Hub Office for manual "
        "routing.",
    )
    assert routing.category_id is None


def test_an_empty_ticket_goes_to_the_triage_office() -> None:
    assert routed(TicketKind.REQUEST, "", "").agency == "hub_office"


# The citizen's choices


def test_a_category_chosen_by_the_citizen_wins_over_keywords() -> None:
    routing = routed(TicketKind.ENQUIRY, "Tax refund", "A passport question", category="visas")
    assert routing == Routing(
        agency="immigration",
        category="visas",
        priority=Priority.NORMAL,
        reason="Category chosen by the citizen: Visas (visas) at Department of Immigration "
        "Services.",
    )


def test_a_chosen_category_may_be_named_with_its_agency() -> None:
    routing = routed(TicketKind.ENQUIRY, "Question", "A passport question", category="revenue/pin")
    assert routing.category_id == "revenue/pin"
    both = routed(TicketKind.ENQUIRY, "Question", "", category="pin", agency="revenue")
    assert both.category_id == "revenue/pin"


def test_a_chosen_category_keeps_its_keywords_found() -> None:
    routing = routed(TicketKind.ENQUIRY, "My passport visa", "", category="immigration/visas")
    assert routing.matched_keywords == ("visa",)


def test_a_chosen_agency_picks_its_best_category() -> None:
    routing = routed(
        TicketKind.REPORT, "Crash on Mombasa Road", "My passport was stolen", agency="police"
    )
    assert routing.category_id == "police/traffic"
    assert routing.matched_keywords == ("crash", "road")
    assert routing.reason == (
        "Agency chosen by the citizen; matched the keywords 'crash', 'road' of its category "
        f"Traffic (traffic) at {POLICE}."
    )


def test_a_chosen_agency_keeps_its_ticket_even_when_another_matches_better() -> None:
    routing = routed(TicketKind.ENQUIRY, "Passport visa permit", "", agency="revenue")
    assert routing.category_id == "revenue/tax-enquiries"
    assert routing.reason == (
        "Agency chosen by the citizen; no keyword matched, so it goes to the agency's first "
        "category for ENQUIRY tickets, Tax enquiries (tax-enquiries) at Revenue Authority."
    )


def test_a_chosen_agency_without_a_match_uses_its_first_category_taking_the_kind() -> None:
    routing = routed(TicketKind.COMMENDATION, "Hello", "", agency="police")
    assert routing.category_id == "police/commendations"
    assert routing.matched_keywords == ()


def test_the_triage_office_may_be_chosen_and_routes_by_hand() -> None:
    routing = routed(TicketKind.REQUEST, "Tax refund", "", agency="hub_office")
    assert (routing.agency, routing.category) == ("hub_office", None)
    assert routing.reason == (
        "Agency chosen by the citizen: Citizen Hub Office, which routes it by hand."
    )


# Priority


def test_a_report_of_violence_is_urgent_and_the_reason_names_the_rule() -> None:
    routing = routed(TicketKind.REPORT, "Robbery on Moi Avenue", "Two men with a gun.")
    assert routing == Routing(
        agency="police",
        category="crime",
        priority=Priority.URGENT,
        reason=f"Matched the keyword 'robbery' of category Crime reports (crime) at {POLICE}. "
        "Priority raised from HIGH to URGENT by the rule 'violence reported' (matched 'gun').",
        matched_keywords=("robbery",),
    )


def test_a_priority_rule_only_looks_at_its_kinds() -> None:
    routing = routed(TicketKind.ENQUIRY, "Gun licence", "Do I need a permit for a gun?")
    assert routing.category_id == "immigration/permits"
    assert routing.priority is Priority.NORMAL
    assert "Priority" not in routing.reason


def test_a_priority_rule_raises_a_ticket_sent_to_triage() -> None:
    routing = routed(TicketKind.REPORT, "Neighbours", "A violent fight next door")
    assert (routing.agency, routing.priority) == ("hub_office", Priority.URGENT)
    assert routing.reason == (
        "No category matched; sent to the triage office Citizen Hub Office for manual routing. "
        "Priority raised from NORMAL to URGENT by the rule 'violence reported' "
        "(matched 'violent')."
    )


def test_a_priority_rule_without_kinds_looks_at_every_kind() -> None:
    routing = routed(TicketKind.COMPLAINT, "Nobody helped", "I reported a missing child")
    assert routing.priority is Priority.URGENT
    assert "the rule 'child at risk' (matched 'missing child')" in routing.reason


def test_a_category_urgent_keyword_makes_its_tickets_urgent() -> None:
    routing = routed(TicketKind.REPORT, "Burglary in progress", "At my house in Karen")
    assert routing.category_id == "police/crime"
    assert routing.priority is Priority.URGENT
    assert routing.reason.endswith(
        "Priority raised from HIGH to URGENT by the urgent keyword 'in progress' of category "
        "Crime reports (crime)."
    )


def test_a_category_urgent_keyword_counts_only_in_its_category() -> None:
    routing = routed(TicketKind.REPORT, "Accident", "A crash, the queue is in progress")
    assert routing.category_id == "police/traffic"
    assert routing.priority is Priority.NORMAL


def test_the_category_priority_stands_when_no_rule_matches() -> None:
    routing = routed(TicketKind.COMPLAINT, "Rude staff", "")
    assert routing.category_id == "immigration/service-complaints"
    assert routing.priority is Priority.HIGH
    assert "Priority" not in routing.reason


def test_rules_never_lower_a_priority_and_the_highest_names_itself() -> None:
    data = demo_data()
    data["ticket_routing"]["priority_rules"] = [
        {"name": "mild", "keywords": ["queue"], "priority": "LOW"},
        {"name": "busy", "keywords": ["queue"], "priority": "HIGH"},
        {"name": "rude", "keywords": ["rude"], "priority": "URGENT"},
        {"name": "also rude", "keywords": ["rude"], "priority": "URGENT"},
    ]
    rules = rules_of(data)
    assert routed(TicketKind.COMPLAINT, "Long queue", rules=rules).priority is Priority.HIGH
    routing = routed(TicketKind.COMPLAINT, "Rude staff at the queue", rules=rules)
    assert routing.priority is Priority.URGENT
    assert routing.reason.endswith("from HIGH to URGENT by the rule 'rude' (matched 'rude').")
    triaged = routed(TicketKind.ENQUIRY, "Queue", "", agency="hub_office", rules=rules)
    assert triaged.priority is Priority.HIGH


def test_priorities_are_ordered_and_raised_one_step() -> None:
    assert Priority.LOW < Priority.NORMAL < Priority.HIGH < Priority.URGENT
    assert max(Priority.HIGH, Priority.LOW, Priority.URGENT) is Priority.URGENT
    assert [p.raised() for p in Priority] == [
        Priority.NORMAL,
        Priority.HIGH,
        Priority.URGENT,
        Priority.URGENT,
    ]
    with pytest.raises(TypeError):
        assert Priority.LOW < 1


# Bad choices


def test_an_unknown_agency_names_the_agencies_that_take_tickets() -> None:
    error = refused(TicketKind.ENQUIRY, agency="polce")
    assert isinstance(error, ValueError)
    assert str(error) == (
        "unknown agency 'polce' (did you mean 'police'?); "
        "choose one of: revenue, immigration, police, hub_office"
    )
    assert (error.field, error.choices) == (
        "agency",
        ("revenue", "immigration", "police", "hub_office"),
    )


def test_an_agency_without_ticket_categories_is_not_a_choice() -> None:
    data = demo_data()
    data["agencies"].append({"id": "lands", "name": "Lands Registry"})
    error = refused(TicketKind.ENQUIRY, agency="lands", rules=rules_of(data))
    assert str(error).startswith("Lands Registry (lands) takes no tickets; choose one of: ")
    assert "lands" not in error.choices


def test_an_agency_taking_no_tickets_of_the_kind_names_those_that_do() -> None:
    error = refused(TicketKind.COMMENDATION, agency="revenue")
    assert str(error) == (
        "Revenue Authority (revenue) takes no COMMENDATION tickets; choose one of: "
        "immigration, police, hub_office, or leave the agency out to let the hub route it"
    )
    assert error.field == "agency"


def test_an_unknown_category_names_the_valid_ones() -> None:
    error = refused(TicketKind.ENQUIRY, category="visa")
    assert str(error).startswith(
        "unknown category 'visa' (did you mean 'immigration/visas'?); choose one of: "
        "revenue/tax-enquiries, revenue/pin, "
    )
    assert error.field == "category"
    assert len(error.choices) == 12


def test_an_unknown_category_of_a_chosen_agency_names_that_agencys_categories() -> None:
    error = refused(TicketKind.ENQUIRY, category="visas", agency="police")
    assert str(error) == (
        "unknown category 'visas'; choose one of: police/crime, police/traffic, "
        "police/lost-documents, police/commendations"
    )


def test_an_unknown_agency_in_a_category_id_is_an_unknown_category() -> None:
    error = refused(TicketKind.ENQUIRY, category="polce/crime")
    assert str(error).startswith("unknown category 'polce/crime' (did you mean 'police/crime'?)")


def test_a_category_of_another_agency_than_the_chosen_one_is_refused() -> None:
    error = refused(TicketKind.REPORT, category="police/crime", agency="revenue")
    assert str(error) == (
        "category 'police/crime' belongs to 'police', not to 'revenue'; choose one of: "
        "revenue/tax-enquiries, revenue/pin, revenue/compliance, revenue/refunds, "
        "or leave the agency out"
    )


def test_a_category_that_does_not_take_the_kind_names_those_that_do() -> None:
    error = refused(TicketKind.REPORT, category="commendations")
    assert str(error) == (
        f"category Commendations of officers (commendations) at {POLICE} takes only "
        "COMMENDATION tickets, not REPORT; choose one of: immigration/passports, "
        "immigration/visas, immigration/permits, police/crime, police/traffic, "
        "police/lost-documents, or leave the category out"
    )
    assert error.field == "category"


def test_a_bare_category_id_at_several_agencies_must_be_named_with_its_agency() -> None:
    data = demo_data()
    data["agencies"][2]["tickets"]["categories"].append(
        {"id": "pin", "name": "Firearm PINs", "keywords": ["firearm"]}
    )
    rules = rules_of(data)
    error = refused(TicketKind.ENQUIRY, category="pin", rules=rules)
    assert str(error) == (
        "category 'pin' exists at several agencies; choose one of: revenue/pin, police/pin"
    )
    assert routed(TicketKind.ENQUIRY, "", category="police/pin", rules=rules).agency == "police"


def test_rules_need_a_declared_triage_agency() -> None:
    data = demo_data()
    data["ticket_routing"]["triage_agency"] = "nobody"
    with pytest.raises(ValueError, match="triage agency 'nobody' is not one of the agencies"):
        rules_of(data)
