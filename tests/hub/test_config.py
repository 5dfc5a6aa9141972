"""The agencies file: a bad file stops the hub with one readable line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hub.agencies import ConfigError, load_agencies

DEMO_FILE = Path(__file__).parents[2] / "config" / "agencies.yaml"
DEMO_ENV = {
    "REVENUE_USERNAME": "hub",
    "REVENUE_PASSWORD": "secret-password",
    "IMMIGRATION_API_KEY": "secret-key",
}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "agencies.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def demo_data() -> dict[str, list[dict[str, object]]]:
    data: dict[str, list[dict[str, object]]] = yaml.safe_load(DEMO_FILE.read_text())
    return data


def problems(path: Path, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_agencies(path, environ=DEMO_ENV if environ is None else environ)
    return caught.value.problems


def test_the_demo_file_loads_with_its_connectors_and_secrets() -> None:
    definitions = load_agencies(DEMO_FILE, environ=DEMO_ENV)
    assert [d.id for d in definitions] == ["revenue", "immigration", "police", "hub_office"]
    revenue = definitions[0]
    assert revenue.connector_class.__name__ == "RevenueConnector"
    assert revenue.agency.short_name == "RA"
    settings = revenue.settings.model_dump()
    assert settings["endpoint"].__str__().startswith("http://127.0.0.1:8101/soap")
    assert "secret-password" not in repr(revenue.settings)


def test_a_timeout_below_zero_names_the_agency_and_the_key(tmp_path: Path) -> None:
    data = demo_data()
    data["agencies"][1]["timeout"] = -1
    assert problems(write(tmp_path, data)) == [
        f"{tmp_path / 'agencies.yaml'}: agencies[1] (immigration).timeout: "
        "must be greater than 0, got -1"
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = demo_data()
    data["agencies"][0]["timeout"] = "soon"
    data["agencies"][2]["cache_ttl"] = {"news": -5}
    del data["agencies"][1]["name"]
    found = problems(write(tmp_path, data))
    assert len(found) == 3
    assert any("agencies[0] (revenue).timeout: " in p and "'soon'" in p for p in found)
    assert any("agencies[1] (immigration).name: is required" in p for p in found)
    assert any(
        "agencies[2] (police).cache_ttl.news: must be at least 0, got -5" in p for p in found
    )


def test_an_unknown_connector_lists_the_installed_ones(tmp_path: Path) -> None:
    data = demo_data()
    data["agencies"][0]["connector"] = "revenu"
    (problem,) = problems(write(tmp_path, data))
    assert problem.endswith(
        "agencies[0] (revenue).connector: unknown connector 'revenu'; "
        "installed connectors: hub_office, immigration, police, revenue"
    )


def test_a_missing_environment_secret_names_the_variable(tmp_path: Path) -> None:
    path = write(tmp_path, demo_data())
    environ = {k: v for k, v in DEMO_ENV.items() if k != "IMMIGRATION_API_KEY"}
    (problem,) = problems(path, environ)
    assert "agencies[1] (immigration).settings.api_key" in problem
    assert "environment variable IMMIGRATION_API_KEY is not set" in problem


def test_secrets_are_read_from_the_env_file_when_the_environment_lacks_them(
    tmp_path: Path,
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("IMMIGRATION_API_KEY=from-the-file\n", encoding="utf-8")
    environ = {k: v for k, v in DEMO_ENV.items() if k != "IMMIGRATION_API_KEY"}
    definitions = load_agencies(write(tmp_path, demo_data()), environ=environ, env_file=env_file)
    settings = definitions[1].settings.model_dump()
    assert settings["api_key"].get_secret_value() == "from-the-file"


def test_connector_settings_are_checked_by_the_connector_s_model(tmp_path: Path) -> None:
    data = demo_data()
    settings = data["agencies"][0]["settings"]
    assert isinstance(settings, dict)
    settings["pasword"] = settings.pop("password")
    found = problems(write(tmp_path, data))
    assert any("agencies[0] (revenue).settings.password: is required" in p for p in found)
    assert any(
        "agencies[0] (revenue).settings.pasword: is not a known key; did you mean 'password'?" in p
        for p in found
    )


def test_an_unknown_agency_key_suggests_the_right_one(tmp_path: Path) -> None:
    data = demo_data()
    data["agencies"][2]["timout"] = 3
    (problem,) = problems(write(tmp_path, data))
    assert problem.endswith(
        "agencies[2] (police).timout: is not a known key; did you mean 'timeout'?"
    )


def test_duplicate_and_reserved_ids_are_refused(tmp_path: Path) -> None:
    data = demo_data()
    data["agencies"][1]["id"] = "revenue"
    assert "agency id 'revenue' is declared twice" in problems(write(tmp_path, data))[0]
    data = demo_data()
    data["agencies"][1]["id"] = "services"
    assert "'services' is reserved" in problems(write(tmp_path, data))[0]


def test_a_file_that_is_not_yaml_says_where(tmp_path: Path) -> None:
    path = tmp_path / "agencies.yaml"
    path.write_text("agencies:\n  - id: [unclosed\n", encoding="utf-8")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}: line ")
    assert "not valid YAML" in problem


def test_a_missing_file_says_which_setting_to_change(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path / "nowhere.yaml")
    assert "no such file" in problem
    assert "HUB_AGENCIES_FILE" in problem
