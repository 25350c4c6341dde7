"""Migrations: an empty database reaches head, and head matches the models exactly."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from todo_app import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from todo_app.db import get_engine
from todo_app.migrations import alembic_config, migrate_to, upgrade_to_head

TABLES = {"user", "task", "task_tag", "user_session", "throttle_event"}


def _backends() -> list[Any]:
    backends: list[Any] = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get("TEST_DATABASE_URL"):
        backends.append(pytest.param("postgresql", id="postgresql"))
    return backends


def _fresh_postgresql() -> Iterator[str]:
    server_url = sa.make_url(os.environ["TEST_DATABASE_URL"])
    name = f"todo_migtest_{secrets.token_hex(6)}"
    server = sa.create_engine(
        server_url.set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = server_url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with server.connect() as connection:
            connection.execute(
                sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
        server.dispose()


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
