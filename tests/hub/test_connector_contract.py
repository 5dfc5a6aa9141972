"""verify_connector: a connector that breaks the contract is refused when it loads."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel

from hub.agencies import installed_connectors
from hub.connector import (
    Connector,
    ConnectorContractError,
    Health,
    NewsItem,
    NewsQuery,
    Service,
    ServiceQuery,
    verify_connector,
)


def refusal(cls: type[Any]) -> str:
    with pytest.raises(ConnectorContractError) as caught:
        verify_connector("sample", cls)
    return str(caught.value)


def test_every_installed_connector_honours_the_contract() -> None:
    connectors = installed_connectors()
    assert set(connectors) == {"hub_office", "immigration", "police", "revenue"}
    for key, cls in connectors.items():
        verify_connector(key, cls)


def test_a_well_formed_connector_passes() -> None:
    class Good(Connector):
        capabilities = frozenset({"services"})

        async def services(self, query: ServiceQuery) -> list[Service]:
            return []

    verify_connector("good", Good)


def test_an_unknown_capability_is_named_with_the_known_ones() -> None:
    class Weather(Connector):
        capabilities: ClassVar[frozenset[Any]] = frozenset({"weather"})

    message = refusal(Weather)
    assert message.startswith("connector 'sample' (")
    known = "known capabilities are alerts, bids, health, news"
    assert f"unknown capabilities weather; {known}" in message


def test_a_declared_capability_without_its_method_is_refused() -> None:
    class Lazy(Connector):
        capabilities = frozenset({"news"})

    assert "declares 'news' but does not implement news()" in refusal(Lazy)


def test_a_method_without_its_capability_is_refused() -> None:
    class Undeclared(Connector):
        capabilities = frozenset()

        async def news(self, query: NewsQuery) -> list[NewsItem]:
            return []

    assert "implements news() but does not declare 'news'" in refusal(Undeclared)


def test_a_method_with_the_wrong_signature_is_refused() -> None:
    class Wrong(Connector):
        capabilities = frozenset({"services"})

        async def services(self, query: ServiceQuery, page: int) -> list[Service]:
            return []

    assert re.search(
        r"expected services\(self, query\), got services\(self, .*page", refusal(Wrong)
    )


def test_a_blocking_method_is_refused() -> None:
    class Blocking(Connector):
        capabilities = frozenset({"health"})

        def health(self) -> Health:  # type: ignore[override]
            raise AssertionError

    assert "health() must be 'async def health(self)'" in refusal(Blocking)


def test_a_class_that_is_not_a_connector_is_refused() -> None:
    class Stranger:
        pass

    assert "must be a subclass of hub.connector.Connector" in refusal(Stranger)


def test_settings_must_be_a_pydantic_model() -> None:
    class BadSettings(Connector):
        settings_model: ClassVar[Any] = dict

    assert "settings_model must be a pydantic BaseModel" in refusal(BadSettings)
    assert issubclass(Connector.settings_model, BaseModel)
