"""Fixtures shared by every test layer: settings for tests, one database per backend, builders.

Service, API and state tests take the `database_url` fixture (directly or through `session`), which
runs them once on SQLite and, when TEST_DATABASE_URL names a PostgreSQL database, once more there.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Before any todo_app import reads them: fast bcrypt, a fixed key, a private data folder.
_TEST_DATA_DIR = Path(tempfile.mkdtemp(prefix="todo-test-data-"))
os.environ["BCRYPT_ROUNDS"] = "4"
os.environ["TODO_SECRET_KEY"] = "test-secret-key-that-is-long-enough-0123456789"
os.environ["TODO_DATA_DIR"] = str(_TEST_DATA_DIR)
os.environ.pop("DATABASE_URL", None)
os.environ.pop("NEON_DB_URL", None)  # an alias of DATABASE_URL
os.environ.pop("REDIS_URL", None)
os.environ["REFLEX_TELEMETRY_ENABLED"] = "false"

import sqlalchemy as sa
from sqlmodel import Session

from tests.databases import drop_database, new_database
from todo_app import settings as app_settings
from todo_app.db import get_engine
from todo_app.migrations import upgrade_to_head
from todo_app.settings import get_secret_key, get_settings

# A developer's .env must not reach the tests: the app reads a file that does not exist.
app_settings.ENV_FILE = _TEST_DATA_DIR / ".env"


def _database_of_this_worker() -> str | None:
    """Under xdist, a PostgreSQL database of this worker's own beside TEST_DATABASE_URL's
    (made afresh): the backend lanes run side by side and each empties the tables per test.
    Set before any test module reads TEST_DATABASE_URL; None when there is none to make."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("TEST_DATABASE_URL")
    if not worker or not url:
        return None
    name = f"{sa.make_url(app_settings.normalise_database_url(url)).database}_{worker}"
    os.environ["TEST_DATABASE_URL"] = new_database(url, name)
    return os.environ["TEST_DATABASE_URL"]


_WORKER_DATABASE = _database_of_this_worker()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Drop this worker's own database (`_database_of_this_worker`)."""
    if _WORKER_DATABASE is not None:
        drop_database(_WORKER_DATABASE)


TABLES = (
    "calendar_feed",
    "reminder",
    "task_tag",
    "task",
    "project",
    "user_session",
    "access_token",
    "throttle_event",
    "job_run",
    '"user"',
)
SECRET_KEY = os.environ["TODO_SECRET_KEY"]


def _backends() -> list[Any]:
    backends: list[Any] = [
        pytest.param(f"sqlite:///{_TEST_DATA_DIR / 'test.db'}", id="sqlite")
    ]
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if pg_url:
        backends.append(pytest.param(pg_url, id="postgresql"))
    return backends


_migrated: set[str] = set()


def _reset_schema(url: str) -> None:
    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(
                sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            )
    upgrade_to_head(url)


_sequences: dict[str, tuple[str, ...]] = {}


def _empty_tables(url: str) -> None:
    """Delete every row and restart the ids at 1, as a new database would have them.

    DELETE rather than TRUNCATE on PostgreSQL: a test leaves a few rows, and TRUNCATE's fixed
    cost per table (new files, locks) made the wipe ~140 ms per test against ~5 ms.
    """
    engine = get_engine(url)
    with engine.begin() as connection:
        for table in TABLES:
            connection.execute(sa.text(f"DELETE FROM {table}"))
        if engine.dialect.name == "postgresql":
            if url not in _sequences:
                _sequences[url] = tuple(
                    connection.scalars(
                        sa.text(
                            "SELECT sequencename FROM pg_sequences"
                            " WHERE schemaname = 'public'"
                        )
                    )
                )
            restarts = ", ".join(
                f"setval('{name}', 1, false)" for name in _sequences[url]
            )
            connection.execute(sa.text(f"SELECT {restarts}"))


@pytest.fixture(params=_backends())
def database_url(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A migrated, empty database, also made the app's DATABASE_URL for the test."""
    url: str = request.param
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    if url not in _migrated:
        _reset_schema(url)
        _sequences.pop(url, None)
        _migrated.add(url)
    _empty_tables(url)
    yield url
    get_settings.cache_clear()


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A session on the test database; the test commits or flushes as the app would."""
    with Session(get_engine(database_url), expire_on_commit=False) as db_session:
        yield db_session
        db_session.rollback()


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    get_secret_key.cache_clear()
    yield
    get_settings.cache_clear()
    get_secret_key.cache_clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last.

    Playwright's sync API keeps an event loop running on the main thread until the session
    ends, and tests that call asyncio.run() cannot run while it does.
    """
    e2e_dir = Path(__file__).parent / "e2e"
    items.sort(key=lambda item: item.path.is_relative_to(e2e_dir))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Lanes side by side, each on one worker: the browser tests (one app build and port)
    and the rest, which with `-n 3` (as `make test` runs) is two lanes on a database each.

    (xdist's own `--dist loadgroup` cannot group on pytest 9.)
    """
    from xdist.scheduler import LoadScopeScheduling

    class Lanes(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = f"/{nodeid.split('::', 1)[0]}"
            if "/e2e/" in path:
                return "browser"
            # With -n 3, the rest in two lanes, each on its own database (see
            # _database_of_this_worker); the tests using Redis (state, reliability) in one.
            if workers >= 3 and any(f"/{part}/" in path for part in _SECOND_LANE):
                return "backend-2"
            return "backend"

    workers = int(config.getoption("numprocesses") or 0)
    return Lanes(config, log)


# The backend tests of the second lane when there are three: about half of the backend's time.
_SECOND_LANE = ("state", "reliability", "mcp", "components", "services")
