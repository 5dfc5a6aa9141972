"""AgencyHandle.load: the keys a request loads go to a connector together, in one call
when the connector has a batch form, one call per distinct key when it has not."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

import pytest

from hub.connector import (
    Agency,
    AgencyBadResponse,
    AgencyHandle,
    Capability,
    Connector,
    ConnectorContractError,
    Contact,
    HubError,
    NotFound,
    batch_lookup,
    keyed_records,
    verify_connector,
)

AGENCY = Agency(
    id="lands",
    name="Ministry of Lands",
    short_name="MoL",
    description="Title deeds.",
    contact=Contact(),
)
DEEDS = {"T-1": "Plot 1", "T-2": "Plot 2", "T-3": "Plot 3"}
SPOILT = "T-9"
"""A deed the registry holds but cannot read."""


class Lands(Connector):
    """A third party's connector: title deeds by number, in both forms."""

    capabilities: ClassVar[frozenset[Capability]] = frozenset({"schema"})

    def __init__(self) -> None:
        super().__init__(AGENCY, self.settings_model())
        self.asked: list[Any] = []

    def schema(self) -> type:
        return object

    @batch_lookup
    async def deeds(self, numbers: Sequence[str], office: str = "Nairobi") -> dict[str, Any]:
        self.asked.append((list(numbers), office))
        return keyed_records(
            [n for n in numbers if n in DEEDS or n == SPOILT],
            lambda number: number,
            self._read,
            translated,
        )

    async def deed(self, number: str) -> str | None:
        self.asked.append(number)
        if number == SPOILT:
            raise AgencyBadResponse(f"deed {number} cannot be read")
        return DEEDS.get(number)

    @batch_lookup
    async def listed(self, numbers: Sequence[str]) -> list[str]:
        return list(numbers)

    def _read(self, number: str) -> str:
        if number == SPOILT:
            raise ValueError(f"deed {number} has no plot")
        return DEEDS[number]


@contextmanager
def translated() -> Iterator[None]:
    """The connector's translation of its failures: a ValueError is a bad response."""
    try:
        yield
    except ValueError as error:
        raise AgencyBadResponse(str(error)) from error


class CountingGuard:
    """The hub's guard reduced to calling the method, counting the calls."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, agency_id: str, method: Any, *args: Any) -> Any:
        self.calls += 1
        return await method(*args)


async def loaded(handle: AgencyHandle, method: Any, keys: list[str], *args: Any) -> list[Any]:
    """Load ``keys`` at the same moment, as the fields of one response do."""
    return await asyncio.gather(
        *(handle.load(method, key, *args) for key in keys), return_exceptions=True
    )


async def test_the_batch_form_is_called_once_for_every_key_loaded_together() -> None:
    connector, guard = Lands(), CountingGuard()
    handle = AgencyHandle(AGENCY, connector, guard)

    found = await loaded(handle, connector.deeds, ["T-2", "T-1", "T-2", "T-404", SPOILT, "T-1"])

    assert guard.calls == 1
    assert connector.asked == [(["T-2", "T-1", "T-404", SPOILT], "Nairobi")]
    assert found[:4] == ["Plot 2", "Plot 1", "Plot 2", None]
    assert found[5] == "Plot 1"
    spoilt = found[4]
    assert isinstance(spoilt, AgencyBadResponse)
    assert spoilt.agency == "lands"
    assert "has no plot" in str(spoilt)


async def test_keys_loaded_with_other_arguments_go_in_a_call_of_their_own() -> None:
    connector, guard = Lands(), CountingGuard()
    handle = AgencyHandle(AGENCY, connector, guard)

    await asyncio.gather(
        loaded(handle, connector.deeds, ["T-1", "T-2"], "Nairobi"),
        loaded(handle, connector.deeds, ["T-3"], "Mombasa"),
    )

    assert guard.calls == 2
    assert sorted(connector.asked) == [(["T-1", "T-2"], "Nairobi"), (["T-3"], "Mombasa")]


async def test_a_key_loaded_again_in_the_same_request_is_not_asked_again() -> None:
    connector, guard = Lands(), CountingGuard()
    handle = AgencyHandle(AGENCY, connector, guard)

    assert await handle.load(connector.deeds, "T-1") == "Plot 1"
    assert await handle.load(connector.deeds, "T-1") == "Plot 1"
    assert guard.calls == 1
    # Another request has batches of its own.
    assert await AgencyHandle(AGENCY, connector, guard).load(connector.deeds, "T-1") == "Plot 1"
    assert guard.calls == 2


async def test_without_a_batch_form_each_distinct_key_is_one_guarded_call() -> None:
    connector, guard = Lands(), CountingGuard()
    handle = AgencyHandle(AGENCY, connector, guard)

    found = await loaded(handle, connector.deed, ["T-1", "T-2", "T-1", SPOILT, "T-404"])

    assert guard.calls == 4
    assert sorted(connector.asked) == sorted(["T-1", "T-2", SPOILT, "T-404"])
    assert found[:3] == ["Plot 1", "Plot 2", "Plot 1"]
    assert isinstance(found[3], AgencyBadResponse)
    assert found[4] is None


async def test_a_failing_batch_call_is_the_error_of_each_of_its_keys() -> None:
    connector = Lands()

    async def down(agency_id: str, method: Any, *args: Any) -> Any:
        raise NotFound("the registry is closed for stock-taking", agency=agency_id)

    handle = AgencyHandle(AGENCY, connector, down)
    found = await loaded(handle, connector.deeds, ["T-1", "T-2"])
    assert [type(error) for error in found] == [NotFound, NotFound]
    assert all(isinstance(e, HubError) and e.agency == "lands" for e in found)


async def test_a_batch_form_that_answers_anything_but_a_mapping_is_a_connector_bug() -> None:
    connector = Lands()
    handle = AgencyHandle(AGENCY, connector, CountingGuard())
    with pytest.raises(TypeError, match=r"Lands.listed\(\) is marked @batch_lookup .* list"):
        await handle.load(connector.listed, "T-1")


def test_the_lands_connector_honours_the_contract() -> None:
    verify_connector("lands", Lands)


def test_a_batch_form_must_be_a_coroutine_taking_the_keys_first() -> None:
    class Blocking(Connector):
        @batch_lookup
        def deeds(self, numbers: Sequence[str]) -> dict[str, str]:
            return {}

    class Keyless(Connector):
        @batch_lookup
        async def deeds(self, *, office: str) -> dict[str, str]:
            return {}

    with pytest.raises(ConnectorContractError, match=r"deeds\(\) is marked @batch_lookup, so it"):
        verify_connector("blocking", Blocking)
    with pytest.raises(ConnectorContractError, match="first parameter after self must be the"):
        verify_connector("keyless", Keyless)
