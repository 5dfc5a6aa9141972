"""Rights and the audit log through the real hub: tokens over HTTP, personal data from
the stand-ins, and the rows an admin then reads back."""

from __future__ import annotations

import uuid
from typing import Any

from hub.identity import Role
from legacy.running import RunningStandIn
from tests.support.hub import RunningHub
from tests.support.tokens import bearer

ALICE_PIN = "A012345678Z"
BOB_PIN = "A004581273K"
TAX = 'query MyTax { revenue { taxCompliance(pin: "%s") { status } } }'
AUDIT = """
query Audit($subject: String!) {
  auditLog(first: 50, filter: { subject: $subject }) {
    totalCount
    edges { node { subject role callerAgency operation field objectId agency outcome requestId } }
  }
}
"""


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def audit_rows(hub: RunningHub, subject: str) -> list[dict[str, Any]]:
    body = hub.post(AUDIT, {"subject": subject}, headers=bearer("ops", Role.ADMIN)).json()
    assert codes(body) == [], body
    return [edge["node"] for edge in body["data"]["auditLog"]["edges"]]


def test_a_citizen_reads_their_own_record_and_not_anothers_and_both_are_audited(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    alice = f"alice-{uuid.uuid4().hex[:8]}"
    headers = bearer(alice, pin=ALICE_PIN) | {"x-request-id": "req-alice-1"}
    own = hub.post(TAX % ALICE_PIN, headers=headers).json()
    assert own["data"]["revenue"]["taxCompliance"]["status"] == "VALID"
    other = hub.post(TAX % BOB_PIN, headers=bearer(alice, pin=ALICE_PIN)).json()
    assert codes(other) == ["FORBIDDEN"]
    assert other["data"]["revenue"] is None
    hub.post("{ services(first: 3) { totalCount } }", headers=bearer(alice, pin=ALICE_PIN))

    rows = audit_rows(hub, alice)
    assert [(r["objectId"], r["outcome"]) for r in rows] == [
        (BOB_PIN, "FORBIDDEN"),
        (ALICE_PIN, "OK"),
    ]
    newest_ok = rows[1]
    assert newest_ok["field"] == "revenue.taxCompliance"
    assert newest_ok["operation"] == "query MyTax"
    assert newest_ok["agency"] == "revenue"
    assert newest_ok["role"] == "CITIZEN"
    assert newest_ok["requestId"] == "req-alice-1"


def test_the_agency_receives_a_signed_assertion_naming_the_caller(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    subject = f"carol-{uuid.uuid4().hex[:8]}"
    body = hub.post(TAX % ALICE_PIN, headers=bearer(subject, pin=ALICE_PIN)).json()
    assert codes(body) == []
    received = [claims for claims in healthy["revenue"].assertions() if claims["sub"] == subject]
    assert len(received) == 1
    assert received[0]["purpose"] == "revenue.taxCompliance"
    assert received[0]["role"] == "citizen"


def test_public_data_writes_no_audit_rows(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    subject = f"dave-{uuid.uuid4().hex[:8]}"
    headers = bearer(subject)
    body = hub.post(
        '{ news(first: 2) { totalCount } police { securityAlerts(area: "Nairobi") { title } } }',
        headers=headers,
    ).json()
    assert codes(body) == []
    assert audit_rows(hub, subject) == []


def test_staff_read_their_agencys_personal_data_only(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    revenue_clerk = bearer("clerk-revenue", Role.RESOLVER, agency="revenue")
    police_clerk = bearer("clerk-police", Role.RESOLVER, agency="police")
    allowed = hub.post(TAX % BOB_PIN, headers=revenue_clerk).json()
    assert allowed["data"]["revenue"]["taxCompliance"]["status"]
    refused = hub.post(TAX % BOB_PIN, headers=police_clerk).json()
    assert codes(refused) == ["FORBIDDEN"]


def test_personal_data_needs_a_valid_token(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    anonymous = hub.query(TAX % ALICE_PIN)
    assert codes(anonymous) == ["UNAUTHENTICATED"]
    forged = hub.post(TAX % ALICE_PIN, headers={"authorization": "Bearer not.a.token"}).json()
    assert codes(forged) == ["UNAUTHENTICATED"]
    assert "not accepted" in forged["errors"][0]["message"]


def test_only_admins_read_the_audit_log(hub: RunningHub) -> None:
    query = "{ auditLog(first: 1) { totalCount } }"
    assert codes(hub.query(query)) == ["UNAUTHENTICATED"]
    assert codes(hub.post(query, headers=bearer("alice")).json()) == ["FORBIDDEN"]
    staff = bearer("clerk", Role.RESOLVER, agency="police")
    assert codes(hub.post(query, headers=staff).json()) == ["FORBIDDEN"]
    admin = hub.post(query, headers=bearer("ops", Role.ADMIN)).json()
    assert admin["data"]["auditLog"]["totalCount"] >= 0


def test_the_audit_log_refuses_a_bad_cursor_and_page_size(hub: RunningHub) -> None:
    admin = bearer("ops", Role.ADMIN)
    bad_cursor = hub.post('{ auditLog(after: "nope") { totalCount } }', headers=admin).json()
    assert codes(bad_cursor) == ["BAD_USER_INPUT"]
    too_many = hub.post("{ auditLog(first: 100000) { totalCount } }", headers=admin).json()
    assert codes(too_many) == ["BAD_USER_INPUT"]
