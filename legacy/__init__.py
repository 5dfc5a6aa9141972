"""Runnable stand-ins of the agencies' legacy systems, with seed data and fault knobs.

Each stand-in speaks its system's real protocol on loopback: ``revenue`` is a SOAP 1.1
service, ``immigration`` a REST/JSON API, ``police`` a relational database. They
exist for the demo, the tests and the benchmarks; the hub never imports them.

Every stand-in is an ASGI application built by ``create_app(options)`` in its
package and serves the fault knobs of :mod:`legacy.faults` at ``/_faults``. The HTTP
stand-ins answer personal data only to requests carrying the hub's signed assertion
(:mod:`legacy.assertions`), checked with ``options.hub_public_key``.
"""

from __future__ import annotations

from legacy.assertions import AssertionRefused, AssertionVerifier
from legacy.faults import Faults, FaultsMiddleware, faults_routes
from legacy.serving import BackgroundServer, StandInOptions, create_standin

STANDINS = ("immigration", "police", "revenue")
"""The names of the stand-ins this package provides."""

__all__ = [
    "STANDINS",
    "AssertionRefused",
    "AssertionVerifier",
    "BackgroundServer",
    "Faults",
    "FaultsMiddleware",
    "StandInOptions",
    "create_standin",
    "faults_routes",
]
