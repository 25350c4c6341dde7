"""The one engine per database URL and the one way to open a session."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from todo_app.errors import ServiceUnavailable
from todo_app.settings import ConfigError, get_settings, normalise_database_url

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_SECONDS = 30

T = TypeVar("T")


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys give ON DELETE CASCADE; WAL lets readers run beside the one writer.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's lower() folds only ASCII; search and title sort must ignore case in any script.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    # pysqlite starts transactions lazily and upgrades read locks to write locks mid-way, which
    # fails with "database is locked" under concurrent writers; we issue BEGIN ourselves instead.
    dbapi_connection.isolation_level = None


def _sqlite_on_begin(connection: sa.Connection) -> None:
    # IMMEDIATE takes the write lock up front, so concurrent writers queue on busy_timeout
    # instead of failing half-way through a read-modify-write.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: DATABASE_URL), created once per process and URL.

    `postgres://` and `postgresql://` URLs get the installed driver, whoever passes them
    (settings, alembic, tests).
    """
    return _engine_for(normalise_database_url(url or get_settings().database_url))


@functools.cache
def _engine_for(url: str) -> Engine:
    settings = get_settings()
    if url.startswith("sqlite"):
        database = sa.engine.make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url,
            connect_args={
                "check_same_thread": False,
                "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
            },
        )
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return sa.create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        # Bounded waits: an unreachable database answers 503 quickly instead of hanging.
        pool_timeout=settings.db_pool_timeout,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={"connect_timeout": 3} if url.startswith("postgresql") else {},
    )


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    try:
        session = Session(get_engine(url), expire_on_commit=False)
    except sa.exc.OperationalError as exc:  # pragma: no cover - engine creation is lazy
        raise ServiceUnavailable("The database is unavailable") from exc
    with session:
        try:
            yield session
            session.commit()
        except sa.exc.OperationalError as exc:
            session.rollback()
            raise ServiceUnavailable(
                "The database is unavailable, please try again"
            ) from exc
        except sa.exc.TimeoutError as exc:
            session.rollback()
            raise ServiceUnavailable("The server is busy, please try again") from exc
        except BaseException:
            session.rollback()
            raise


def ping(url: str | None = None) -> None:
    """Raise ServiceUnavailable unless the database answers a trivial query."""
    try:
        with get_engine(url).connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except (sa.exc.OperationalError, sa.exc.TimeoutError, sa.exc.InterfaceError) as exc:
        raise ServiceUnavailable("The database is unavailable") from exc


# Reflex's own rule for the number of backend workers when GRANIAN_WORKERS is not set.
_REFLEX_MAX_WORKERS = 8


def backend_workers() -> int:
    """How many worker processes `reflex run --env prod` starts, each with its own pool."""
    configured = os.environ.get("GRANIAN_WORKERS", "").strip()
    redis_url = get_settings().redis_url
    if configured:
        if not configured.isdigit() or int(configured) < 1:
            raise ConfigError(
                f"GRANIAN_WORKERS must be a whole number >= 1, got {configured!r}"
            )
        if int(configured) > 1 and not redis_url:
            raise ConfigError(
                f"GRANIAN_WORKERS={configured} needs REDIS_URL: several workers share the "
                "UI's state and live updates through Redis; without it run one worker"
            )
        return int(configured)
    if redis_url:
        return min((os.cpu_count() or 1) * 2 + 1, _REFLEX_MAX_WORKERS)
    return 1


@dataclass(frozen=True)
class PoolCapacity:
    """Connections all workers may open, against what PostgreSQL accepts."""

    per_worker: int
    workers: int
    needed: int
    available: int


def check_pool_capacity(
    url: str | None = None, *, workers: int | None = None
) -> PoolCapacity | None:
    """Refuse to serve when every worker's full pool would exceed PostgreSQL's connections.

    `available` is max_connections minus the slots reserved for superusers; None for SQLite.
    """
    engine = get_engine(url or get_settings().database_url)
    if engine.dialect.name != "postgresql":
        return None
    settings = get_settings()
    workers = workers if workers is not None else backend_workers()
    per_worker = settings.db_pool_size + settings.db_max_overflow
    with engine.connect() as connection:
        max_connections = int(
            connection.exec_driver_sql("SHOW max_connections").scalar_one()
        )
        reserved = int(
            connection.exec_driver_sql(
                "SHOW superuser_reserved_connections"
            ).scalar_one()
        )
    capacity = PoolCapacity(
        per_worker=per_worker,
        workers=workers,
        needed=per_worker * workers,
        available=max_connections - reserved,
    )
    if capacity.needed > capacity.available:
        raise ConfigError(
            f"{workers} worker(s) x (DB_POOL_SIZE {settings.db_pool_size} + DB_MAX_OVERFLOW "
            f"{settings.db_max_overflow}) = {capacity.needed} connections, but PostgreSQL "
            f"accepts {capacity.available} (max_connections {max_connections} - "
            f"{reserved} reserved): lower the pool or the workers, or raise max_connections"
        )
    logger.info(
        "database pool: %d worker(s) x %d connections = %d of %d PostgreSQL accepts",
        workers,
        per_worker,
        capacity.needed,
        capacity.available,
    )
    return capacity


# --- running database and CPU work off the event loop ------------------------------------------

_db_limiters: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, anyio.CapacityLimiter
] = weakref.WeakKeyDictionary()
_cpu_limiters: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, anyio.CapacityLimiter
] = weakref.WeakKeyDictionary()


def _limiter(
    limiters: weakref.WeakKeyDictionary[
        asyncio.AbstractEventLoop, anyio.CapacityLimiter
    ],
    size: int,
) -> anyio.CapacityLimiter:
    # One limiter per event loop: anyio's primitives belong to the loop they were made on.
    loop = asyncio.get_running_loop()
    limiter = limiters.get(loop)
    if limiter is None:
        limiter = limiters[loop] = anyio.CapacityLimiter(size)
    return limiter


def _run_in_session(work: Callable[[Session], T]) -> T:
    with session_scope() as session:
        return work(session)


async def run_in_session(work: Callable[[Session], T]) -> T:
    """Run `work` in one session on a worker thread, committed when it returns.

    All of a request's database work goes in one such call, and no more of them run at once
    than the pool keeps connections (DB_POOL_SIZE): threads never hold a connection while waiting for the next
    hop, which is what starves thread pool and connection pool of each other under load.
    """
    return await anyio.to_thread.run_sync(
        _run_in_session, work, limiter=_request_limiter()
    )


def _request_limiter() -> anyio.CapacityLimiter:
    # As many at once as the pool keeps open: under load, overflow connections are opened
    # and closed again for every request beyond it (a new PostgreSQL backend each time, most
    # of the database's CPU in the bench of issue #16). The overflow is left to work outside
    # requests: the live hub, periodic jobs.
    return _limiter(_db_limiters, get_settings().db_pool_size)


def _run_on_dbapi_connection(work: Callable[[Any], T]) -> T:
    connection = get_engine().raw_connection()
    try:
        result = work(connection)
        connection.commit()
        return result
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.close()  # back to the pool


async def run_on_dbapi_connection(work: Callable[[Any], T]) -> T:
    """Run `work` on a plain DBAPI connection of the pool, on a worker thread, committed
    when it returns; within the same limit as `run_in_session`.

    For the few hot reads that SQLAlchemy's per-statement work would dominate.
    """
    return await anyio.to_thread.run_sync(
        _run_on_dbapi_connection, work, limiter=_request_limiter()
    )


async def run_cpu_bound(work: Callable[..., T], *args: Any) -> T:
    """Run CPU-heavy work (bcrypt) on a worker thread, using at most half of the cores.

    The other cores stay free for requests, so a burst of logins does not starve them.
    """
    size = max(1, (os.cpu_count() or 1) // 2)
    return await anyio.to_thread.run_sync(
        work, *args, limiter=_limiter(_cpu_limiters, size)
    )
