"""The hub's own database: engine, tables' metadata, and migrations.

``create_engine(url)`` opens it (``HUB_DATABASE_URL``: an SQLite file or PostgreSQL);
``upgrade(url)`` brings its schema to this code's newest revision. Tables join
:data:`metadata`, as Core ``Table`` objects or as ORM models derived from :class:`Base`.
"""

from __future__ import annotations

from hub.db.engine import ACCEPTED_FORMS, create_engine, is_sqlite
from hub.db.metadata import NAMING_CONVENTION, Base, metadata
from hub.db.migrate import current_revision, head_revision, upgrade
from hub.db.types import UtcDateTime, as_utc

__all__ = [
    "ACCEPTED_FORMS",
    "NAMING_CONVENTION",
    "Base",
    "UtcDateTime",
    "as_utc",
    "create_engine",
    "current_revision",
    "head_revision",
    "is_sqlite",
    "metadata",
    "upgrade",
]
