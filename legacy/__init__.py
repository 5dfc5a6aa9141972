"""Runnable stand-ins of the agencies' legacy systems, with seed data and fault knobs.

Each stand-in speaks its system's real protocol on loopback: ``revenue`` is a SOAP 1.1
service, ``immigration`` a REST/JSON API, ``police`` a relational database. They
exist for the demo, the tests and the benchmarks; the hub never imports them.

Every stand-in is an ASGI application built by ``create_app(options)`` in its
package and serves the fault knobs of :mod:`legacy.faults` at ``/_faults``.
"""

from __future__ import annotations

from legacy.faults import Faults, FaultsMiddleware, faults_routes
from legacy.serving import BackgroundServer, StandInOptions, create_standin

STANDINS = ("immigration", "police", "revenue")
"""The names of the stand-ins this package provides."""

__all__ = [
    "STANDINS",
    "BackgroundServer",
    "Faults",
    "FaultsMiddleware",
    "StandInOptions",
    "create_standin",
    "faults_routes",
]
