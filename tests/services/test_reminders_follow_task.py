"""A task's reminders follow the task: completing, reopening, moving or clearing its date, and
the next occurrence of a repeating task."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from tests.builders import make_task, make_user
from todo_app.models import (
    CancelReason,
    Reminder,
    ReminderCreate,
    ReminderStatus,
    Task,
    TaskFilter,
    TaskPatch,
    User,
)
from todo_app.services import reminders, tasks

NOW = datetime(2030, 6, 1, 10, 30, tzinfo=UTC)
DUE = date(2030, 6, 2)
AT = datetime(2030, 6, 1, 20, 0, tzinfo=UTC)


def _add(session: Session, owner: User, task: Task, **body: Any) -> Reminder:
    reminder = reminders.create_reminder(
        session,
        owner_id=owner.id,
        task_id=task.id,
        data=ReminderCreate(**body),
        now=NOW,
    )
    session.commit()
    return reminder


def _patch(
    session: Session, owner: User, task: Task, now: datetime = NOW, **fields: Any
) -> None:
    tasks.update_task(
        session, owner_id=owner.id, task_id=task.id, data=TaskPatch(**fields), now=now
    )
    session.commit()


def _state(session: Session, reminder: Reminder) -> tuple[Any, ...]:
    session.expire_all()
    row = session.get(Reminder, reminder.id)
    assert row is not None
    return row.task_id, row.status, row.cancel_reason, row.fire_at


def _three(session: Session, owner: User, task: Task) -> list[Reminder]:
    return [
        _add(session, owner, task, type="due"),
        _add(session, owner, task, type="before", minutes=60),
        _add(session, owner, task, type="at", at=AT),
    ]


def test_completing_cancels_the_pending_reminders(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    added = _three(session, owner, task)
    _patch(session, owner, task, completed=True)
    assert {_state(session, r)[1:3] for r in added} == {
        (ReminderStatus.cancelled, CancelReason.completed)
    }


def test_completing_all_cancels_the_pending_reminders(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE)
    reminder = _add(session, owner, task, type="due")
    tasks.set_all_completed(
        session, owner_id=owner.id, completed=True, query=TaskFilter(), now=NOW
    )
    session.commit()
    assert _state(session, reminder)[1] == ReminderStatus.cancelled


def test_completing_leaves_a_sent_reminder_sent(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    reminder = _add(session, owner, task, type="at", at=AT)
    reminders.claim_due_reminders(session, now=AT)
    session.commit()
    _patch(session, owner, task, now=AT, completed=True)
    assert _state(session, reminder)[1:3] == (ReminderStatus.sent, None)


def test_reopening_restores_what_completing_cancelled(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    added = _three(session, owner, task)
    before = [_state(session, r) for r in added]
    _patch(session, owner, task, completed=True)
    assert ReminderStatus.pending not in {_state(session, r)[1] for r in added}
    _patch(session, owner, task, completed=False)
    assert [_state(session, r) for r in added] == before


def test_reopening_after_a_reminders_time_keeps_it_cancelled(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    at, due = (
        _add(session, owner, task, type="at", at=AT),
        _add(session, owner, task, type="due"),
    )
    _patch(session, owner, task, completed=True)
    _patch(session, owner, task, now=AT + timedelta(minutes=1), completed=False)
    assert _state(session, at)[1:3] == (
        ReminderStatus.cancelled,
        CancelReason.completed,
    )
    assert _state(session, due)[1] == ReminderStatus.pending


def test_moving_the_due_date_moves_the_relative_reminders(session: Session) -> None:
    owner = make_user(session, timezone="Europe/Paris")
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    due, before, at = _three(session, owner, task)
    _patch(session, owner, task, due_date=date(2030, 6, 5))
    assert _state(session, due)[3] == datetime(2030, 6, 5, 16, 0, tzinfo=UTC)
    assert _state(session, before)[3] == datetime(2030, 6, 5, 15, 0, tzinfo=UTC)
    assert _state(session, at)[3] == AT  # a moment of its own does not move


def test_moving_the_due_time_moves_the_relative_reminders(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    reminder = _add(session, owner, task, type="before", minutes=30)
    _patch(session, owner, task, due_time="08:00")
    assert _state(session, reminder)[3] == datetime(2030, 6, 2, 7, 30, tzinfo=UTC)


def test_moving_the_date_into_the_past_cancels_until_it_moves_ahead_again(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    reminder = _add(session, owner, task, type="due")
    _patch(session, owner, task, due_date=date(2030, 5, 31))
    assert _state(session, reminder)[1:3] == (
        ReminderStatus.cancelled,
        CancelReason.passed,
    )
    _patch(session, owner, task, due_date=date(2030, 6, 3))
    assert _state(session, reminder)[1:] == (
        ReminderStatus.pending,
        None,
        datetime(2030, 6, 3, 18, 0, tzinfo=UTC),
    )


def test_removing_the_due_date_cancels_the_relative_reminders(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    due, before, at = _three(session, owner, task)
    _patch(session, owner, task, due_date=None)
    assert {_state(session, r)[1:3] for r in (due, before)} == {
        (ReminderStatus.cancelled, CancelReason.no_due_date)
    }
    assert _state(session, at)[1] == ReminderStatus.pending


def test_completing_a_repeating_task_moves_relative_reminders_to_the_next(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00", recurrence="daily")
    due, before, at = _three(session, owner, task)
    _patch(session, owner, task, completed=True)
    successor = session.exec(
        select(Task).where(Task.previous_occurrence_id == task.id)
    ).one()
    assert successor.due_date == date(2030, 6, 3)
    assert _state(session, due) == (
        successor.id,
        ReminderStatus.pending,
        None,
        datetime(2030, 6, 3, 18, 0, tzinfo=UTC),
    )
    assert _state(session, before)[::3] == (
        successor.id,
        datetime(2030, 6, 3, 17, 0, tzinfo=UTC),
    )
    # A moment of its own belongs to this occurrence: it is cancelled with it.
    assert _state(session, at)[:3] == (
        task.id,
        ReminderStatus.cancelled,
        CancelReason.completed,
    )


def test_reopening_a_repeating_task_takes_its_reminders_back(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00", recurrence="daily")
    added = _three(session, owner, task)
    before = [_state(session, r) for r in added]
    _patch(session, owner, task, completed=True)
    assert {_state(session, r)[0] for r in added} != {task.id}  # moved on
    _patch(session, owner, task, completed=False)
    assert session.exec(select(Task).where(Task.id != task.id)).all() == []
    assert [_state(session, r) for r in added] == before
