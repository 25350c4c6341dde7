"""reminder delivery: why a reminder was cancelled, and when its owner saw it fire

reminder.cancel_reason: set with status "cancelled" (completed, no_due_date, passed, trashed),
so reopening a task or moving its date back brings back only what those changes cancelled.
reminder.seen_at: when the owner opened the bell after the reminder fired (unread until then).
Existing rows get NULL in both: none of them has been delivered yet.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 20:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cancel_reason", sa.String(length=20), nullable=True)
        )
        batch_op.add_column(
            sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_column("seen_at")
        batch_op.drop_column("cancel_reason")
