"""PostgreSQL goes away while the API serves writes: quick 503s, self-recovery, no lost write.

A TCP proxy between the app and PostgreSQL plays the restart: it drops every connection and
refuses new ones for a few seconds, then accepts again. (`make soak` restarts the real server.)
Like the PostgreSQL half of the `database_url` fixture, this test exists only when
TEST_DATABASE_URL names a database.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Self

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from tests.builders import make_user, token_for
from tests.reliability.conftest import serve_api
from tests.reliability.tcp_proxy import TcpProxy
from todo_app.db import get_engine
from todo_app.migrations import upgrade_to_head
from todo_app.settings import get_settings

WRITERS = 4
OUTAGE_SECONDS = 3.0
# An answer during the outage must come within this time: connect and pool waits are bounded.
MAX_OUTAGE_ANSWER_SECONDS = 5.0
PHASE_DEADLINE_SECONDS = 30.0


@dataclass(frozen=True)
class Attempt:
    """One create request: when it started and ended, its status, and the id if acknowledged."""

    started: float
    ended: float
    status: int
    task_id: int | None


class Writers:
    """Threads that create tasks one after another and record every attempt."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url, self.headers = url, headers
        self.attempts: list[Attempt] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True)
            for n in range(WRITERS)
        ]

    def __enter__(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=PHASE_DEADLINE_SECONDS)

    def _run(self, writer: int) -> None:
        with httpx.Client(timeout=PHASE_DEADLINE_SECONDS) as client:
            number = 0
            while not self._stop.is_set():
                number += 1
                started = time.monotonic()
                try:
                    response = client.post(
                        f"{self.url}/api/tasks",
                        headers=self.headers,
                        json={"title": f"writer {writer} #{number}"},
                    )
                    status = response.status_code
                    task_id = response.json()["id"] if status == 201 else None
                except httpx.HTTPError:
                    status, task_id = 0, None
                with self._lock:
                    self.attempts.append(
                        Attempt(started, time.monotonic(), status, task_id)
                    )

    def snapshot(self) -> list[Attempt]:
        """Every attempt finished so far."""
        with self._lock:
            return list(self.attempts)

    def wait_for(
        self, condition: str, predicate: Callable[[list[Attempt]], bool]
    ) -> None:
        """Poll the recorded attempts until `predicate` holds, or fail after a deadline."""
        deadline = time.monotonic() + PHASE_DEADLINE_SECONDS
        while not predicate(self.snapshot()):
            if time.monotonic() > deadline:
                statuses = [a.status for a in self.snapshot()[-20:]]
                pytest.fail(
                    f"timed out waiting for {condition}; last statuses {statuses}"
                )
            time.sleep(0.05)  # polling a condition with a deadline


def _outage_test(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    upgrade_to_head(postgres_url)
    with Session(get_engine(postgres_url), expire_on_commit=False) as session:
        user = make_user(session)
        headers = {"Authorization": f"Bearer {token_for(session, user)}"}
    target = sa.engine.make_url(postgres_url)
    with TcpProxy(target.host or "127.0.0.1", target.port or 5432) as proxy:
        proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(
            hide_password=False
        )
        monkeypatch.setenv("DATABASE_URL", proxied)
        get_settings.cache_clear()
        with serve_api(proxied) as server, Writers(server.url, headers) as writers:
            writers.wait_for(
                "20 writes before the outage",
                lambda attempts: sum(a.status == 201 for a in attempts) >= 20,
            )
            cut_at = time.monotonic()
            proxy.cut()
            writers.wait_for(
                f"{OUTAGE_SECONDS}s of outage with answers",
                lambda attempts: (
                    time.monotonic() - cut_at >= OUTAGE_SECONDS
                    and sum(a.started > cut_at for a in attempts) >= WRITERS
                ),
            )
            proxy.restore()
            restored_at = time.monotonic()
            writers.wait_for(
                "20 writes after the restore",
                lambda attempts: (
                    sum(a.status == 201 and a.started > restored_at for a in attempts)
                    >= 20
                ),
            )
        get_engine(proxied).dispose()

    attempts = writers.snapshot()
    during = [a for a in attempts if a.started > cut_at and a.ended < restored_at]
    assert during, "no request was answered during the outage"
    assert {a.status for a in during} == {503}
    assert max(a.ended - a.started for a in during) < MAX_OUTAGE_ANSWER_SECONDS
    assert {a.status for a in attempts} <= {201, 503}
    acknowledged = {a.task_id for a in attempts if a.status == 201}
    with get_engine(postgres_url).connect() as connection:
        stored = set(
            connection.execute(
                sa.text("SELECT id FROM task WHERE user_id = :user_id"),
                {"user_id": user.id},
            ).scalars()
        )
    assert acknowledged <= stored
    assert len(acknowledged) >= 40


_POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")

if _POSTGRES_URL:

    def test_postgres_outage_answers_503_quickly_recovers_and_loses_no_acknowledged_write(
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        _outage_test(str(_POSTGRES_URL), monkeypatch)
