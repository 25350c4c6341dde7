"""browser sessions: a hashed random key per signed-in browser

The UI no longer keeps a bearer token in the server's state: a browser holds a random key in
localStorage and the session row keeps only its SHA-256.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "browser_key_hash",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=True,
            )
        )
        batch_op.create_unique_constraint(
            "uq_user_session_browser_key_hash", ["browser_key_hash"]
        )


def downgrade() -> None:
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_constraint("uq_user_session_browser_key_hash", type_="unique")
        batch_op.drop_column("browser_key_hash")
