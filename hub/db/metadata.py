"""The one ``MetaData`` every table of the hub's database belongs to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from hub.db.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint and index names derived from their table and columns, so a migration
can name what it later drops or alters."""

metadata = MetaData(naming_convention=NAMING_CONVENTION)
"""The hub's tables: Core ``Table`` objects and ORM models alike."""


class Base(DeclarativeBase):
    """The base of the hub's ORM models; their tables join :data:`metadata`.

    A ``Mapped[datetime]`` column is a :class:`~hub.db.types.UtcDateTime`.
    """

    metadata = metadata
    type_annotation_map: dict[Any, Any] = {datetime: UtcDateTime}  # noqa: RUF012


__all__ = ["NAMING_CONVENTION", "Base", "metadata"]
