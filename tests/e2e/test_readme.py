"""The README's queries work, as printed, against the hub over the stand-ins."""

from __future__ import annotations

import re
from pathlib import Path

from legacy.running import RunningStandIn
from tests.support.hub import RunningHub
from tests.support.processes import hub_command

README = Path(__file__).resolve().parents[2] / "README.md"


def graphql_blocks() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.DOTALL)


def token_command() -> list[str]:
    (line,) = re.findall(r"^\.venv/bin/hub (token .*)$", README.read_text(), flags=re.MULTILINE)
    return line.split()


def test_the_first_query_answers_from_every_agency_without_errors(
    hub: RunningHub, healthy: dict[str, RunningStandIn]
) -> None:
    first_query = graphql_blocks()[0]
    body = hub.query(first_query)
    assert "errors" not in body, body
    data = body["data"]
    assert data["services"]["totalCount"] > 0
    assert data["police"]["securityAlerts"]
    for listing in ("news", "vacancies", "bids"):
        assert data[listing]["edges"], listing


def test_the_citizen_query_answers_with_the_token_the_readme_mints(
    hub: RunningHub, healthy: dict[str, RunningStandIn], tmp_path: Path
) -> None:
    citizen_query = graphql_blocks()[1]
    minted = hub_command(*token_command(), cwd=tmp_path)
    assert minted.returncode == 0, minted.stderr
    token = minted.stdout.strip()
    body = hub.post(citizen_query, headers={"authorization": f"Bearer {token}"}).json()
    assert "errors" not in body, body
    assert body["data"]["revenue"]["taxCompliance"]["status"] == "VALID"
    anonymous = hub.query(citizen_query)
    assert [e["extensions"]["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]
