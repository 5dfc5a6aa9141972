"""``hub demo``: the three demo stand-ins and the hub, started together.

Each stand-in runs in its own process (``hub legacy NAME``), as a real agency system
would; the hub serves in the foreground. One Ctrl-C stops them all. The stand-ins get
the public half of the hub's assertion key (``HUB_ASSERTION_KEY_FILE``, created on
first use in development), so they answer the hub's requests for personal data.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from dotenv import dotenv_values

from hub.identity import development_signer
from hub.settings import Settings
from legacy import StandInOptions

DEFAULT_POLICE_DATABASE = "sqlite+aiosqlite:///var/legacy/police.db"


@dataclass(frozen=True, slots=True)
class DemoStandIn:
    """A demo stand-in: its name, port and the variable that points the hub at it."""

    name: str
    port: int
    variable: str
    url: str


def demo_standins(port_base: int, environ: Mapping[str, str]) -> list[DemoStandIn]:
    """Where the demo runs each stand-in, from ``port_base`` on."""
    police_db = environ.get("POLICE_DATABASE_URL") or DEFAULT_POLICE_DATABASE
    return [
        DemoStandIn("revenue", port_base, "REVENUE_SOAP_URL", f"http://127.0.0.1:{port_base}/soap"),
        DemoStandIn(
            "immigration",
            port_base + 1,
            "IMMIGRATION_API_URL",
            f"http://127.0.0.1:{port_base + 1}/api/v1",
        ),
        DemoStandIn("police", port_base + 2, "POLICE_DATABASE_URL", police_db),
    ]


def environment(env_file: Path) -> dict[str, str]:
    """The process environment over the values of ``env_file``."""
    values = dotenv_values(env_file) if env_file.is_file() else {}
    return {**{k: v for k, v in values.items() if v is not None}, **os.environ}


def standin_options(name: str, environ: Mapping[str, str]) -> StandInOptions:
    """A stand-in's options, with the credentials the hub's configuration uses."""
    options = StandInOptions()
    if name == "revenue":
        options.username = environ.get("REVENUE_USERNAME", options.username)
        options.password = environ.get("REVENUE_PASSWORD", options.password)
    elif name == "immigration":
        options.api_key = environ.get("IMMIGRATION_API_KEY", options.api_key)
    elif name == "police":
        options.database_url = environ.get("POLICE_DATABASE_URL", options.database_url)
    return options


def public_key_file(key_file: Path) -> Path:
    """Write the public half of the hub's assertion key at ``key_file`` (created there on
    first use) next to it, as ``<name>.pub.pem``; return that file's path."""
    signer = development_signer(key_file)
    public = key_file.with_name(f"{key_file.stem}.pub.pem")
    public.write_bytes(signer.public_key_pem())
    return public


@contextmanager
def running_standins(
    standins: list[DemoStandIn],
    environ: Mapping[str, str],
    timeout: float = 30.0,
    *,
    hub_public_key: Path | None = None,
) -> Iterator[None]:
    """Start each stand-in as a ``hub legacy`` process; stop them all on exit.

    ``hub_public_key`` is the PEM file of the public key the stand-ins check the hub's
    assertions with; by default the public half of the key at the hub's
    ``assertion_key_file`` setting (:func:`public_key_file`).
    """
    Path("var/legacy").mkdir(parents=True, exist_ok=True)
    if hub_public_key is None:
        hub_public_key = public_key_file(Settings().assertion_key_file)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for standin in standins:
            command = [
                sys.executable,
                "-m",
                "hub",
                "legacy",
                standin.name,
                "--port",
                str(standin.port),
                "--hub-public-key",
                str(hub_public_key.resolve()),
            ]
            processes.append(subprocess.Popen(command, env=dict(environ)))
        for standin, process in zip(standins, processes, strict=True):
            _wait_until_serving(standin, process, timeout)
        yield
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_serving(
    standin: DemoStandIn, process: subprocess.Popen[bytes], timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    control = f"http://127.0.0.1:{standin.port}/_faults"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the {standin.name} stand-in exited with code {process.returncode}; "
                f"is port {standin.port} free? (hub demo --legacy-port-base N picks others)"
            )
        try:
            if httpx.get(control, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the {standin.name} stand-in did not start within {timeout:g} s")


__all__ = [
    "DemoStandIn",
    "demo_standins",
    "environment",
    "public_key_file",
    "running_standins",
    "standin_options",
]
