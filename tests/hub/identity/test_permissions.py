"""Each permission class on its own, allowed and refused, and the audit of personal data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
import strawberry

from hub.audit.entry import AuditEntry
from hub.connector import Agency, AgencyHandle, Connector, Contact, NotFound
from hub.identity import ANONYMOUS, Caller, Role, require_owner
from hub.identity.permissions import IsAdmin, IsAuthenticated, IsCitizen, IsResolver, personal_data

ALICE = Caller(subject="alice", roles=frozenset({Role.CITIZEN}), claims={"pin": "A000000001B"})
BOB = Caller(subject="bob", roles=frozenset({Role.CITIZEN}), claims={"pin": "A000000002C"})
NO_PIN = Caller(subject="carol", roles=frozenset({Role.CITIZEN}))
REVENUE_CLERK = Caller(subject="rc", roles=frozenset({Role.RESOLVER}), agency="revenue")
POLICE_CLERK = Caller(subject="pc", roles=frozenset({Role.RESOLVER}), agency="police")
ADMIN = Caller(subject="root", roles=frozenset({Role.ADMIN}))
NO_ROLE = Caller(subject="nobody")
EXPIRED = Caller.anonymous("it has expired; sign in again")

OWNERS = {"A000000001B": "A000000001B", "A000000002C": "A000000002C"}


@dataclass
class Recorder:
    entries: list[AuditEntry] = field(default_factory=list)

    async def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)


@dataclass
class Context:
    caller: Caller
    audit: Recorder = field(default_factory=Recorder)
    request_id: str = "req-1"
    client: str = "127.0.0.1"


AGENCY = Agency(id="revenue", name="Revenue", short_name="RA", description="", contact=Contact())


@strawberry.type
class RevenueLookups:
    agency: strawberry.Private[AgencyHandle]

    @strawberry.field(extensions=personal_data("pin", "pin"))
    async def by_pin(self, pin: str) -> str:
        if pin.strip().upper() not in OWNERS:
            raise NotFound(f"no taxpayer {pin}", agency="revenue")
        return f"record of {pin}"

    @strawberry.field(extensions=personal_data("number"))
    async def by_number(self, number: str) -> str:
        require_owner(self.agency.caller, "revenue", "pin", OWNERS.get(number, "nobody"))
        return f"record {number}"


def guarded(caller: Caller) -> str:
    return f"hello {caller.subject}"


@strawberry.type
class Query:
    @strawberry.field(permission_classes=[IsAuthenticated])
    def signed_in(self, info: strawberry.Info) -> str:
        return guarded(info.context.caller)

    @strawberry.field(permission_classes=[IsCitizen])
    def citizens(self, info: strawberry.Info) -> str:
        return guarded(info.context.caller)

    @strawberry.field(permission_classes=[IsResolver])
    def staff(self, info: strawberry.Info) -> str:
        return guarded(info.context.caller)

    @strawberry.field(permission_classes=[IsAdmin])
    def admins(self, info: strawberry.Info) -> str:
        return guarded(info.context.caller)

    @strawberry.field
    def revenue(self, info: strawberry.Info) -> RevenueLookups:
        handle = AgencyHandle(AGENCY, Connector(AGENCY, None), None, info.context.caller)  # type: ignore[arg-type]
        return RevenueLookups(agency=handle)


schema = strawberry.Schema(query=Query)


async def run(query: str, caller: Caller) -> tuple[Any, list[str], Context]:
    context = Context(caller)
    result = await schema.execute(query, context_value=context)
    codes = [
        (e.original_error.code if hasattr(e.original_error, "code") else "?")  # type: ignore[union-attr]
        for e in result.errors or []
    ]
    return result.data, codes, context


@pytest.mark.parametrize(
    ("field_name", "caller", "code"),
    [
        ("signedIn", ANONYMOUS, "UNAUTHENTICATED"),
        ("signedIn", EXPIRED, "UNAUTHENTICATED"),
        ("signedIn", NO_ROLE, "FORBIDDEN"),
        ("signedIn", ALICE, None),
        ("signedIn", REVENUE_CLERK, None),
        ("citizens", ANONYMOUS, "UNAUTHENTICATED"),
        ("citizens", ALICE, None),
        ("citizens", REVENUE_CLERK, "FORBIDDEN"),
        ("citizens", ADMIN, None),
        ("staff", ALICE, "FORBIDDEN"),
        ("staff", POLICE_CLERK, None),
        ("staff", ADMIN, None),
        ("admins", ANONYMOUS, "UNAUTHENTICATED"),
        ("admins", ALICE, "FORBIDDEN"),
        ("admins", REVENUE_CLERK, "FORBIDDEN"),
        ("admins", ADMIN, None),
    ],
)
async def test_role_permissions(field_name: str, caller: Caller, code: str | None) -> None:
    data, codes, _ = await run(f"{{ {field_name} }}", caller)
    if code is None:
        assert codes == []
        assert data == {field_name: f"hello {caller.subject}"}
    else:
        assert codes == [code]
        assert data is None


async def test_an_expired_token_is_named_as_the_reason() -> None:
    result = await schema.execute("{ admins }", context_value=Context(EXPIRED))
    assert result.errors
    assert "expired" in result.errors[0].message


@pytest.mark.parametrize(
    ("caller", "pin", "code"),
    [
        (ANONYMOUS, "A000000001B", "UNAUTHENTICATED"),
        (NO_ROLE, "A000000001B", "FORBIDDEN"),
        (ALICE, "A000000001B", None),
        (ALICE, " a000000001b ", None),
        (ALICE, "A000000002C", "FORBIDDEN"),
        (NO_PIN, "A000000001B", "FORBIDDEN"),
        (REVENUE_CLERK, "A000000002C", None),
        (POLICE_CLERK, "A000000002C", "FORBIDDEN"),
        (ADMIN, "A000000002C", None),
    ],
)
async def test_personal_data_by_argument(caller: Caller, pin: str, code: str | None) -> None:
    data, codes, context = await run(f'{{ revenue {{ byPin(pin: "{pin}") }} }}', caller)
    assert codes == ([] if code is None else [code])
    (entry,) = context.audit.entries
    assert entry.outcome == (code or "OK")
    assert entry.field == "revenue.byPin"
    assert entry.object_id == pin
    assert entry.agency == "revenue"
    assert entry.subject == caller.subject
    assert entry.role == caller.primary_role
    assert entry.request_id == "req-1"
    if code is None:
        assert data == {"revenue": {"byPin": f"record of {pin}"}}


@pytest.mark.parametrize(
    ("caller", "number", "code"),
    [
        (ALICE, "A000000001B", None),
        (BOB, "A000000001B", "FORBIDDEN"),
        (REVENUE_CLERK, "A000000001B", None),
        (POLICE_CLERK, "A000000001B", "FORBIDDEN"),
    ],
)
async def test_personal_data_by_record_owner(caller: Caller, number: str, code: str | None) -> None:
    _, codes, context = await run(f'{{ revenue {{ byNumber(number: "{number}") }} }}', caller)
    assert codes == ([] if code is None else [code])
    assert [e.outcome for e in context.audit.entries] == [code or "OK"]


async def test_a_failed_lookup_is_audited_with_its_error_code() -> None:
    _, codes, context = await run('{ revenue { byPin(pin: "A999999999Z") } }', ADMIN)
    assert codes == ["NOT_FOUND"]
    assert [e.outcome for e in context.audit.entries] == ["NOT_FOUND"]


async def test_public_and_role_fields_write_no_audit_rows() -> None:
    _, _, context = await run("{ signedIn admins }", ADMIN)
    assert context.audit.entries == []


async def test_personal_data_is_refused_when_the_audit_log_is_missing() -> None:
    @dataclass
    class Unaudited:
        caller: Caller
        audit: None = None

    result = await schema.execute(
        '{ revenue { byPin(pin: "A000000001B") } }', context_value=Unaudited(ADMIN)
    )
    assert result.data is None
    assert result.errors
    assert "audit log" in result.errors[0].message
