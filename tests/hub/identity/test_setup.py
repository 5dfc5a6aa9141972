"""What identity settings a hub refuses to start with, and `hub token`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hub.agencies import ConfigError
from hub.identity.assertion import generate_key_file
from hub.identity.setup import check_identity_settings, token_verifier
from hub.identity.tokens import DEVELOPMENT_SECRET
from hub.settings import Settings
from tests.support.processes import hub_command


def production(tmp_path: Path, **overrides: object) -> Settings:
    key = tmp_path / "assertion.pem"
    if not key.exists():
        generate_key_file(key)
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": []}))
    values: dict[str, object] = {
        "environment": "production",
        "jwks": str(jwks),
        "assertion_key_file": key,
        **overrides,
    }
    return Settings.model_validate(values)


def problems(settings: Settings) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        check_identity_settings(settings)
    return caught.value.problems


def test_a_complete_production_set_up_passes(tmp_path: Path) -> None:
    check_identity_settings(production(tmp_path))


def test_production_refuses_the_development_secret(tmp_path: Path) -> None:
    (problem,) = problems(production(tmp_path, token_secret=DEVELOPMENT_SECRET))
    assert "development secret" in problem


def test_production_refuses_any_hs256_secret(tmp_path: Path) -> None:
    (problem,) = problems(production(tmp_path, token_secret="x" * 40))
    assert "accepts no HS256" in problem


def test_production_needs_a_key_set_and_an_assertion_key(tmp_path: Path) -> None:
    found = problems(production(tmp_path, jwks=None, assertion_key_file=tmp_path / "none.pem"))
    assert len(found) == 2
    assert "HUB_JWKS is not set" in found[0]
    assert "HUB_ASSERTION_KEY_FILE" in found[1]


def test_development_refuses_a_short_secret() -> None:
    (problem,) = problems(Settings(token_secret="short"))
    assert "at least 32" in problem


def test_development_verifies_with_the_development_secret_by_default() -> None:
    verifier = token_verifier(Settings())
    assert verifier.issuer == "citizen-hub"


def test_hub_serve_in_production_with_the_development_secret_does_not_start(
    tmp_path: Path,
) -> None:
    result = hub_command(
        "serve",
        "--port",
        "0",
        env={"HUB_ENVIRONMENT": "production", "HUB_TOKEN_SECRET": DEVELOPMENT_SECRET},
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "development secret" in result.stderr
    assert "Traceback" not in result.stderr


def test_hub_token_mints_a_token_that_the_hub_accepts(tmp_path: Path) -> None:
    result = hub_command("token", "--role", "resolver", "--sub", "o7", "--agency", "police")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert token.count(".") == 2


@pytest.mark.parametrize(
    ("arguments", "env", "message"),
    [
        (["--role", "admin", "--sub", "x"], {"HUB_ENVIRONMENT": "production"}, "development"),
        (["--role", "resolver", "--sub", "x"], {}, "needs --agency"),
        (["--role", "citizen", "--sub", "x", "--minutes", "0"], {}, "greater than 0"),
    ],
)
def test_hub_token_refuses(arguments: list[str], env: dict[str, str], message: str) -> None:
    result = hub_command("token", *arguments, env=env)
    assert result.returncode == 2
    assert message in result.stderr
