"""Every agency lookup that returns personal data obeys the same rules, and audits them.

One suite, every personal lookup (``revenue.taxCompliance``,
``immigration.passportApplication``, ``police.occurrence``), each over its running
stand-in: a citizen reads their own record only, the agency's staff and admins any,
another agency's staff none, an anonymous caller nothing; each access, allowed or
refused, writes one audit row with its outcome.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import strawberry
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from connectors.immigration import ImmigrationConnector
from connectors.police import PoliceConnector
from connectors.revenue import RevenueConnector
from hub.connector import Agency, Caller, Connector, Contact, HubError
from hub.identity import ANONYMOUS
from legacy import StandInOptions
from legacy.immigration import seed_applications
from legacy.police import occurrence_rows
from legacy.police.stations import station_rows
from legacy.running import RunningStandIn, running_standin
from tests.support.audit import AuditRecorder
from tests.support.callers import admin, citizen, resolver
from tests.support.connectors import open_with
from tests.support.databases import run_async
from tests.support.keys import HubKeys
from tests.support.lookups import LookupContext, lookups_schema

TODAY = date(2026, 3, 10)
APPLICATIONS = seed_applications(TODAY)
OCCURRENCES = occurrence_rows(TODAY, [row["stn_code"] for row in station_rows()])


@dataclass(frozen=True)
class Lookup:
    """One agency's personal lookup: how to ask it, and two records of different people."""

    agency: str
    connector: type[Connector]
    query: str
    field: str
    claim: str
    mine: str
    """The record of the citizen whose ``claim`` is ``owner``."""
    owner: str
    theirs: str
    """Someone else's record."""

    @property
    def audited_field(self) -> str:
        return f"{self.agency}.{self.field}"


def other_than(owner: str, records: list[tuple[str, str]]) -> str:
    return next(key for key, holder in records if holder != owner)


LOOKUPS = {
    "revenue": Lookup(
        "revenue",
        RevenueConnector,
        "query Lookup($key: String!) { revenue { taxCompliance(pin: $key) { pin status } } }",
        "taxCompliance",
        "pin",
        "A012345678Z",
        "A012345678Z",
        "P051234567K",
    ),
    "immigration": Lookup(
        "immigration",
        ImmigrationConnector,
        "query Lookup($key: String!) { immigration { passportApplication(number: $key) "
        "{ number status } } }",
        "passportApplication",
        "national_id",
        APPLICATIONS[0].application_no,
        APPLICATIONS[0].applicant_id_no,
        other_than(
            APPLICATIONS[0].applicant_id_no,
            [(a.application_no, a.applicant_id_no) for a in APPLICATIONS],
        ),
    ),
    "police": Lookup(
        "police",
        PoliceConnector,
        "query Lookup($key: String!) { police { occurrence(obNumber: $key) { obNumber status } } }",
        "occurrence",
        "national_id",
        OCCURRENCES[0]["ob_no"],
        OCCURRENCES[0]["compl_id_no"],
        other_than(
            OCCURRENCES[0]["compl_id_no"], [(o["ob_no"], o["compl_id_no"]) for o in OCCURRENCES]
        ),
    ),
}
NOBODYS = next(row["ob_no"] for row in OCCURRENCES[1:] if row["ob_no"] != LOOKUPS["police"].theirs)
"""An Occurrence Book entry whose complainant the test erases."""


@pytest.fixture(scope="module")
def standins(
    hub_keys: HubKeys, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, RunningStandIn]]:
    police_db = tmp_path_factory.mktemp("police") / "police.db"
    police = StandInOptions(today=TODAY, database_url=f"sqlite+aiosqlite:///{police_db}")
    with (
        running_standin(
            "revenue", StandInOptions(today=TODAY, hub_public_key=hub_keys.public_pem)
        ) as revenue,
        running_standin(
            "immigration", StandInOptions(today=TODAY, hub_public_key=hub_keys.public_pem)
        ) as immigration,
        running_standin("police", police) as police_standin,
    ):
        run_async(lambda: erase_complainant(police_db, NOBODYS))
        yield {"revenue": revenue, "immigration": immigration, "police": police_standin}


async def erase_complainant(path: Path, number: str) -> None:
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.begin() as connection:
            statement = text("UPDATE ob_register SET compl_id_no = NULL WHERE ob_no = :number")
            await connection.execute(statement, {"number": number})
    finally:
        await engine.dispose()


@pytest.fixture(params=list(LOOKUPS))
def lookup(request: pytest.FixtureRequest) -> Lookup:
    return LOOKUPS[request.param]


class Lookups:
    """The agency's lookups in a schema of their own, counting the calls to its system."""

    def __init__(self, agency: Agency, connector: Connector) -> None:
        self.agency = agency
        self.calls = 0
        self.schema: strawberry.Schema = lookups_schema(agency, connector, self._counted)

    async def _counted(self, agency_id: str, method: Any, *args: Any) -> Any:
        self.calls += 1
        return await method(*args)

    async def ask(self, lookup: Lookup, key: str, caller: Caller) -> Answer:
        context = LookupContext(caller=caller)
        result = await self.schema.execute(
            lookup.query, variable_values={"key": key}, context_value=context
        )
        code = None
        if result.errors:
            error = result.errors[0].original_error
            assert isinstance(error, HubError), result.errors
            assert error.agency in (None, lookup.agency)
            code = error.code
        data = (result.data or {}).get(lookup.agency)
        return Answer(data[lookup.field] if data else None, code, context.audit)


@dataclass
class Answer:
    record: dict[str, Any] | None
    code: str | None
    audit: AuditRecorder


@pytest.fixture
async def lookups(
    lookup: Lookup, standins: dict[str, RunningStandIn], hub_keys: HubKeys
) -> AsyncIterator[Lookups]:
    agency = Agency(
        id=lookup.agency,
        name=lookup.agency.capitalize(),
        short_name=lookup.agency[:3].upper(),
        description="A demo agency.",
        contact=Contact(),
    )
    settings = standins[lookup.agency].connector_settings
    async with httpx.AsyncClient(timeout=5) as http:
        connector = await open_with(lookup.connector, agency, settings, http, hub_keys.signer)
        try:
            yield Lookups(agency, connector)
        finally:
            await connector.close()


def owner_of(lookup: Lookup, subject: str = "citizen-a") -> Caller:
    return citizen(subject, **{lookup.claim: lookup.owner})


def assert_audited(answer: Answer, lookup: Lookup, key: str, caller: Caller, outcome: str) -> None:
    (entry,) = answer.audit.entries
    assert entry.field == lookup.audited_field
    assert entry.agency == lookup.agency
    assert entry.object_id == key
    assert entry.outcome == outcome
    assert entry.subject == caller.subject
    assert entry.role == caller.primary_role
    assert entry.caller_agency == caller.agency
    assert entry.operation == "query Lookup"
    assert (entry.request_id, entry.client) == ("test-request", "127.0.0.1")


# ---------------------------------------------------------------------- citizens


async def test_a_citizen_reads_their_own_record(lookups: Lookups, lookup: Lookup) -> None:
    caller = owner_of(lookup)
    answer = await lookups.ask(lookup, lookup.mine, caller)
    assert answer.code is None
    assert answer.record is not None
    assert lookups.calls == 1
    assert_audited(answer, lookup, lookup.mine, caller, "OK")


async def test_a_citizen_may_not_read_someone_elses_record(
    lookups: Lookups, lookup: Lookup
) -> None:
    caller = owner_of(lookup)
    answer = await lookups.ask(lookup, lookup.theirs, caller)
    assert (answer.record, answer.code) == (None, "FORBIDDEN")
    assert_audited(answer, lookup, lookup.theirs, caller, "FORBIDDEN")
    # a PIN is checked against the token before the gateway is asked; the owner of an
    # application or an OB entry is known only from the record
    assert lookups.calls == (0 if lookup.agency == "revenue" else 1)


async def test_a_citizen_without_the_claim_owns_nothing(lookups: Lookups, lookup: Lookup) -> None:
    caller = citizen("citizen-without-claims")
    answer = await lookups.ask(lookup, lookup.mine, caller)
    assert (answer.record, answer.code) == (None, "FORBIDDEN")
    assert_audited(answer, lookup, lookup.mine, caller, "FORBIDDEN")


async def test_the_owners_claim_matches_whatever_the_case_and_spaces(
    lookups: Lookups, lookup: Lookup
) -> None:
    caller = citizen(**{lookup.claim: f" {lookup.owner.lower()} "})
    answer = await lookups.ask(lookup, lookup.mine, caller)
    assert answer.code is None


# ------------------------------------------------------------------- staff, admins


async def test_the_agencys_staff_read_anyones_record(lookups: Lookups, lookup: Lookup) -> None:
    staff = resolver(lookup.agency)
    for key in (lookup.mine, lookup.theirs):
        answer = await lookups.ask(lookup, key, staff)
        assert answer.code is None
        assert answer.record is not None
        assert_audited(answer, lookup, key, staff, "OK")


async def test_another_agencys_staff_are_refused(lookups: Lookups, lookup: Lookup) -> None:
    other = next(agency for agency in LOOKUPS if agency != lookup.agency)
    staff = resolver(other)
    answer = await lookups.ask(lookup, lookup.mine, staff)
    assert (answer.record, answer.code) == (None, "FORBIDDEN")
    assert lookups.calls == 0
    assert_audited(answer, lookup, lookup.mine, staff, "FORBIDDEN")


async def test_an_admin_reads_anyones_record(lookups: Lookups, lookup: Lookup) -> None:
    answer = await lookups.ask(lookup, lookup.theirs, admin())
    assert answer.code is None
    assert answer.record is not None
    assert_audited(answer, lookup, lookup.theirs, admin(), "OK")


# ------------------------------------------------------------------------ anonymous


async def test_an_anonymous_caller_is_unauthenticated(lookups: Lookups, lookup: Lookup) -> None:
    answer = await lookups.ask(lookup, lookup.mine, ANONYMOUS)
    assert (answer.record, answer.code) == (None, "UNAUTHENTICATED")
    assert lookups.calls == 0
    assert_audited(answer, lookup, lookup.mine, ANONYMOUS, "UNAUTHENTICATED")
    assert answer.audit.entries[0].subject is None
    assert answer.audit.entries[0].role == "anonymous"


async def test_a_refused_token_is_explained(lookups: Lookups, lookup: Lookup) -> None:
    schema, context = lookups.schema, LookupContext(caller=Caller.anonymous("the token expired"))
    result = await schema.execute(
        lookup.query, variable_values={"key": lookup.mine}, context_value=context
    )
    assert result.errors is not None
    assert "the token expired" in result.errors[0].message
    assert [entry.outcome for entry in context.audit.entries] == ["UNAUTHENTICATED"]


# ------------------------------------------------------ what the agency is told

SIGNING = pytest.mark.parametrize("lookup", ["revenue", "immigration"], indirect=True)
"""The agencies whose systems check the hub's assertion (the Occurrence Book is a
database and cannot)."""


@SIGNING
async def test_the_agency_is_told_who_asked_and_why(
    lookups: Lookups, lookup: Lookup, standins: dict[str, RunningStandIn]
) -> None:
    standin = standins[lookup.agency]
    standin.forget_assertions()
    await lookups.ask(lookup, lookup.mine, owner_of(lookup, "citizen-77"))
    await lookups.ask(lookup, lookup.theirs, resolver(lookup.agency))
    mine, theirs = standin.assertions()
    assert (mine["sub"], mine["role"]) == ("citizen-77", "citizen")
    assert (theirs["sub"], theirs["role"], theirs["agency"]) == (
        f"staff@{lookup.agency}",
        "resolver",
        lookup.agency,
    )
    assert {mine["purpose"], theirs["purpose"]} == {lookup.audited_field}


@SIGNING
async def test_refused_callers_never_reach_a_signing_agency(
    lookups: Lookups, lookup: Lookup, standins: dict[str, RunningStandIn]
) -> None:
    standin = standins[lookup.agency]
    standin.forget_assertions()
    await lookups.ask(lookup, lookup.mine, ANONYMOUS)
    await lookups.ask(lookup, lookup.mine, resolver("someone-else"))
    assert standin.assertions() == []


# ------------------------------------------------- an entry nobody can claim


@pytest.mark.parametrize("lookup", ["police"], indirect=True)
async def test_an_entry_without_a_complainant_is_for_staff_only(
    lookups: Lookups, lookup: Lookup
) -> None:
    for caller in (citizen(national_id=""), citizen(national_id=lookup.owner)):
        refused = await lookups.ask(lookup, NOBODYS, caller)
        assert (refused.record, refused.code) == (None, "FORBIDDEN")
    allowed = await lookups.ask(lookup, NOBODYS, resolver("police"))
    assert allowed.record is not None
    assert allowed.record["obNumber"] == NOBODYS
