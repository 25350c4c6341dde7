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

from alembic import command
from todo_app import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from todo_app.db import get_engine
from todo_app.migrations import alembic_config, upgrade_to_head
from todo_app.settings import normalise_database_url

TABLES = {"user", "task", "task_tag", "login_failure"}


def _backends() -> list[Any]:
    backends: list[Any] = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get("TEST_DATABASE_URL"):
        backends.append(pytest.param("postgresql", id="postgresql"))
    return backends


def _fresh_postgresql() -> Iterator[str]:
    server_url = sa.make_url(normalise_database_url(os.environ["TEST_DATABASE_URL"]))
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
    config = alembic_config()
    with get_engine(empty_database_url).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
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
