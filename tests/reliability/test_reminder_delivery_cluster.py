"""Reminders are delivered exactly once by 2 app processes sharing PostgreSQL and Redis, even
when one of them is killed (SIGKILL) in the middle of claiming them (#14's acceptance test).

How the test catches a process in the middle: it holds a SHARE lock on the reminder table when
the 200 reminders fall due. Each process's claim selects and locks its rows (SELECT ... FOR
UPDATE SKIP LOCKED is allowed under that lock) and then waits to mark them sent (UPDATE is not),
with its transaction open. The test kills the process that holds one of the two claims, lets
the other go on, and counts what the app announced on the live-updates bus (Redis), which is
what brings a reminder to its owner's open tabs: every reminder once, none twice, none lost.

Like the PostgreSQL half of the `database_url` fixture, the test exists only when
TEST_DATABASE_URL names a database; it makes a database of its own beside it (the other tests
empty that one) and drops it afterwards.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import psutil
import pytest
import redis
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session

from bench.server import BackendProcess, serve_backends
from tests.builders import make_task, make_user
from tests.databases import drop_database, new_database
from todo_app.db import get_engine
from todo_app.migrations import upgrade_to_head
from todo_app.models import Reminder, ReminderStatus, ReminderType
from todo_app.settings import get_settings
from todo_app.state.live import _channel_name

REMINDERS = 200
POLL_SECONDS = "0.1"
# Time for the test to take its lock after adding the reminders, before they fall due.
LEAD = timedelta(seconds=5)
DEADLINE_SECONDS = 60.0
# After the last delivery, how long the bus is watched for a late duplicate (many poll passes).
QUIET_SECONDS = 1.5
# Another Redis database than the live-sync tests' (the bus channel is per app database anyway).
REDIS_DB = 5

_POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def _redis_url() -> str:
    base = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
    return urlsplit(base)._replace(path=f"/{REDIS_DB}").geturl()


@contextlib.contextmanager
def _own_database(test_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the test database's server, dropped afterwards."""
    url = new_database(test_url, f"{make_url(test_url).database}_reminder_cluster")
    try:
        yield url
    finally:
        drop_database(url)


def _wait_for(condition: object, what: str) -> None:
    """Poll `condition()` until it is true, failing after DEADLINE_SECONDS."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)  # polling for a condition with a deadline


def _claims_waiting(engine: sa.Engine) -> list[int]:
    """Client ports of the app connections whose claim waits for the test's table lock."""
    with engine.connect() as connection:
        return list(
            connection.execute(
                sa.text(
                    "SELECT client_port FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND wait_event_type = 'Lock' AND query ILIKE 'UPDATE reminder%'"
                )
            ).scalars()
        )


def _unclaimed(engine: sa.Engine) -> int:
    """Due reminders no claim holds yet (a lock taken and released in the same statement)."""
    with engine.connect() as connection:
        count = connection.execute(
            sa.text(
                "SELECT count(*) FROM (SELECT id FROM reminder WHERE status = 'pending' "
                "FOR UPDATE SKIP LOCKED) AS free"
            )
        ).scalar_one()
        connection.commit()
        return int(count)


def _status_counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT status, count(*) FROM reminder GROUP BY status")
        ).all()
    return {str(status): int(count) for status, count in rows}


def _owner_of_port(backends: list[BackendProcess], port: int) -> BackendProcess:
    for backend in backends:
        for connection in psutil.Process(backend.process.pid).net_connections("tcp"):
            if connection.laddr and connection.laddr.port == port:
                return backend
    raise AssertionError(f"no app process has the connection from port {port}")


def _delivery_test(test_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    redis_url = _redis_url()
    with _own_database(test_url) as url:
        upgrade_to_head(url)
        engine = get_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            owners = [make_user(session) for _ in range(REMINDERS)]
            owner_tasks = [make_task(session, owner) for owner in owners]
        # The bus channel the app processes publish on (it is named after their database).
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        channel = _channel_name()
        bus = redis.Redis.from_url(redis_url)
        subscriber = bus.pubsub(ignore_subscribe_messages=True)
        subscriber.subscribe(channel)
        env = {"TODO_REMINDER_POLL_SECONDS": POLL_SECONDS, "BCRYPT_ROUNDS": "4"}
        with serve_backends(
            2, database_url=url, redis_url=redis_url, env=env
        ) as backends:
            # 200 reminders, one per user, all due in the same second.
            due = (datetime.now(UTC) + LEAD).replace(microsecond=0)
            with Session(engine) as session:
                for owner, task in zip(owners, owner_tasks, strict=True):
                    session.add(
                        Reminder(
                            task_id=task.id,
                            user_id=owner.id,
                            type=ReminderType.at,
                            at=due,
                            fire_at=due,
                            timezone="UTC",
                        )
                    )
                session.commit()
            lock = engine.connect()
            lock.execute(sa.text("LOCK TABLE reminder IN SHARE MODE"))
            assert datetime.now(UTC) < due, "the reminders fell due before the lock"
            try:
                # Both processes claimed their share and wait, transactions open.
                _wait_for(
                    lambda: (
                        len(_claims_waiting(engine)) == 2 and _unclaimed(engine) == 0
                    ),
                    "both app processes to hold a claim",
                )
                ports = _claims_waiting(engine)
                victim = _owner_of_port(backends, ports[0])
                survivor = backends[1] if victim is backends[0] else backends[0]
                assert _owner_of_port(backends, ports[1]) is survivor
                os.kill(victim.process.pid, signal.SIGKILL)
                victim.process.wait(timeout=DEADLINE_SECONDS)
            finally:
                lock.rollback()
                lock.close()
            heard: collections.Counter[int] = collections.Counter()

            def listen(seconds: float) -> None:
                message = subscriber.get_message(timeout=seconds)
                while message is not None:
                    heard[int(message["data"])] += 1
                    message = subscriber.get_message(timeout=0.01)

            def all_delivered() -> bool:
                listen(0.05)
                return (
                    _status_counts(engine).get(ReminderStatus.sent.value) == REMINDERS
                    and len(heard) == REMINDERS
                )

            _wait_for(all_delivered, "every reminder to be delivered")
            listen(QUIET_SECONDS)
            assert survivor.process.poll() is None, "the other process went down too"
        subscriber.close()
        bus.close()
        statuses = _status_counts(engine)
        engine.dispose()

    assert statuses == {ReminderStatus.sent.value: REMINDERS}
    duplicates = {owner: count for owner, count in heard.items() if count != 1}
    assert duplicates == {}, f"delivered more than once: {duplicates}"
    assert set(heard) == {owner.id for owner in owners}


if _POSTGRES_URL:

    def test_200_due_reminders_are_delivered_once_by_2_processes_when_one_is_killed(
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        _delivery_test(str(_POSTGRES_URL), monkeypatch)
