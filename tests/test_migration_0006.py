"""Migration 0006: existing tasks get version 1, and the downgrade keeps them."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from tests.test_migrations import empty_database_url  # noqa: F401  (the fixture)
from todo_app.db import get_engine
from todo_app.migrations import migrate_to, upgrade_to_head

_THEN = datetime(2026, 11, 1, tzinfo=UTC)


def _task_at_0005(url: str) -> None:
    migrate_to("0005", url)
    with get_engine(url).begin() as connection:
        connection.execute(
            sa.text(
                'INSERT INTO "user" (id, email, password_hash, timezone, created_at) '
                "VALUES (1, 'ada@example.com', 'x', 'UTC', :then)"
            ),
            {"then": _THEN},
        )
        connection.execute(
            sa.text(
                "INSERT INTO task (id, user_id, title, description, completed, priority, "
                "recurrence, next_occurrence_created, created_at, updated_at) "
                "VALUES (7, 1, 'Old', '', false, 'none', 'none', false, :then, :then)"
            ),
            {"then": _THEN},
        )


def _versions(url: str) -> list[tuple[int, int]]:
    with get_engine(url).connect() as connection:
        rows = connection.execute(sa.text("SELECT id, version FROM task"))
        return [tuple(row) for row in rows]


def test_migration_0006_gives_existing_tasks_version_1(
    empty_database_url: str,  # noqa: F811
) -> None:
    _task_at_0005(empty_database_url)
    upgrade_to_head(empty_database_url)
    assert _versions(empty_database_url) == [(7, 1)]


def test_downgrade_0006_keeps_tasks(empty_database_url: str) -> None:  # noqa: F811
    _task_at_0005(empty_database_url)
    upgrade_to_head(empty_database_url)
    migrate_to("0005", empty_database_url)
    with get_engine(empty_database_url).connect() as connection:
        titles = connection.execute(sa.text("SELECT title FROM task")).all()
        tables = sa.inspect(connection).get_table_names()
    assert [tuple(row) for row in titles] == [("Old",)]
    assert "access_token" not in tables
