"""project: a user's lists of tasks; task.project_id (NULL: the Inbox) and task.position

task.position is the owner's manual order, with gaps of 1024 so a move writes one row.
Existing tasks get positions in the order they were created (oldest first), per user; every
existing task is in the Inbox.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_POSITION_STEP = 1024


def upgrade() -> None:
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column(
            "name_key", sqlmodel.sql.sqltypes.AutoString(length=180), nullable=False
        ),
        sa.Column("color", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id", "name_key", name="uq_project_owner_name_key"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_project_owner_position", "project", ["owner_id", "position"], unique=False
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("position", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_foreign_key(
            "fk_task_project_id_project",
            "project",
            ["project_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            "ix_task_user_position", ["user_id", "position"], unique=False
        )
        batch_op.create_index(
            "ix_task_project_completed", ["project_id", "completed"], unique=False
        )
    # Each user's tasks in the order they were created, 1024 apart.
    op.execute(
        sa.text(
            "UPDATE task SET position = (SELECT ranked.place FROM (SELECT id, "
            "row_number() OVER (PARTITION BY user_id ORDER BY created_at, id) AS place "
            "FROM task) AS ranked WHERE ranked.id = task.id) * :step"
        ).bindparams(step=_POSITION_STEP)
    )


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_project_completed")
        batch_op.drop_index("ix_task_user_position")
        batch_op.drop_constraint("fk_task_project_id_project", type_="foreignkey")
        batch_op.drop_column("position")
        batch_op.drop_column("project_id")
    op.drop_index("ix_project_owner_position", table_name="project")
    op.drop_table("project")
