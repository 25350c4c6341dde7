"""Every worker's pool together must fit into what PostgreSQL accepts, or the app refuses."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from todo_app import db
from todo_app.db import backend_workers, check_pool_capacity
from todo_app.settings import ConfigError, get_settings


def test_backend_workers_follow_granian_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GRANIAN_WORKERS", "3")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    get_settings.cache_clear()

    assert backend_workers() == 3


def test_several_workers_without_redis_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GRANIAN_WORKERS", "2")
    monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()

    with pytest.raises(ConfigError, match="needs REDIS_URL"):
        backend_workers()


@pytest.mark.parametrize("value", ["abc", "0", "-1"])
def test_invalid_granian_workers_are_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("GRANIAN_WORKERS", value)

    with pytest.raises(ConfigError, match="GRANIAN_WORKERS"):
        backend_workers()


def test_backend_workers_with_redis_follow_reflex_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GRANIAN_WORKERS", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    get_settings.cache_clear()

    assert backend_workers() == min((os.cpu_count() or 1) * 2 + 1, 8)


def test_backend_workers_without_redis_is_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRANIAN_WORKERS", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()

    assert backend_workers() == 1


def test_pool_capacity_does_not_apply_to_sqlite(tmp_path: Path) -> None:
    assert check_pool_capacity(f"sqlite:///{tmp_path / 'todo.db'}", workers=50) is None


_POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")

if _POSTGRES_URL:  # like the PostgreSQL half of `database_url`: only where one is given

    def test_pool_capacity_counts_every_workers_pool(
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setenv("DB_POOL_SIZE", "7")
        monkeypatch.setenv("DB_MAX_OVERFLOW", "3")
        get_settings.cache_clear()

        capacity = check_pool_capacity(str(_POSTGRES_URL), workers=3)

        assert capacity is not None
        assert (capacity.per_worker, capacity.workers, capacity.needed) == (10, 3, 30)
        assert capacity.needed <= capacity.available

    def test_pool_capacity_refuses_more_connections_than_postgres_accepts() -> None:
        with pytest.raises(ConfigError, match="max_connections"):
            check_pool_capacity(str(_POSTGRES_URL), workers=1000)


def test_requests_use_at_most_the_connections_the_pool_keeps(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Beyond the pool's size, each request would open and close an overflow connection (a
    # new PostgreSQL backend every time): the overflow is left to work outside requests.
    monkeypatch.setenv("DB_POOL_SIZE", "4")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "3")
    get_settings.cache_clear()

    async def borrowed() -> tuple[float, float, float]:
        limiter = db._request_limiter()
        in_session = await db.run_in_session(lambda _: limiter.borrowed_tokens)
        on_dbapi = await db.run_on_dbapi_connection(lambda _: limiter.borrowed_tokens)
        return limiter.total_tokens, in_session, on_dbapi

    assert asyncio.run(borrowed()) == (4, 1, 1)
