"""``hub db``: the hub's own database (``HUB_DATABASE_URL``)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from hub.db import current_revision, head_revision, upgrade
from hub.settings import Settings


def register(commands: Any) -> None:
    """Add ``hub db upgrade`` and ``hub db revision`` to the sub-command parsers."""
    db = commands.add_parser("db", help="manage the hub's own database (HUB_DATABASE_URL)")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    up = db_commands.add_parser(
        "upgrade", help="bring the database's schema to this hub's newest revision"
    )
    up.set_defaults(run=run_upgrade)
    revision = db_commands.add_parser("revision", help="print the database's revision")
    revision.set_defaults(run=run_revision)


def run_upgrade(args: argparse.Namespace) -> int:
    """Upgrade the database; a no-op when it is current."""
    url = Settings().database_url
    before = asyncio.run(current_revision(url))
    try:
        asyncio.run(upgrade(url))
    except ValueError as exc:
        print(f"hub db upgrade: {exc}", file=sys.stderr)
        return 2
    head = asyncio.run(head_revision())
    if before == head:
        print(f"the database is already at the newest revision, {head}")
    else:
        print(f"upgraded the database from {before or 'empty'} to {head}")
    return 0


def run_revision(args: argparse.Namespace) -> int:
    """Print where the database stands against this hub's newest revision."""
    url = Settings().database_url
    current, head = asyncio.run(current_revision(url)), asyncio.run(head_revision())
    state = "current" if current == head else f"behind: run 'hub db upgrade' to reach {head}"
    print(f"{current or 'empty'} ({state})")
    return 0 if current == head else 1


__all__ = ["register", "run_revision", "run_upgrade"]
