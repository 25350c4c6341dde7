"""A throwaway PostgreSQL database for a benchmark, and its seed data written in bulk SQL."""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Self

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from todo_app.db import get_engine, session_scope
from todo_app.migrations import upgrade_to_head
from todo_app.models import UserSession, utcnow
from todo_app.services.passwords import hash_password
from todo_app.services.sessions import start_browser_session, start_session

ADMIN_URL = os.environ.get(
    "BENCH_PG_ADMIN_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
LIST_EMAIL = "bench-list@example.com"
CREATE_EMAIL = "bench-create@example.com"
LOGIN_EMAIL = "bench-login@example.com"
LOGIN_PASSWORD = "bench password 0123"


def _admin_engine() -> sa.Engine:
    return sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


@contextmanager
def throwaway_database(prefix: str = "todo_bench") -> Iterator[str]:
    """Create an empty PostgreSQL database, yield its URL, drop it afterwards."""
    name = f"{prefix}_{int(time.time())}_{os.getpid()}"
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(ADMIN_URL).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        get_engine(url.render_as_string(hide_password=False)).dispose()
        with admin.connect() as connection:
            connection.execute(
                sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
        admin.dispose()


@dataclass(frozen=True)
class Seeded:
    """Who the benchmark acts as, and how much data surrounds them."""

    list_token: str
    create_token: str
    login_email: str
    login_password: str
    users: int
    tasks: int
    tags: int
    # The listed user's tasks (read one by one by scenario 9), all in one project (scenario
    # 12), and the create user's seeded tasks (toggled and patched by scenarios 10 and 11).
    list_task_ids: tuple[int, ...]
    project_id: int
    create_task_ids: tuple[int, ...]


_INSERT_USERS = sa.text(
    """
    INSERT INTO "user" (email, name, password_hash, created_at)
    SELECT 'other' || g || '@bench.example', 'Other ' || g, :password_hash, now()
    FROM generate_series(1, :others) AS g
    UNION ALL SELECT :list_email, 'List', :password_hash, now()
    UNION ALL SELECT :create_email, 'Create', :password_hash, now()
    UNION ALL SELECT :login_email, 'Login', :password_hash, now()
    """
)
# Titles are 20 characters, descriptions 62; created_at differs per task so the page is ordered.
# Due dates from 49 days ago to 50 days ahead: the Today view (scenario 8) has overdue tasks
# and today's to list, the others are unaffected (they do not filter by date).
# The create user gets tasks too, for the toggle and PATCH scenarios (10, 11) to change: its
# creates (scenario 3) only append to the list, so 100 more rows do not change their cost.
_INSERT_TASKS = sa.text(
    """
    INSERT INTO task (user_id, title, description, completed, completed_at, priority, due_date,
                      recurrence, next_occurrence_created, created_at, updated_at)
    SELECT u.id, 'Task ' || lpad(g::text, 3, '0') || ' of the week',
           'Remember to do this before the due date, then tick it off. ' || g % 10,
           g % 4 = 0, CASE WHEN g % 4 = 0 THEN now() END,
           (ARRAY['none', 'low', 'medium', 'high'])[g % 4 + 1], current_date + g - 50,
           'none', false, now() - g * interval '1 minute', now() - g * interval '1 minute'
    FROM "user" AS u CROSS JOIN generate_series(1, :per_user) AS g
    WHERE u.email <> :login_email
    """
)
# The listed user's tasks all sit in one project: the project view (scenario 12) then pages
# the same 100 tasks as the list (scenario 1), so the two rows compare the filters alone.
_INSERT_PROJECT = sa.text(
    """
    INSERT INTO project (owner_id, name, name_key, color, position, archived, created_at,
                         updated_at)
    SELECT id, 'Bench', 'bench', 'charcoal', 0, false, now(), now() FROM "user"
    WHERE email = :list_email
    RETURNING id
    """
)
_MOVE_TASKS_TO_PROJECT = sa.text(
    """
    UPDATE task SET project_id = :project_id
    WHERE user_id = (SELECT id FROM "user" WHERE email = :list_email)
    """
)
_TASK_IDS_OF = sa.text(
    'SELECT t.id FROM task AS t JOIN "user" AS u ON u.id = t.user_id '
    "WHERE u.email = :email ORDER BY t.id"
)
_INSERT_TAGS = sa.text(
    """
    INSERT INTO task_tag (task_id, tag, user_id)
    SELECT id, (ARRAY['errands', 'health', 'home', 'work'])[id % 4 + 1], user_id FROM task
    UNION ALL SELECT id, 'week' || id % 10, user_id FROM task
    """
)


def seed(url: str, *, other_users: int = 500, tasks_per_user: int = 100) -> Seeded:
    """Migrate and fill the database: one user with 100 tasks in a project among many users
    with theirs (the create user's included; the login user has none).

    Every account shares one bcrypt hash made at the app's configured cost (BCRYPT_ROUNDS,
    default 12), so logging in costs what it costs in production.
    """
    upgrade_to_head(url)
    password_hash = hash_password(LOGIN_PASSWORD)
    emails = {
        "list_email": LIST_EMAIL,
        "create_email": CREATE_EMAIL,
        "login_email": LOGIN_EMAIL,
    }
    with get_engine(url).begin() as connection:
        connection.execute(
            _INSERT_USERS,
            {"password_hash": password_hash, "others": other_users, **emails},
        )
        connection.execute(_INSERT_TASKS, {"per_user": tasks_per_user, **emails})
        connection.execute(_INSERT_TAGS)
        project_id = connection.execute(_INSERT_PROJECT, emails).scalar_one()
        connection.execute(_MOVE_TASKS_TO_PROJECT, {"project_id": project_id, **emails})
        list_task_ids, create_task_ids = (
            tuple(connection.execute(_TASK_IDS_OF, {"email": email}).scalars())
            for email in (LIST_EMAIL, CREATE_EMAIL)
        )
        ids = dict(
            connection.execute(
                sa.text(
                    'SELECT email, id FROM "user" WHERE email IN :emails'
                ).bindparams(sa.bindparam("emails", expanding=True)),
                {"emails": [LIST_EMAIL, CREATE_EMAIL]},
            ).all()
        )
        counts = connection.execute(
            sa.text(
                'SELECT (SELECT count(*) FROM "user"), (SELECT count(*) FROM task), '
                "(SELECT count(*) FROM task_tag)"
            )
        ).one()
    with get_engine(url).connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            sa.text("ANALYZE")
        )
    return Seeded(
        list_token=_token_for(url, ids[LIST_EMAIL]),
        create_token=_token_for(url, ids[CREATE_EMAIL]),
        login_email=LOGIN_EMAIL,
        login_password=LOGIN_PASSWORD,
        users=counts[0],
        tasks=counts[1],
        tags=counts[2],
        list_task_ids=list_task_ids,
        project_id=int(project_id),
        create_task_ids=create_task_ids,
    )


def _token_for(url: str, user_id: int) -> str:
    """A bearer token of a new API session of the user."""
    with session_scope(url) as session:
        return start_session(session, user_id=user_id).access_token


def mark_sessions_seen(url: str) -> None:
    """Every session seen just now, as the API records it: the floor serves the fast list
    alone, which leaves a "last seen" that is due (after LAST_SEEN_RESOLUTION) to the API."""
    with session_scope(url) as session:
        session.exec(sa.update(UserSession).values(last_seen_at=utcnow()))


def browser_key_for(url: str, user_id: int) -> str:
    """The key of a new browser session of the user, as a browser keeps it in localStorage."""
    key = secrets.token_hex(32)
    with session_scope(url) as session:
        start_browser_session(session, user_id=user_id, browser_key=key)
    return key


def backend_pids(url: str) -> list[int]:
    """PostgreSQL backend processes currently connected to the database at `url`."""
    name = sa.engine.make_url(url).database
    admin = _admin_engine()
    try:
        with admin.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT pid FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            ).all()
    finally:
        admin.dispose()
    return [row[0] for row in rows]


class ConnectionSampler:
    """Polls how many connections the database has while a load runs; keeps the maximum."""

    def __init__(self, url: str, interval: float = 0.25) -> None:
        self.name = sa.engine.make_url(url).database
        self.interval = interval
        self.maximum = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        admin = _admin_engine()
        query = sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name")
        try:
            with admin.connect() as connection:
                while not self._stop.wait(self.interval):
                    count = connection.execute(query, {"name": self.name}).scalar_one()
                    # Our own sampling connection is to "postgres", so it is not counted.
                    self.maximum = max(self.maximum, int(count))
        finally:
            admin.dispose()


_INSERT_USER = sa.text(
    """
    INSERT INTO "user" (email, name, password_hash, created_at)
    VALUES (:email, :name, :password_hash, now()) RETURNING id
    """
)
# The same tasks and tags as `seed` makes, for one user only.
_INSERT_TASKS_OF_USER = sa.text(
    """
    INSERT INTO task (user_id, title, description, completed, completed_at, priority, due_date,
                      recurrence, next_occurrence_created, created_at, updated_at)
    SELECT :user_id, 'Task ' || lpad(g::text, 4, '0') || ' of the week',
           'Remember to do this before the due date, then tick it off. ' || g % 10,
           g % 4 = 0, CASE WHEN g % 4 = 0 THEN now() END,
           (ARRAY['none', 'low', 'medium', 'high'])[g % 4 + 1], current_date + g - 50,
           'none', false, now() - g * interval '1 minute', now() - g * interval '1 minute'
    FROM generate_series(1, :count) AS g
    """
)
_INSERT_TAGS_OF_USER = sa.text(
    """
    INSERT INTO task_tag (task_id, tag, user_id)
    SELECT id, (ARRAY['errands', 'health', 'home', 'work'])[id % 4 + 1], user_id FROM task
    WHERE user_id = :user_id
    UNION ALL SELECT id, 'week' || id % 10, user_id FROM task WHERE user_id = :user_id
    """
)


def add_user_with_tasks(url: str, *, email: str, tasks: int) -> int:
    """Add one user with `tasks` tasks (2 tags each, every 4th completed); return their id."""
    with get_engine(url).begin() as connection:
        user_id = connection.execute(
            _INSERT_USER,
            {
                "email": email,
                "name": email.split("@")[0],
                "password_hash": hash_password(LOGIN_PASSWORD),
            },
        ).scalar_one()
        connection.execute(_INSERT_TASKS_OF_USER, {"user_id": user_id, "count": tasks})
        connection.execute(_INSERT_TAGS_OF_USER, {"user_id": user_id})
    return int(user_id)


def browser_keys_of_other_users(url: str, count: int) -> list[str]:
    """Browser keys of `count` of the users `seed` made besides the named ones (100 tasks each)."""
    with get_engine(url).connect() as connection:
        ids = connection.execute(
            sa.text(
                "SELECT id FROM \"user\" WHERE email LIKE 'other%@bench.example' "
                "ORDER BY id LIMIT :count"
            ),
            {"count": count},
        ).scalars()
        tokens = [browser_key_for(url, user_id) for user_id in ids]
    if len(tokens) < count:
        raise RuntimeError(f"the database has {len(tokens)} such users, not {count}")
    return tokens
