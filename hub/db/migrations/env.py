"""Alembic's entry point: runs the migrations on the connection :mod:`hub.db.migrate` opened."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError(
        "the hub's migrations run through hub.db.upgrade (or `hub db upgrade`), which "
        "hands them a database connection; the alembic command line is not set up"
    )
context.configure(connection=connection)
with context.begin_transaction():
    context.run_migrations()
