"""sessions, throttle events, ids never reused

Tokens name a row of user_session (logout deletes it) instead of a per-user token version.
Failed passwords and sign-ups are counted in throttle_event (replacing login_failure, whose
rows only matter for minutes). On SQLite, user and task get AUTOINCREMENT so that a deleted
account's or task's id is never given out again (PostgreSQL sequences never reuse ids).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _require_sqlite_foreign_keys_off() -> None:
    # Recreating a table on SQLite drops the old one; with foreign keys on, that would cascade
    # into every task (and tag) of every user. todo_app.migrations switches them off first.
    bind = op.get_bind()
    if (
        bind.dialect.name == "sqlite"
        and bind.exec_driver_sql("PRAGMA foreign_keys").scalar()
    ):
        raise RuntimeError(
            "run this migration through todo_app.migrations (make migrate): "
            "SQLite foreign keys must be off while tables are recreated"
        )


def _set_sqlite_autoincrement(table: str, enabled: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        table, recreate="always", table_kwargs={"sqlite_autoincrement": enabled}
    ):
        pass


def upgrade() -> None:
    _require_sqlite_foreign_keys_off()
    op.create_table(
        "user_session",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "user_agent", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column(
            "client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_session_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "throttle_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column(
            "account", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False
        ),
        sa.Column(
            "client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("throttle_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_throttle_event_kind_account_at", ["kind", "account", "at"], unique=False
        )
        batch_op.create_index(
            "ix_throttle_event_kind_client_at", ["kind", "client", "at"], unique=False
        )

    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failure_email_failed_at")
    op.drop_table("login_failure")

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("token_version")
    _set_sqlite_autoincrement("user", True)
    _set_sqlite_autoincrement("task", True)


def downgrade() -> None:
    _require_sqlite_foreign_keys_off()
    _set_sqlite_autoincrement("task", False)
    _set_sqlite_autoincrement("user", False)
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_version", sa.Integer(), nullable=False, server_default="0")
        )

    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False
        ),
        sa.Column(
            "client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index(
            "ix_login_failure_email_failed_at", ["email", "failed_at"], unique=False
        )

    with op.batch_alter_table("throttle_event", schema=None) as batch_op:
        batch_op.drop_index("ix_throttle_event_kind_client_at")
        batch_op.drop_index("ix_throttle_event_kind_account_at")
    op.drop_table("throttle_event")

    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_session_user_id"))
    op.drop_table("user_session")
