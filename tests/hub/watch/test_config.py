"""The ``watch:`` block of the agencies file, checked when the file is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from hub.agencies import ConfigError, load_configuration
from legacy.running import DEMO_FILE
from tests.support.processes import DEMO_SECRETS


def load_with(tmp_path: Path, watches: dict[str, Any]) -> list[str]:
    """Load the demo file with each agency's ``watch:`` replaced by ``watches[id]``;
    the problems reported, or ``[]``."""
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    for agency in data["agencies"]:
        if agency["id"] in watches:
            agency["watch"] = watches[agency["id"]]
    path = tmp_path / "agencies.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        load_configuration(path, environ=DEMO_SECRETS, env_file=tmp_path / "no.env")
    except ConfigError as error:
        return [problem.removeprefix(f"{path}: ") for problem in error.problems]
    return []


def test_the_demo_agencies_watch_what_their_connectors_serve(tmp_path: Path) -> None:
    configuration = load_configuration(DEMO_FILE, environ=DEMO_SECRETS, env_file=tmp_path / "x")
    watches = {d.id: d.config.watch.intervals() for d in configuration.definitions}
    assert watches == {
        "revenue": {"vacancies": 300, "bids": 300, "news": 120},
        "immigration": {"vacancies": 300, "news": 120},
        "police": {"vacancies": 300, "bids": 300, "news": 120, "alerts": 30},
        "hub_office": {},
    }


def test_a_capability_the_connector_does_not_serve_is_refused_naming_what_it_serves(
    tmp_path: Path,
) -> None:
    problems = load_with(
        tmp_path, {"immigration": {"bids": 60, "alerts": 60}, "hub_office": {"news": 5}}
    )
    assert problems == [
        "agencies[1] (immigration).watch.bids: the 'immigration' connector does not serve "
        "'bids', so it cannot be watched (it serves news, vacancies); remove the key",
        "agencies[1] (immigration).watch.alerts: the 'immigration' connector does not serve "
        "'alerts', so it cannot be watched (it serves news, vacancies); remove the key",
        "agencies[3] (hub_office).watch.news: the 'hub_office' connector does not serve "
        "'news', so it cannot be watched (it serves none that can be); remove the key",
    ]


@pytest.mark.parametrize(
    ("watch", "problem"),
    [
        ({"vacancies": 0.5}, "agencies[2] (police).watch.vacancies: must be at least 1, got 0.5"),
        ({"alerts": -30}, "agencies[2] (police).watch.alerts: must be at least 1, got -30"),
        (
            {"services": 60},
            "agencies[2] (police).watch.services: is not a known key (known keys: alerts, bids, "
            "news, vacancies)",
        ),
        (
            {"alert": 60},
            "agencies[2] (police).watch.alert: is not a known key; did you mean 'alerts'?",
        ),
        (
            {"news": "hourly"},
            "agencies[2] (police).watch.news: input should be a valid number, unable to parse "
            "string as a number, got 'hourly'",
        ),
    ],
)
def test_a_bad_interval_or_key_is_refused(
    tmp_path: Path, watch: dict[str, Any], problem: str
) -> None:
    assert load_with(tmp_path, {"police": watch}) == [problem]


def test_watch_may_be_left_out(tmp_path: Path) -> None:
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    for agency in data["agencies"]:
        agency.pop("watch", None)
    path = tmp_path / "agencies.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    configuration = load_configuration(path, environ=DEMO_SECRETS, env_file=tmp_path / "no.env")
    assert all(d.config.watch.intervals() == {} for d in configuration.definitions)
