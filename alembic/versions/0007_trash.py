"""task: the trash (deleted_at), and job_run: the lease of periodic jobs across workers

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRASHED = "deleted_at IS NOT NULL"


def upgrade() -> None:
    op.create_table(
        "job_run",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("last_run", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "ix_task_user_deleted_at",
            ["user_id", "deleted_at"],
            unique=False,
            sqlite_where=sa.text(_TRASHED),
            postgresql_where=sa.text(_TRASHED),
        )
        batch_op.create_index(
            "ix_task_deleted_at",
            ["deleted_at"],
            unique=False,
            sqlite_where=sa.text(_TRASHED),
            postgresql_where=sa.text(_TRASHED),
        )


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_deleted_at")
        batch_op.drop_index("ix_task_user_deleted_at")
        batch_op.drop_column("deleted_at")
    op.drop_table("job_run")
