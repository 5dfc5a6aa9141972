"""The ``hub`` command: each subcommand runs and prints what it claims."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx
import yaml

from legacy.running import DEMO_FILE, RunningStandIn, agencies_file
from tests.support.processes import (
    DEMO_SECRETS,
    free_ports,
    hub_command,
    refuses_connections,
    start_hub_command,
    wait_for,
)

DEMO_ENV = {**DEMO_SECRETS, "HUB_AGENCIES_FILE": str(DEMO_FILE)}


def test_schema_prints_the_sdl(tmp_path: Path) -> None:
    result = hub_command("schema", env=DEMO_ENV, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "type Query {" in result.stdout
    assert "type Mutation {" in result.stdout
    assert "revenue: RevenueQuery @cost(weight: 10)\n" in result.stdout
    assert "type Service implements AgencyRecord & Node" in result.stdout


def test_agencies_prints_a_table_with_health(
    tmp_path: Path, healthy: dict[str, RunningStandIn]
) -> None:
    healthy["police"].set_faults(down=True)
    path = agencies_file(tmp_path / "agencies.yaml", healthy)
    result = hub_command("agencies", env={"HUB_AGENCIES_FILE": str(path)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "CONNECTOR", "CAPABILITIES", "HEALTH"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {"revenue", "immigration", "police", "hub_office"}
    assert "Revenue Authority (RA)" in rows["revenue"]
    assert "bids health news schema services tickets vacancies" in rows["revenue"]
    assert " UP " in rows["revenue"]
    assert " UP " in rows["immigration"]
    assert " DOWN " in rows["police"]


def test_a_broken_agencies_file_stops_start_up_with_exit_2(tmp_path: Path) -> None:
    data = yaml.safe_load(DEMO_FILE.read_text())
    data["agencies"][1]["timeout"] = -1
    path = tmp_path / "agencies.yaml"
    path.write_text(yaml.safe_dump(data))
    result = hub_command("agencies", "--no-probe", env={**DEMO_ENV, "HUB_AGENCIES_FILE": str(path)})
    assert result.returncode == 2
    assert "The hub cannot start; fix these problems first:" in result.stderr
    assert "agencies[1] (immigration).timeout: must be greater than 0, got -1" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_secret_names_the_variable(tmp_path: Path) -> None:
    env = {k: v for k, v in DEMO_ENV.items() if k != "IMMIGRATION_API_KEY"}
    result = hub_command("schema", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "environment variable IMMIGRATION_API_KEY is not set" in result.stderr


def test_legacy_runs_one_stand_in_alone(tmp_path: Path) -> None:
    port = free_ports(1)
    process = start_hub_command("legacy", "revenue", "--port", str(port), cwd=tmp_path)
    try:
        wait_for(f"http://127.0.0.1:{port}/_faults", process)
        wsdl = httpx.get(f"http://127.0.0.1:{port}/soap?wsdl")
        assert wsdl.status_code == 200
        assert "GetTaxComplianceStatus" in wsdl.text
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_demo_serves_real_data_from_all_three_agencies_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    hub_port, legacy_base = free_ports(1), free_ports(3)
    process = start_hub_command(
        "demo",
        "--port",
        str(hub_port),
        "--legacy-port-base",
        str(legacy_base),
        env=DEMO_ENV,
        cwd=tmp_path,
    )
    try:
        wait_for(f"http://127.0.0.1:{hub_port}/healthz", process)
        query = """{
          services(first: 100) { edges { node { agency { key } } } }
          news(first: 100) { edges { node { agency { key } } } }
          vacancies(first: 100) { edges { node { agency { key } } } }
          bids(first: 100) { edges { node { agency { key } } } }
        }"""
        body = httpx.post(
            f"http://127.0.0.1:{hub_port}/graphql", json={"query": query}, timeout=30
        ).json()
        assert "errors" not in body, body
        agencies = {
            edge["node"]["agency"]["key"]
            for listing in body["data"].values()
            for edge in listing["edges"]
        }
        assert agencies == {"revenue", "immigration", "police"}
    finally:
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "GraphiQL at http://127.0.0.1:" in output
    assert all(
        refuses_connections(port) for port in (hub_port, *range(legacy_base, legacy_base + 3))
    )


def test_serve_with_several_workers_needs_shared_events(tmp_path: Path) -> None:
    result = hub_command("serve", "--workers", "2", env=DEMO_ENV, cwd=tmp_path)
    assert result.returncode == 2
    assert "needs events shared between the processes" in result.stderr
    assert "HUB_EVENTS_URL" in result.stderr


def test_cache_purge_refuses_a_memory_cache_it_cannot_reach(tmp_path: Path) -> None:
    result = hub_command("cache", "purge", "revenue", env=DEMO_ENV, cwd=tmp_path)
    assert result.returncode == 2
    assert "purgeAgencyCache" in result.stderr
