"""The ticket settings proposed for the demo agencies, as the tests of tickets speak them.

``TICKETS_YAML`` holds the ``ticket_routing:`` block and each agency's ``tickets:``
block as they would read in ``config/agencies.yaml``, plus the hub's own office that
triages unmatched tickets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from hub.tickets import AgencyTicketsConfig, RoutingRules, TicketRoutingConfig

TICKETS_YAML = """
ticket_routing:
  triage_agency: hub_office
  reopen_window_days: 14
  priority_rules:
    - name: violence reported
      kinds: [REPORT]
      keywords: [violence, violent, assault, gun, knife, shooting, stabbing, rape, murder,
                 kidnapping, attack]
      priority: URGENT
    - name: child at risk
      keywords: [child abuse, missing child]
      priority: URGENT

agencies:
  - id: revenue
    name: Revenue Authority
    tickets:
      sla: {first_response_hours: 24, resolution_hours: 240}
      categories:
        - id: tax-enquiries
          name: Tax enquiries
          keywords: [tax, income tax, vat, paye, tax return, filing, penalty]
          kinds: [ENQUIRY, COMPLAINT, REQUEST]
        - id: pin
          name: PIN registration
          keywords: [pin, taxpayer registration, register taxpayer]
          kinds: [ENQUIRY, COMPLAINT, REQUEST]
        - id: compliance
          name: Tax compliance certificates
          keywords: [compliance, compliance certificate, tcc]
          kinds: [ENQUIRY, COMPLAINT, REQUEST]
        - id: refunds
          name: Tax refunds
          keywords: [refund, overpaid, overpayment, repayment]
          kinds: [ENQUIRY, COMPLAINT, REQUEST]
          sla: {resolution_hours: 720}

  - id: immigration
    name: Department of Immigration Services
    tickets:
      sla: {first_response_hours: 48, resolution_hours: 336}
      categories:
        - id: passports
          name: Passports
          keywords: [passport, travel document, lost passport]
        - id: visas
          name: Visas
          keywords: [visa, evisa, transit, tourist]
        - id: permits
          name: Work and residence permits
          keywords: [permit, work permit, residence, alien card]
        - id: service-complaints
          name: Complaints about our service
          keywords: [queue, delay, rude, staff, service, bribe, waiting]
          kinds: [COMPLAINT]
          priority: HIGH
          sla: {first_response_hours: 8}

  - id: police
    name: National Police Service
    tickets:
      sla: {first_response_hours: 4, resolution_hours: 168}
      at_risk_share: 0.75
      categories:
        - id: crime
          name: Crime reports
          keywords: [theft, stolen, robbery, burglary, break in, fraud, assault, attack, threat]
          kinds: [REPORT]
          priority: HIGH
          urgent_keywords: [happening now, in progress, injured]
          sla: {first_response_hours: 1}
        - id: traffic
          name: Traffic
          keywords: [traffic, accident, crash, speeding, driver, vehicle, road]
          kinds: [REPORT, COMPLAINT, ENQUIRY]
        - id: lost-documents
          name: Lost documents
          keywords: [lost, misplaced, police abstract, abstract]
          kinds: [REPORT, REQUEST, ENQUIRY]
        - id: commendations
          name: Commendations of officers
          keywords: [officer, thank, helpful, brave, commend]
          kinds: [COMMENDATION]
          sla: {first_response_hours: 72, resolution_hours: 336}

  - id: hub_office
    name: Citizen Hub Office
    tickets:
      sla: {first_response_hours: 8, resolution_hours: 72}
"""


@dataclass(frozen=True, slots=True)
class Agency:
    """The part of an agency's configuration that tickets read."""

    id: str
    name: str
    tickets: AgencyTicketsConfig


def demo_data() -> dict[str, Any]:
    """The demo ticket settings as plain data, for tests to spoil."""
    data: dict[str, Any] = yaml.safe_load(TICKETS_YAML)
    return data


def agencies_of(data: dict[str, Any]) -> list[Agency]:
    """The agencies of ``data``, validated."""
    return [
        Agency(a["id"], a["name"], AgencyTicketsConfig.model_validate(a.get("tickets", {})))
        for a in data["agencies"]
    ]


def routing_of(data: dict[str, Any]) -> TicketRoutingConfig:
    """The ``ticket_routing:`` block of ``data``, validated."""
    return TicketRoutingConfig.model_validate(data["ticket_routing"])


def demo_rules() -> RoutingRules:
    """The routing rules of the demo agencies."""
    data = demo_data()
    return RoutingRules(agencies_of(data), routing_of(data))
