"""Run the ``hub`` command as a real process, and find free loopback ports for it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

DEMO_SECRETS = {
    "REVENUE_USERNAME": "hub",
    "REVENUE_PASSWORD": "demo-revenue-password",
    "IMMIGRATION_API_KEY": "demo-immigration-key",
}


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive loopback ports that are free right now."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = int(probe.getsockname()[1])
        if base + count < 65535 and all(_free(base + i) for i in range(count)):
            return base
    raise RuntimeError(f"found no {count} consecutive free ports")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


HERMETIC_PREFIXES = ("HUB_", "REVENUE_", "IMMIGRATION_", "POLICE_")


def _environment(env: Mapping[str, str] | None) -> dict[str, str]:
    """This process's environment without the hub's own variables, plus ``env``."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(HERMETIC_PREFIXES)}
    return {**base, **(env or {})}


def hub_command(
    *args: str, env: Mapping[str, str] | None = None, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``hub ARGS`` to completion and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "hub", *args],
        env=_environment(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_hub_command(
    *args: str, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> subprocess.Popen[str]:
    """Start ``hub ARGS`` in its own process group (so a test can send it Ctrl-C)."""
    return subprocess.Popen(
        [sys.executable, "-m", "hub", *args],
        env=_environment(env),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def wait_for(url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    """Wait until ``url`` answers 200, failing early if ``process`` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"the process exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def refuses_connections(port: int) -> bool:
    """Whether nothing listens on the loopback ``port``."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != 0
