"""PostgreSQL databases of their own for tests, made beside the test database on its server."""

from __future__ import annotations

import sqlalchemy as sa

from todo_app.settings import normalise_database_url


def _on_the_server(url: str, *statements: str) -> None:
    server = sa.create_engine(
        sa.make_url(normalise_database_url(url)).set(database="postgres"),
        isolation_level="AUTOCOMMIT",
        poolclass=sa.pool.NullPool,
    )
    try:
        with server.connect() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))
    finally:
        server.dispose()


def new_database(beside: str, name: str) -> str:
    """The URL of a new, empty database `name` on the server of `beside` (one left over
    by an earlier run is dropped first)."""
    _on_the_server(
        beside,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}"',
    )
    url = sa.make_url(normalise_database_url(beside)).set(database=name)
    return url.render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop the database `url` names, closing its connections."""
    name = sa.make_url(url).database
    _on_the_server(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
