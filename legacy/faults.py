"""Fault knobs shared by the stand-ins: added latency, an error rate, and down.

Knobs are set at start (``hub legacy NAME --latency 0.2``) and while running through
``GET``/``PUT /_faults`` (JSON ``{"latency": 0.05, "error_rate": 0.5, "down": false}``).
The HTTP stand-ins apply them with :class:`FaultsMiddleware`; the police stand-in,
which is a database, applies them in its TCP proxy.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from legacy.assertions import ASSERTIONS_PATH

FAULTS_PATH = "/_faults"
STATS_PATH = "/_stats"
"""Counts of requests served since start or the last ``DELETE``."""
CONTROL_PATHS = frozenset({FAULTS_PATH, STATS_PATH, ASSERTIONS_PATH})
"""Paths of the test and benchmark controls, which the fault knobs do not touch."""
STAFF_PREFIX = "/_staff/"
"""Where a stand-in lets tests act as the agency's own staff (move a case along); like the
controls, these requests are neither failed by the knobs nor counted."""


def is_control(path: str) -> bool:
    """Whether ``path`` is a control or staff route, outside the system's own traffic."""
    return path in CONTROL_PATHS or path.startswith(STAFF_PREFIX)


FaultsListener = Callable[["Faults"], None]
"""Called with the knobs an update is about to set; raising ``ValueError`` refuses it."""


@dataclass
class Faults:
    """The current fault knobs of one stand-in.

    ``latency`` is added to every answer, in seconds; ``error_rate`` is the share of
    requests (0 to 1) that fail as the real system fails; ``down`` makes every
    request fail as an unavailable system does; ``fail_next`` makes the next that
    many requests fail, then counts down (for tests that need failures exactly; HTTP
    stand-ins only).
    """

    latency: float = 0.0
    error_rate: float = 0.0
    down: bool = False
    fail_next: int = 0

    def __post_init__(self) -> None:
        self._check()
        self._listeners: list[FaultsListener] = []
        self.served = 0
        """Requests that reached the system (not the control routes), failed ones included."""
        self.failed = 0
        """Requests the knobs made fail."""
        self.in_flight = 0
        self.peak_in_flight = 0
        """The most requests the system was serving at once."""

    def add_listener(self, listener: FaultsListener) -> None:
        """Call ``listener`` with the new knobs before each update takes effect.

        A stand-in whose knobs act outside its request path (a lock, a proxy) applies
        them there; a ``ValueError`` from the listener refuses the update, which the
        ``PUT /_faults`` route reports as a 400. Listeners run in the order added.
        """
        self._listeners.append(listener)

    def remove_listener(self, listener: FaultsListener) -> None:
        """Stop calling ``listener``; it is not an error if it was never added."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def update(self, changes: dict[str, object]) -> None:
        """Apply ``changes`` (a subset of the knobs); raise ``ValueError`` if invalid."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown fault knobs {unknown}; known: {sorted(known)}")
        candidate = Faults(**{**asdict(self), **changes})
        for listener in list(self._listeners):
            listener(candidate)
        self.latency, self.error_rate, self.down, self.fail_next = (
            candidate.latency,
            candidate.error_rate,
            candidate.down,
            candidate.fail_next,
        )

    def should_fail(self, rng: Callable[[], float] = random.random) -> bool:
        """Whether this request fails: always when down, then if ``fail_next`` says
        so, else with ``error_rate``."""
        if self.down:
            return True
        if self.fail_next > 0:
            self.fail_next -= 1
            return True
        return self.error_rate > 0 and rng() < self.error_rate

    async def delay(self) -> None:
        """Sleep for the configured latency."""
        if self.latency > 0:
            await asyncio.sleep(self.latency)

    def _check(self) -> None:
        if not isinstance(self.latency, int | float) or self.latency < 0:
            raise ValueError(f"latency must be seconds >= 0, got {self.latency!r}")
        if not isinstance(self.error_rate, int | float) or not 0 <= self.error_rate <= 1:
            raise ValueError(f"error_rate must be between 0 and 1, got {self.error_rate!r}")
        if not isinstance(self.down, bool):
            raise ValueError(f"down must be true or false, got {self.down!r}")
        if type(self.fail_next) is not int or self.fail_next < 0:
            raise ValueError(f"fail_next must be a whole number >= 0, got {self.fail_next!r}")


def faults_routes(faults: Faults, *, with_stats: bool = True) -> list[Route]:
    """Routes that read and change ``faults`` at ``/_faults`` and, ``with_stats``, read
    (``GET``) and reset (``DELETE``) the counts of requests at ``/_stats``: only for a
    system whose requests go through :class:`FaultsMiddleware`."""

    async def read(request: Request) -> Response:
        return JSONResponse(asdict(faults))

    async def change(request: Request) -> Response:
        try:
            changes = json.loads(await request.body())
            if not isinstance(changes, dict):
                raise ValueError("expected a JSON object of knobs")
            faults.update(changes)
        except (ValueError, TypeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(asdict(faults))

    async def stats(request: Request) -> Response:
        counts = {
            "served": faults.served,
            "failed": faults.failed,
            "in_flight": faults.in_flight,
            "peak_in_flight": faults.peak_in_flight,
        }
        return JSONResponse(counts)

    async def reset_stats(request: Request) -> Response:
        faults.served = faults.failed = faults.peak_in_flight = 0
        return Response(status_code=204)

    routes = [
        Route(FAULTS_PATH, read, methods=["GET"]),
        Route(FAULTS_PATH, change, methods=["PUT"]),
    ]
    if with_stats:
        routes += [
            Route(STATS_PATH, stats, methods=["GET"]),
            Route(STATS_PATH, reset_stats, methods=["DELETE"]),
        ]
    return routes


FailureResponder = Callable[[Scope, bool], Response]
"""Builds the response a failing request gets; the flag says whether the system is down."""


class FaultsMiddleware:
    """Applies ``faults`` to every HTTP request except the controls' and the staff's
    (:func:`is_control`).

    ``failure`` builds the response of a failed request in the system's own style
    (a SOAP fault, a JSON error body).
    """

    def __init__(self, app: ASGIApp, faults: Faults, failure: FailureResponder) -> None:
        self.app = app
        self.faults = faults
        self.failure = failure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_control(scope["path"]):
            await self.app(scope, receive, send)
            return
        faults = self.faults
        faults.served += 1
        faults.in_flight += 1
        faults.peak_in_flight = max(faults.peak_in_flight, faults.in_flight)
        try:
            await faults.delay()
            if faults.should_fail():
                faults.failed += 1
                await self.failure(scope, faults.down)(scope, receive, send)
                return
            await self.app(scope, receive, send)
        finally:
            faults.in_flight -= 1
