"""Logging set-up for the hub's processes."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str) -> None:
    """Write log lines at ``level`` and above to standard error."""
    logging.basicConfig(level=level, format=FORMAT)
    logging.getLogger("hub").setLevel(level)


__all__ = ["configure_logging"]
