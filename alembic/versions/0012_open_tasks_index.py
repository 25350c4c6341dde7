"""an index of each user's open tasks

ix_task_user_open: the open-task quota counts a user's open tasks on every create, reopen and
restore; with this partial index PostgreSQL counts from the index alone (no table rows read),
and the index holds only open, live tasks.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_task_user_open",
        "task",
        ["user_id"],
        sqlite_where=sa.text("completed IS 0 AND deleted_at IS NULL"),
        postgresql_where=sa.text("completed IS false AND deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_task_user_open", table_name="task")
