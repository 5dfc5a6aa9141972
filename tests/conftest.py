"""Fixtures every test speaks: the three demo stand-ins and the hub over them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from legacy import StandInOptions
from legacy.running import RunningStandIn, running_standin
from tests.support.hub import RunningHub, running_hub
from tests.support.keys import HubKeys, make_hub_keys


@pytest.fixture(scope="session")
def hub_keys(tmp_path_factory: pytest.TempPathFactory) -> HubKeys:
    """The hub's assertion key pair for the session: the private key signs the hub's
    assertions (``assertion_key_file``), the public one is what the stand-ins trust."""
    return make_hub_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def standins(
    tmp_path_factory: pytest.TempPathFactory, hub_keys: HubKeys
) -> Iterator[dict[str, RunningStandIn]]:
    """The three demo stand-ins on loopback (police on an SQLite file), for the session;
    they trust the assertions of ``hub_keys``."""
    police_db = tmp_path_factory.mktemp("police") / "police.db"
    police = StandInOptions(database_url=f"sqlite+aiosqlite:///{police_db}")
    with (
        running_standin("revenue", StandInOptions(hub_public_key=hub_keys.public_pem)) as revenue,
        running_standin(
            "immigration", StandInOptions(hub_public_key=hub_keys.public_pem)
        ) as immigration,
        running_standin("police", police) as police_standin,
    ):
        yield {"revenue": revenue, "immigration": immigration, "police": police_standin}


@pytest.fixture
def healthy(standins: dict[str, RunningStandIn]) -> Iterator[dict[str, RunningStandIn]]:
    """The stand-ins, with every fault knob reset before and after the test."""
    for standin in standins.values():
        standin.reset_faults()
    yield standins
    for standin in standins.values():
        standin.reset_faults()


@pytest.fixture
def faulty(standin: RunningStandIn) -> Iterator[RunningStandIn]:
    """The test module's own ``standin`` fixture, its fault knobs reset after the test."""
    yield standin
    standin.reset_faults()


@pytest.fixture(scope="session")
def hub(
    standins: dict[str, RunningStandIn],
    tmp_path_factory: pytest.TempPathFactory,
    hub_keys: HubKeys,
) -> Iterator[RunningHub]:
    """The hub over the three stand-ins, for the session, signing with ``hub_keys``.

    Tests share it while setting the stand-ins' fault knobs, so it neither caches nor
    opens its breakers: a cached answer or an open breaker left by one test would
    change the next. The cache and the breaker have their own tests, each with its
    own hub.
    """
    live = {
        "breaker": {"failure_threshold": 1_000_000},
        "cache_ttl": {"services": 0, "news": 0, "vacancies": 0, "bids": 0},
    }
    overrides = dict.fromkeys(standins, live)
    directory = tmp_path_factory.mktemp("hub")
    with running_hub(
        directory, standins, overrides, assertion_key_file=hub_keys.private_file
    ) as running:
        yield running
