"""Stand-in of the National Police Service's Occurrence Book: a relational database.

``create_app(options)`` returns the control app: its start-up creates and seeds the
database at ``options.database_url`` (SQLite by default, or PostgreSQL), ``GET /``
says which URL connectors should use, and ``/_faults`` holds the fault knobs. On a
network database the knobs act in a TCP proxy in front of it; on SQLite ``down``
locks the file.

Tickets the Citizen Hub files are entries of ``ob_register`` carrying the hub's ticket
id; :func:`advance` moves an entry along as the station's staff do, and
:func:`issue_alert` issues a security alert as the duty officer does.
"""

from __future__ import annotations

from legacy.police.app import SYSTEM_NAME, create_app
from legacy.police.backends import Backend, NetworkBackend, SqliteBackend, backend_for
from legacy.police.lock import SqliteLock
from legacy.police.occurrences import ob_number, occurrence_rows
from legacy.police.proxy import FaultyProxy
from legacy.police.schema import metadata
from legacy.police.seed import prepare_database
from legacy.police.staff import ALERT_LEVELS, STATUS_WORDS, advance, issue_alert

__all__ = [
    "ALERT_LEVELS",
    "STATUS_WORDS",
    "SYSTEM_NAME",
    "Backend",
    "FaultyProxy",
    "NetworkBackend",
    "SqliteBackend",
    "SqliteLock",
    "advance",
    "backend_for",
    "create_app",
    "issue_alert",
    "metadata",
    "ob_number",
    "occurrence_rows",
    "prepare_database",
]
