"""The purge loop each worker runs: it purges when due, and a failing pass does not end it."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from tests.builders import make_task, make_user
from todo_app import periodic
from todo_app.db import get_engine
from todo_app.models import Reminder, ReminderCreate, ReminderStatus
from todo_app.services import changes, jobs, reminders, tasks

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


class _Stop(Exception):
    """Ends the loop where it would wait for its next pass."""


def _passes(monkeypatch: pytest.MonkeyPatch, count: int) -> list[float]:
    """Let the loop make `count` passes, then stop it; the waits it asked for."""
    waits: list[float] = []

    async def wait(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == count:
            raise _Stop

    monkeypatch.setattr(periodic.asyncio, "sleep", wait)
    return waits


def _run_loop() -> None:
    with pytest.raises(_Stop):
        asyncio.run(periodic.purge_trash_periodically())


def test_purge_loop_purges_the_old_trash_then_waits(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        owner = make_user(session)
        task = make_task(session, owner)
        tasks.delete_task(
            session, owner_id=owner.id, task_id=task.id, now=NOW - timedelta(days=31)
        )
        session.commit()
        monkeypatch.setattr(periodic, "utcnow", lambda: NOW)
        waits = _passes(monkeypatch, 1)
        _run_loop()
        assert tasks.list_trash(session, owner_id=owner.id).total == 0
    assert waits == [periodic.CHECK_EVERY_SECONDS]


def test_purge_loop_logs_a_failing_pass_and_goes_on(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    attempts: list[datetime] = []

    def failing_once(session: Session, *, now: datetime) -> int | None:
        attempts.append(now)
        if len(attempts) == 1:
            raise RuntimeError("database hiccup")
        return None

    monkeypatch.setattr(jobs, "purge_trash_when_due", failing_once)
    _passes(monkeypatch, 2)
    with caplog.at_level(logging.ERROR, logger=periodic.__name__):
        _run_loop()
    assert len(attempts) == 2
    assert "purging the trash failed" in caplog.text


# --- reminders -----------------------------------------------------------------------------------


def _run_reminder_loop() -> None:
    with pytest.raises(_Stop):
        asyncio.run(periodic.deliver_reminders_periodically())


def _due_reminders(session: Session, count: int) -> list[int]:
    owner = make_user(session)
    ids = []
    for index in range(count):
        if index % 5 == 0:
            task = make_task(session, owner)
        ids.append(
            reminders.create_reminder(
                session,
                owner_id=owner.id,
                task_id=task.id,
                data=ReminderCreate(type="at", at=NOW - timedelta(seconds=index)),
                now=NOW - timedelta(minutes=5),
            ).id
        )
    session.commit()
    return ids


def test_reminder_loop_sends_due_reminders_and_announces_the_owner(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TODO_REMINDER_POLL_SECONDS", "0.25")
    heard: list[frozenset[int]] = []
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        ids = _due_reminders(session, 2)
        remove = changes.add_listener(heard.append)
        monkeypatch.setattr(periodic, "utcnow", lambda: NOW)
        waits = _passes(monkeypatch, 1)
        try:
            _run_reminder_loop()
        finally:
            remove()
        statuses = {session.get(Reminder, rid).status for rid in ids}
        owner_id = session.get(Reminder, ids[0]).user_id
    assert statuses == {ReminderStatus.sent}
    assert heard == [frozenset({owner_id})]
    assert waits == [0.25]


def test_reminder_loop_claims_batch_after_batch_before_it_waits(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reminders, "CLAIM_BATCH", 3)
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        ids = _due_reminders(session, 7)
        monkeypatch.setattr(periodic, "utcnow", lambda: NOW)
        _passes(monkeypatch, 1)
        _run_reminder_loop()
        statuses = [session.get(Reminder, rid).status for rid in ids]
    assert statuses == [ReminderStatus.sent] * 7


def test_reminder_loop_logs_a_failing_pass_and_goes_on(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    attempts: list[datetime] = []

    def failing_once(session: Session, *, now: datetime) -> list[Reminder]:
        attempts.append(now)
        if len(attempts) == 1:
            raise RuntimeError("database hiccup")
        return []

    monkeypatch.setattr(reminders, "claim_due_reminders", failing_once)
    _passes(monkeypatch, 2)
    with caplog.at_level(logging.ERROR, logger=periodic.__name__):
        _run_reminder_loop()
    assert len(attempts) == 2
    assert "delivering reminders failed" in caplog.text


def test_reminder_loop_with_the_clock_ahead_sends_a_reminder_due_within_that_time(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TODO_REMINDER_CLOCK_AHEAD_SECONDS", "60")
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        owner = make_user(session)
        task = make_task(session, owner)
        soon, later = (
            reminders.create_reminder(
                session,
                owner_id=owner.id,
                task_id=task.id,
                data=ReminderCreate(type="at", at=NOW + ahead),
                now=NOW,
            ).id
            for ahead in (timedelta(seconds=59), timedelta(seconds=61))
        )
        session.commit()
        monkeypatch.setattr(periodic, "utcnow", lambda: NOW)
        _passes(monkeypatch, 1)
        _run_reminder_loop()
        statuses = [session.get(Reminder, rid).status for rid in (soon, later)]
    assert statuses == [ReminderStatus.sent, ReminderStatus.pending]
