"""The agencies' own lookups, batched: the keys of one request cost one call to the agency.

One suite, every lookup (``revenue.taxCompliance``, ``immigration.passportApplication``,
``police.occurrence``), each over its running stand-in. The calls are counted where
they land: the HTTP stand-ins count the requests they serve (``/_stats``), and the
statements sent to the Occurrence Book are counted as SQLAlchemy sends them.
Duplicates are merged; a key that is malformed or unknown fails its own field only;
personal data is still checked and audited for each record. (A record the connector
cannot read fails its own key too: see the connectors' error tests.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
import strawberry
from sqlalchemy.engine import Engine
from strawberry.types import ExecutionResult

from connectors.immigration import ImmigrationConnector
from connectors.police import PoliceConnector
from connectors.revenue import RevenueConnector
from hub.connector import Agency, Caller, Connector, Contact
from legacy import StandInOptions
from legacy.immigration import seed_applications
from legacy.police import occurrence_rows
from legacy.police.stations import station_rows
from legacy.running import RunningStandIn, running_standin
from tests.support.callers import citizen, resolver
from tests.support.connectors import open_with
from tests.support.keys import HubKeys
from tests.support.lookups import LookupContext, lookups_schema
from tests.support.statements import statements_sent

TODAY = date(2026, 3, 10)
APPLICATIONS = seed_applications(TODAY)
OCCURRENCES = occurrence_rows(TODAY, [row["stn_code"] for row in station_rows()])


@dataclass(frozen=True)
class Lookup:
    """One agency's personal lookup, and keys to ask it."""

    agency: str
    connector: type[Connector]
    field: str
    argument: str
    selection: str
    claim: str
    keys: tuple[str, str, str]
    """Three records; the first two belong to different people."""
    owners: tuple[str, str, str]
    """The ``claim`` of each key's owner."""
    respelled: str
    """The first key written another way that means the same record."""
    unknown: str
    malformed: str
    batch_claim: str
    """What the agency's assertion calls the keys it names."""

    @property
    def audited_field(self) -> str:
        return f"{self.agency}.{self.field}"

    def document(self, keys: list[str]) -> str:
        """One alias of the agency's lookups per key, each asking the lookup once."""
        fields = " ".join(
            f'k{index}: {self.agency} {{ {self.field}({self.argument}: "{key}") '
            f"{{ {self.selection} }} }}"
            for index, key in enumerate(keys)
        )
        return f"query Lookup {{ {fields} }}"


LOOKUPS = {
    "revenue": Lookup(
        "revenue",
        RevenueConnector,
        "taxCompliance",
        "pin",
        "pin status",
        "pin",
        ("A012345678Z", "A004581273K", "A009912245M"),
        ("A012345678Z", "A004581273K", "A009912245M"),
        " a012345678z ",
        "A999999999X",
        "A01234567Z",
        "pin",
    ),
    "immigration": Lookup(
        "immigration",
        ImmigrationConnector,
        "passportApplication",
        "number",
        "number status",
        "national_id",
        tuple(a.application_no for a in APPLICATIONS[:3]),  # type: ignore[arg-type]
        tuple(a.applicant_id_no for a in APPLICATIONS[:3]),  # type: ignore[arg-type]
        f" {APPLICATIONS[0].application_no.lower()} ",
        "PA2026-9999999",
        "PA26-1",
        "application_no",
    ),
    "police": Lookup(
        "police",
        PoliceConnector,
        "occurrence",
        "obNumber",
        "obNumber status",
        "national_id",
        tuple(o["ob_no"] for o in OCCURRENCES[:3]),  # type: ignore[arg-type]
        tuple(o["compl_id_no"] for o in OCCURRENCES[:3]),  # type: ignore[arg-type]
        OCCURRENCES[0]["ob_no"].lower().replace("/", " / "),
        "OB/999/01/01/2020",
        "OB/1/32/01/2026",
        "",
    ),
}


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
        yield {"revenue": revenue, "immigration": immigration, "police": police_standin}


@pytest.fixture(params=list(LOOKUPS))
def lookup(request: pytest.FixtureRequest) -> Lookup:
    return LOOKUPS[request.param]


class Lookups:
    """The agency's lookups in a schema of their own, counting the calls the hub's guard
    makes and the calls that reach the agency's system."""

    def __init__(self, agency: Agency, connector: Connector, standin: RunningStandIn) -> None:
        self.standin = standin
        self.guarded = 0
        self.schema: strawberry.Schema = lookups_schema(
            agency, connector, self._counted, nullable=True
        )

    async def _counted(self, agency_id: str, method: Any, *args: Any) -> Any:
        self.guarded += 1
        return await method(*args)

    async def ask(self, document: str, caller: Caller) -> tuple[ExecutionResult, LookupContext]:
        context = LookupContext(caller=caller)
        result = await self.schema.execute(document, context_value=context)
        return result, context

    @contextmanager
    def upstream(self) -> Iterator[list[int]]:
        """How many requests (or SQL statements) the agency's system got in the block."""
        counted = [0]
        if self.standin.name == "police":
            with statements_sent(Engine) as sent:
                yield counted
            counted[0] = len([s for s in sent if "ob_register" in s])
            return
        self.standin.reset_served()
        yield counted
        counted[0] = self.standin.served()


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
    standin = standins[lookup.agency]
    async with httpx.AsyncClient(timeout=5) as http:
        connector = await open_with(
            lookup.connector, agency, standin.connector_settings, http, hub_keys.signer
        )
        try:
            yield Lookups(agency, connector, standin)
        finally:
            await connector.close()


def answers(result: ExecutionResult, lookup: Lookup, count: int) -> list[Any]:
    data = result.data or {}
    return [
        (data.get(f"k{index}") or {}).get(lookup.field) if data.get(f"k{index}") else None
        for index in range(count)
    ]


def error_codes(result: ExecutionResult) -> dict[str, str]:
    """The code of each alias that failed, from the hub's own error (as the hub reports it)."""
    found = {}
    for error in result.errors or ():
        original = error.original_error
        found[str(error.path[0])] = getattr(original, "code", type(original).__name__)
    return found


# ----------------------------------------------------------------------- batching


async def test_the_keys_of_a_request_cost_one_call_to_the_agency(
    lookups: Lookups, lookup: Lookup
) -> None:
    staff = resolver(lookup.agency)
    keys = [*lookup.keys, lookup.respelled, lookup.keys[1]]
    with lookups.upstream() as upstream:
        result, context = await lookups.ask(lookup.document(keys), staff)

    assert result.errors is None, result.errors
    found = answers(result, lookup, len(keys))
    assert all(found)
    assert found[0] == found[3]
    assert found[1] == found[4]
    assert len({str(record) for record in found}) == 3
    assert lookups.guarded == 1
    assert upstream == [1]
    # Every field is still audited on its own, with the key it was asked for.
    assert sorted(context.audit.outcomes()) == sorted(
        (lookup.audited_field, key, "OK") for key in keys
    )


async def test_an_unknown_or_malformed_key_fails_its_own_field_only(
    lookups: Lookups, lookup: Lookup
) -> None:
    staff = resolver(lookup.agency)
    keys = [lookup.keys[0], lookup.unknown, lookup.malformed, lookup.keys[1]]
    with lookups.upstream() as upstream:
        result, context = await lookups.ask(lookup.document(keys), staff)

    found = answers(result, lookup, len(keys))
    assert found[0] is not None
    assert found[3] is not None
    assert found[1:3] == [None, None]
    assert error_codes(result) == {"k1": "NOT_FOUND", "k2": "BAD_USER_INPUT"}
    assert lookups.guarded == 1
    assert upstream == [1]
    assert sorted(context.audit.outcomes()) == sorted(
        [
            (lookup.audited_field, keys[0], "OK"),
            (lookup.audited_field, keys[1], "NOT_FOUND"),
            (lookup.audited_field, keys[2], "BAD_USER_INPUT"),
            (lookup.audited_field, keys[3], "OK"),
        ]
    )


async def test_personal_data_is_checked_and_audited_for_each_record(
    lookups: Lookups, lookup: Lookup
) -> None:
    owner = citizen("citizen-a", **{lookup.claim: lookup.owners[0]})
    mine, theirs = lookup.keys[0], lookup.keys[1]
    with lookups.upstream() as upstream:
        result, context = await lookups.ask(lookup.document([mine, theirs, mine]), owner)

    found = answers(result, lookup, 3)
    assert found[0] is not None
    assert found[2] == found[0]
    assert found[1] is None
    assert error_codes(result) == {"k1": "FORBIDDEN"}
    assert sorted(context.audit.outcomes()) == sorted(
        [
            (lookup.audited_field, mine, "OK"),
            (lookup.audited_field, theirs, "FORBIDDEN"),
            (lookup.audited_field, mine, "OK"),
        ]
    )
    # A PIN is checked against the token before the gateway is asked, so only the
    # citizen's own is; the owner of an application or an OB entry is known only from
    # the record, so both are fetched, in one call, and the other one refused.
    assert lookups.guarded == 1
    assert upstream == [1]


SIGNING = pytest.mark.parametrize("lookup", ["revenue", "immigration"], indirect=True)


@SIGNING
async def test_the_one_request_names_every_key_it_asks_for_in_its_assertion(
    lookups: Lookups, lookup: Lookup, standins: dict[str, RunningStandIn]
) -> None:
    standin = standins[lookup.agency]
    standin.forget_assertions()
    keys = [*lookup.keys, lookup.keys[0]]
    result, _ = await lookups.ask(lookup.document(keys), resolver(lookup.agency, "clerk-9"))
    assert result.errors is None, result.errors

    (claims,) = standin.assertions()
    assert claims["sub"] == "clerk-9"
    assert claims["purpose"] == lookup.audited_field
    assert sorted(claims["obo"][lookup.batch_claim]) == sorted(lookup.keys)


async def test_a_failing_agency_fails_every_field_of_the_batch_with_its_error(
    lookups: Lookups, lookup: Lookup, standins: dict[str, RunningStandIn]
) -> None:
    standin = standins[lookup.agency]
    standin.set_faults(down=True)
    try:
        result, context = await lookups.ask(
            lookup.document(list(lookup.keys[:2])), resolver(lookup.agency)
        )
    finally:
        standin.reset_faults()
    assert set(error_codes(result).values()) == {"AGENCY_UNAVAILABLE"}
    assert set(error_codes(result)) == {"k0", "k1"}
    assert lookups.guarded == 1
    assert [outcome for *_, outcome in context.audit.outcomes()] == ["AGENCY_UNAVAILABLE"] * 2
