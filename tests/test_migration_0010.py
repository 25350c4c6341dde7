"""Migration 0010: existing tasks are in the Inbox, in their created order; the downgrade
keeps them."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from tests.test_migrations import empty_database_url  # noqa: F401  (the fixture)
from todo_app.db import get_engine
from todo_app.migrations import migrate_to, upgrade_to_head

_THEN = datetime(2026, 11, 1, tzinfo=UTC)
_LATER = datetime(2026, 11, 2, tzinfo=UTC)


def _tasks_at_0009(url: str) -> None:
    migrate_to("0009", url)
    with get_engine(url).begin() as connection:
        connection.execute(
            sa.text(
                'INSERT INTO "user" (id, email, password_hash, timezone, created_at) '
                "VALUES (1, 'ada@example.com', 'x', 'UTC', :then), "
                "(2, 'bob@example.com', 'x', 'UTC', :then)"
            ),
            {"then": _THEN},
        )
        # Ids do not follow creation: the position must.
        connection.execute(
            sa.text(
                "INSERT INTO task (id, user_id, title, description, completed, priority, "
                "recurrence, next_occurrence_created, created_at, updated_at) VALUES "
                "(7, 1, 'Second', '', false, 'none', 'none', false, :later, :later), "
                "(8, 1, 'First', '', false, 'none', 'none', false, :then, :then), "
                "(9, 2, 'Bob', '', false, 'none', 'none', false, :later, :later)"
            ),
            {"then": _THEN, "later": _LATER},
        )


def test_migration_0010_orders_existing_tasks_by_creation_per_user(
    empty_database_url: str,  # noqa: F811
) -> None:
    _tasks_at_0009(empty_database_url)
    upgrade_to_head(empty_database_url)
    with get_engine(empty_database_url).connect() as connection:
        rows = connection.execute(
            sa.text("SELECT id, project_id, position FROM task ORDER BY id")
        ).all()
    assert [tuple(row) for row in rows] == [
        (7, None, 2048),
        (8, None, 1024),
        (9, None, 1024),
    ]


def test_downgrade_0010_keeps_tasks(empty_database_url: str) -> None:  # noqa: F811
    _tasks_at_0009(empty_database_url)
    upgrade_to_head(empty_database_url)
    migrate_to("0009", empty_database_url)
    with get_engine(empty_database_url).connect() as connection:
        titles = connection.execute(sa.text("SELECT title FROM task ORDER BY id")).all()
        tables = sa.inspect(connection).get_table_names()
    assert [tuple(row) for row in titles] == [("Second",), ("First",), ("Bob",)]
    assert "project" not in tables
