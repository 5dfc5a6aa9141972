"""Build and serve stand-ins: in the foreground (``hub legacy NAME``) or in a thread (tests)."""

from __future__ import annotations

import importlib
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp

from legacy.faults import Faults


@dataclass
class StandInOptions:
    """Start-up options of a stand-in; each uses the ones that concern its system.

    ``today`` anchors the seed data's dates (defaults to the real today), so that
    vacancies and tenders are open around the day the stand-in starts.
    ``hub_public_key`` is the PEM of the hub's EC P-256 public key, which checks the
    assertions (:mod:`legacy.assertions`) that requests for personal data carry;
    without it, the HTTP stand-ins refuse every request for personal data.
    """

    faults: Faults = field(default_factory=Faults)
    today: date | None = None
    api_key: str = "demo-immigration-key"
    username: str = "hub"
    password: str = "demo-revenue-password"
    database_url: str = "sqlite+aiosqlite:///var/legacy/police.db"
    proxy_port: int = 0
    hub_public_key: bytes | None = None


def create_standin(name: str, options: StandInOptions | None = None) -> ASGIApp:
    """The ASGI application of the stand-in called ``name``."""
    from legacy import STANDINS

    if name not in STANDINS:
        raise ValueError(f"unknown stand-in {name!r}; known: {', '.join(STANDINS)}")
    module = importlib.import_module(f"legacy.{name}")
    app: ASGIApp = module.create_app(options or StandInOptions())
    return app


class BackgroundServer:
    """Serves an ASGI app with uvicorn on loopback from a background thread.

    Use as a context manager; ``url`` is known once it has started. ``port=0`` picks
    a free port.
    """

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1", port: int = 0) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self.host = host
        self.port = port

    @property
    def url(self) -> str:
        """The server's base URL, without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        """Start serving and wait until the server accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server on {self.host}:{self.port} did not start")
            time.sleep(0.01)
        socket = self._server.servers[0].sockets[0]
        self.port = socket.getsockname()[1]
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the server to finish and wait for its thread."""
        self._server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
