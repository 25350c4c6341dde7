"""Migrations: an empty database reaches head, head matches the models exactly, and the data
migrations carry existing rows over."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from tests.databases import drop_database, new_database
from todo_app import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from todo_app.db import get_engine
from todo_app.migrations import alembic_config, migrate_to, upgrade_to_head

TABLES = {
    "user",
    "task",
    "task_tag",
    "user_session",
    "access_token",
    "throttle_event",
    "job_run",
    "calendar_feed",
    "reminder",
    "project",
}


def _backends() -> list[Any]:
    backends: list[Any] = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get("TEST_DATABASE_URL"):
        backends.append(pytest.param("postgresql", id="postgresql"))
    return backends


def _fresh_postgresql() -> Iterator[str]:
    name = f"todo_migtest_{secrets.token_hex(6)}"
    url = new_database(os.environ["TEST_DATABASE_URL"], name)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        drop_database(url)


@pytest.fixture(params=_backends())
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new database with no tables at all, dropped afterwards."""
    if request.param == "postgresql":
        yield from _fresh_postgresql()
        return
    url = f"sqlite:///{tmp_path / 'migrate.db'}"
    yield url
    get_engine(url).dispose()


def _schema_differences(url: str) -> list[Any]:
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))


def _current_revision(url: str) -> str | None:
    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _tables(url: str) -> set[str]:
    return set(sa.inspect(get_engine(url)).get_table_names())


def test_upgrade_to_head_empty_database_reaches_head(empty_database_url: str) -> None:
    upgrade_to_head(empty_database_url)
    assert _current_revision(empty_database_url) == _head()


def test_upgrade_to_head_empty_database_creates_every_table(
    empty_database_url: str,
) -> None:
    upgrade_to_head(empty_database_url)
    assert TABLES | {"alembic_version"} <= _tables(empty_database_url)


def test_upgrade_to_head_schema_matches_the_models(empty_database_url: str) -> None:
    upgrade_to_head(empty_database_url)
    assert _schema_differences(empty_database_url) == []


def test_upgrade_to_head_twice_changes_nothing(empty_database_url: str) -> None:
    upgrade_to_head(empty_database_url)
    upgrade_to_head(empty_database_url)
    assert (
        _current_revision(empty_database_url),
        _schema_differences(empty_database_url),
    ) == (
        _head(),
        [],
    )


def test_upgrade_to_head_from_base_revision_migrates(empty_database_url: str) -> None:
    upgrade_to_head(empty_database_url)
    migrate_to("base", empty_database_url)
    assert (
        _current_revision(empty_database_url),
        _tables(empty_database_url) & TABLES,
    ) == (
        None,
        set(),
    )
    upgrade_to_head(empty_database_url)
    assert (
        _current_revision(empty_database_url),
        _schema_differences(empty_database_url),
    ) == (
        _head(),
        [],
    )


def test_upgrade_from_0001_keeps_users_tasks_and_tags(empty_database_url: str) -> None:
    migrate_to("0001", empty_database_url)
    with get_engine(empty_database_url).begin() as connection:
        connection.execute(
            sa.text(
                'INSERT INTO "user" (id, email, name, password_hash, token_version, '
                "created_at) VALUES (1, 'a@example.com', 'A', 'h', 3, :now), "
                "(2, 'b@example.com', NULL, 'h', 0, :now)"
            ),
            {"now": "2026-01-01 00:00:00+00:00"},
        )
        connection.execute(
            sa.text(
                "INSERT INTO task (id, user_id, title, description, completed, priority, "
                "recurrence, next_occurrence_created, created_at, updated_at) VALUES "
                "(5, 1, 'Pay rent', '', false, 'high', 'monthly', false, :now, :now), "
                "(7, 2, 'Walk', '', true, 'none', 'none', false, :now, :now)"
            ),
            {"now": "2026-01-01 00:00:00+00:00"},
        )
        connection.execute(
            sa.text(
                "INSERT INTO task_tag (task_id, tag, user_id) "
                "VALUES (5, 'home', 1), (7, 'dog', 2)"
            )
        )
    upgrade_to_head(empty_database_url)
    with get_engine(empty_database_url).connect() as connection:
        tasks = connection.execute(
            sa.text("SELECT id, user_id, title FROM task ORDER BY id")
        ).all()
        tags = connection.execute(
            sa.text("SELECT task_id, tag FROM task_tag ORDER BY task_id")
        ).all()
        users = connection.execute(sa.text('SELECT id, email FROM "user"')).all()
    assert [tuple(row) for row in tasks] == [(5, 1, "Pay rent"), (7, 2, "Walk")]
    assert [tuple(row) for row in tags] == [(5, "home"), (7, "dog")]
    assert sorted(tuple(row) for row in users) == [
        (1, "a@example.com"),
        (2, "b@example.com"),
    ]


def test_ids_of_deleted_rows_are_not_reused_after_upgrade(
    empty_database_url: str,
) -> None:
    upgrade_to_head(empty_database_url)
    engine = get_engine(empty_database_url)
    insert_user = sa.text(
        'INSERT INTO "user" (email, password_hash, created_at) '
        "VALUES (:email, 'h', '2026-01-01 00:00:00+00:00')"
    )
    with engine.begin() as connection:
        connection.execute(insert_user, {"email": "a@example.com"})
        first = connection.execute(sa.text('SELECT max(id) FROM "user"')).scalar_one()
        connection.execute(sa.text('DELETE FROM "user"'))
        connection.execute(insert_user, {"email": "b@example.com"})
        second = connection.execute(sa.text('SELECT max(id) FROM "user"')).scalar_one()
    assert second > first


@pytest.fixture
def empty_postgresql_url() -> Iterator[str]:
    """A brand-new PostgreSQL database (TEST_DATABASE_URL's server), dropped afterwards."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL names no PostgreSQL server")
    yield from _fresh_postgresql()


def test_upgrade_to_head_with_a_postgresql_url_as_psql_prints_it(
    empty_postgresql_url: str,
) -> None:
    pasted = "postgresql://" + empty_postgresql_url.split("://", 1)[1]
    upgrade_to_head(pasted)
    assert _current_revision(empty_postgresql_url) == _head()


# --- 0003: time zones, repeat anchors, folded tags ------------------------------------------------

# The revision 0003 follows (the sessions migration, 0002).
_BEFORE_0003 = str(
    ScriptDirectory.from_config(alembic_config()).get_revision("0003").down_revision
)
_BEFORE_0003_TABLES = sa.MetaData()
_users = sa.Table(
    "user",
    _BEFORE_0003_TABLES,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String),
    sa.Column("password_hash", sa.String),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)
_tasks = sa.Table(
    "task",
    _BEFORE_0003_TABLES,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer),
    sa.Column("title", sa.String),
    sa.Column("description", sa.Text),
    sa.Column("completed", sa.Boolean),
    sa.Column("priority", sa.String),
    sa.Column("due_date", sa.Date),
    sa.Column("recurrence", sa.String),
    sa.Column("next_occurrence_created", sa.Boolean),
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("updated_at", sa.DateTime(timezone=True)),
)
_tags = sa.Table(
    "task_tag",
    _BEFORE_0003_TABLES,
    sa.Column("task_id", sa.Integer),
    sa.Column("tag", sa.String),
    sa.Column("user_id", sa.Integer),
)
_THEN = datetime(2026, 11, 1, tzinfo=UTC)


def _old_data(url: str, tasks: dict[int, tuple[date | None, str, list[str]]]) -> None:
    """At the revision before 0003: one user with tasks {id: (due date, repeat, tags)}."""
    migrate_to(_BEFORE_0003, url)
    with get_engine(url).begin() as connection:
        connection.execute(
            _users.insert().values(
                id=1,
                email="ada@example.com",
                password_hash="x",
                created_at=_THEN,
            )
        )
        for task_id, (due, recurrence, tags) in tasks.items():
            connection.execute(
                _tasks.insert().values(
                    id=task_id,
                    user_id=1,
                    title=f"Task {task_id}",
                    description="",
                    completed=False,
                    priority="none",
                    due_date=due,
                    recurrence=recurrence,
                    next_occurrence_created=False,
                    created_at=_THEN,
                    updated_at=_THEN,
                )
            )
            for tag in tags:
                connection.execute(
                    _tags.insert().values(task_id=task_id, tag=tag, user_id=1)
                )


def _rows(url: str, statement: Any) -> list[Any]:
    with get_engine(url).connect() as connection:
        return [tuple(row) for row in connection.execute(statement)]


def test_migration_0003_folds_hash_and_spaced_tags_merging_duplicates(
    empty_database_url: str,
) -> None:
    _old_data(
        empty_database_url,
        {
            1: (None, "none", ["#home", "home", "#work"]),
            2: (None, "none", ["to do", "#to do", "to-do", "#"]),
            3: (None, "none", ["plain"]),
        },
    )
    upgrade_to_head(empty_database_url)
    rows = _rows(
        empty_database_url,
        sa.select(_tags.c.task_id, _tags.c.tag).order_by(_tags.c.task_id, _tags.c.tag),
    )
    assert rows == [(1, "home"), (1, "work"), (2, "to-do"), (3, "plain")]


def test_migration_0003_gives_existing_users_utc(empty_database_url: str) -> None:
    _old_data(empty_database_url, {})
    upgrade_to_head(empty_database_url)
    assert _rows(empty_database_url, sa.text('SELECT timezone FROM "user"')) == [
        ("UTC",)
    ]


def test_migration_0003_anchors_due_dates_on_their_day(
    empty_database_url: str,
) -> None:
    _old_data(
        empty_database_url,
        {1: (date(2030, 2, 28), "monthly", []), 2: (None, "none", [])},
    )
    upgrade_to_head(empty_database_url)
    rows = _rows(
        empty_database_url, sa.text("SELECT id, anchor_day FROM task ORDER BY id")
    )
    assert rows == [(1, 28), (2, None)]


def test_migration_0003_gives_repeating_tasks_without_due_date_one(
    empty_database_url: str,
) -> None:
    _old_data(empty_database_url, {1: (None, "weekly", []), 2: (None, "none", [])})
    upgrade_to_head(empty_database_url)
    rows = _rows(
        empty_database_url, sa.text("SELECT id, due_date FROM task ORDER BY id")
    )
    assert [(task_id, due is not None) for task_id, due in rows] == [
        (1, True),
        (2, False),
    ]


def test_downgrade_0003_keeps_tasks_and_their_tags(empty_database_url: str) -> None:
    _old_data(empty_database_url, {1: (date(2030, 1, 31), "monthly", ["home"])})
    upgrade_to_head(empty_database_url)
    migrate_to(_BEFORE_0003, empty_database_url)
    tags = _rows(empty_database_url, sa.select(_tags.c.task_id, _tags.c.tag))
    assert (tags, _columns_added_by_0003(empty_database_url)) == (
        [(1, "home")],
        set(),
    )


def _columns_added_by_0003(url: str) -> set[str]:
    columns = {
        column["name"] for column in sa.inspect(get_engine(url)).get_columns("task")
    }
    return columns & {"anchor_day", "previous_occurrence_id"}


def test_migration_0011_gives_existing_projects_version_1(
    empty_database_url: str,
) -> None:
    migrate_to("0010", empty_database_url)
    with get_engine(empty_database_url).begin() as connection:
        connection.execute(
            sa.text(
                'INSERT INTO "user" (id, email, password_hash, created_at) '
                "VALUES (1, 'a@example.com', 'h', :now)"
            ),
            {"now": "2026-01-01 00:00:00+00:00"},
        )
        connection.execute(
            sa.text(
                "INSERT INTO project (id, owner_id, name, name_key, color, position, "
                "archived, created_at, updated_at) VALUES "
                "(4, 1, 'Work', 'work', 'teal', 0, false, :now, :now), "
                "(6, 1, 'Home', 'home', 'red', 1, true, :now, :now)"
            ),
            {"now": "2026-01-01 00:00:00+00:00"},
        )
    upgrade_to_head(empty_database_url)
    assert _rows(
        empty_database_url, sa.text("SELECT id, version FROM project ORDER BY id")
    ) == [(4, 1), (6, 1)]
