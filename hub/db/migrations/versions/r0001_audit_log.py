"""The append-only audit log.

The database itself refuses to change or remove its rows: triggers raise on UPDATE
and DELETE (and, on PostgreSQL, TRUNCATE).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_audit_log"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

FILTERED = ("subject", "role", "caller_agency", "field", "object_id", "agency", "outcome")
"""The columns the log is searched by; each gets an index with ``at``."""

REFUSED = "audit_log is append-only: its rows cannot be changed or removed"

POSTGRESQL_UP = [
    f"""
    CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{REFUSED} (% refused)', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()
    """,
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER audit_log_append_only ON audit_log",
    "DROP FUNCTION audit_log_refuse_change()",
]

SQLITE_UP = [
    f"""
    CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log
    BEGIN SELECT RAISE(ABORT, '{REFUSED} ({verb} refused)'); END
    """
    for verb in ("UPDATE", "DELETE")
]
SQLITE_DOWN = ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"]


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.String(), nullable=True),
        sa.Column("subject", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("caller_agency", sa.String(), nullable=True),
        sa.Column("operation", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("object_id", sa.String(), nullable=True),
        sa.Column("agency", sa.String(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("client", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at_id", "audit_log", ["at", "id"])
    for column in FILTERED:
        op.create_index(f"ix_audit_log_{column}_at", "audit_log", [column, "at"])
    for statement in POSTGRESQL_UP if _on_postgresql() else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in POSTGRESQL_DOWN if _on_postgresql() else SQLITE_DOWN:
        op.execute(statement)
    op.drop_table("audit_log")


def _on_postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"
