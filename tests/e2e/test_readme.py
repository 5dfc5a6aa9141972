"""The README's first query works, as printed, against the hub over the stand-ins."""

from __future__ import annotations

import re
from pathlib import Path

from legacy.running import RunningStandIn
from tests.support.hub import RunningHub

README = Path(__file__).resolve().parents[2] / "README.md"


def graphql_blocks() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_the_first_query_answers_from_every_agency_without_errors(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    (first_query,) = graphql_blocks()
    body = hub.query(first_query)
    assert "errors" not in body, body
    data = body["data"]
    assert data["services"]["totalCount"] > 0
    assert data["revenue"]["taxCompliance"]["status"] == "VALID"
    assert data["police"]["securityAlerts"]
    for listing in ("news", "vacancies", "bids"):
        assert data[listing]["edges"], listing
