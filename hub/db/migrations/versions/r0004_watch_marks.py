"""Watch marks: the version of each agency record the watchers last saw, so that what is
new or changed is told apart across restarts and between hub processes."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_watch_marks"
down_revision: str | None = "0003_participation"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "watch_marks",
        sa.Column("agency", sa.String(64), nullable=False),
        sa.Column("capability", sa.String(20), nullable=False),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("agency", "capability", "record_id", name="pk_watch_marks"),
    )


def downgrade() -> None:
    op.drop_table("watch_marks")
