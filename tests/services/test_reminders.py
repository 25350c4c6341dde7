"""Reminders of tasks: when each kind fires, the rules for setting one, and whose they are."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from todo_app.errors import InvalidInput, NotFound
from todo_app.models import (
    REMINDERS_PER_TASK_MAX,
    Reminder,
    ReminderCreate,
    ReminderStatus,
    ReminderType,
    TaskFilter,
    TaskPatch,
)
from todo_app.services import accounts, reminders, tasks

NOW = datetime(2030, 6, 1, 10, 30, tzinfo=UTC)
DUE = date(2030, 6, 2)


def _add(session: Session, owner_id: int, task_id: int, **body: Any) -> Reminder:
    reminder = reminders.create_reminder(
        session,
        owner_id=owner_id,
        task_id=task_id,
        data=ReminderCreate(**body),
        now=NOW,
    )
    session.commit()
    return reminder


# --- when a reminder fires ---------------------------------------------------------------------


def test_due_reminder_fires_at_the_due_time_in_the_owners_zone(
    session: Session,
) -> None:
    owner = make_user(session, timezone="Europe/Paris")
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    reminder = _add(session, owner.id, task.id, type="due")
    assert reminder.fire_at == datetime(2030, 6, 2, 16, 0, tzinfo=UTC)
    assert (reminder.status, reminder.timezone) == (
        ReminderStatus.pending,
        "Europe/Paris",
    )


def test_due_reminder_of_a_task_without_time_fires_at_9_in_the_morning(
    session: Session,
) -> None:
    owner = make_user(session, timezone="America/New_York")
    task = make_task(session, owner, due_date=DUE)
    reminder = _add(session, owner.id, task.id, type="due")
    assert reminder.fire_at == datetime(2030, 6, 2, 13, 0, tzinfo=UTC)  # 09:00 EDT


def test_before_reminder_fires_that_many_minutes_before_the_due_time(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    reminder = _add(session, owner.id, task.id, type="before", minutes=90)
    assert reminder.fire_at == datetime(2030, 6, 2, 16, 30, tzinfo=UTC)
    assert reminder.minutes == 90


def test_at_reminder_fires_at_its_moment_stored_in_utc(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)  # no due date needed
    reminder = _add(
        session, owner.id, task.id, type="at", at="2030-12-01T09:00:00+02:00"
    )
    session.expire_all()
    stored = session.get(Reminder, reminder.id)
    assert stored.fire_at == stored.at == datetime(2030, 12, 1, 7, 0, tzinfo=UTC)


# --- rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [{"type": "due"}, {"type": "before", "minutes": 30}])
def test_relative_reminder_of_a_task_without_due_date_is_refused(
    session: Session, body: dict[str, Any]
) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    with pytest.raises(InvalidInput, match="needs a task with a due date") as error:
        _add(session, owner.id, task.id, **body)
    assert error.value.field == "type"


def test_sixth_reminder_of_a_task_is_refused(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    for minutes in range(1, REMINDERS_PER_TASK_MAX + 1):
        _add(session, owner.id, task.id, type="before", minutes=minutes)
    with pytest.raises(InvalidInput, match="at most 5 reminders"):
        _add(session, owner.id, task.id, type="due")
    listed = reminders.list_reminders(session, owner_id=owner.id, task_id=task.id)
    assert len(listed) == REMINDERS_PER_TASK_MAX == 5


@pytest.mark.parametrize(
    "body",
    [
        {"type": "at", "at": "2030-06-01T10:30:00Z"},  # now
        {"type": "at", "at": "2020-01-01T00:00:00Z"},
        {"type": "before", "minutes": 60 * 24 * 2},  # two days before tomorrow
    ],
)
def test_reminder_whose_time_has_passed_is_refused(
    session: Session, body: dict[str, Any]
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    with pytest.raises(InvalidInput, match="already passed"):
        _add(session, owner.id, task.id, **body)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"type": "before"}, 'needs "minutes"'),
        ({"type": "due", "minutes": 5}, 'only a "before" reminder has "minutes"'),
        ({"type": "at"}, 'needs "at"'),
        ({"type": "due", "at": "2030-01-01T00:00:00Z"}, 'only an "at" reminder'),
        ({"type": "at", "at": "2030-01-01T09:00:00"}, "timezone"),
        ({"type": "before", "minutes": 0}, "greater than or equal to 1"),
        ({"type": "before", "minutes": 60 * 24 * 28 + 1}, "less than or equal"),
        ({"type": "later"}, "'due', 'before' or 'at'"),
        ({"type": "due", "task_id": 3}, "Extra inputs are not permitted"),
    ],
)
def test_reminder_create_refuses_what_its_type_does_not_allow(
    body: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        ReminderCreate(**body)


# --- whose they are ----------------------------------------------------------------------------


def test_list_reminders_soonest_first(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    due = _add(session, owner.id, task.id, type="due")
    earlier = _add(session, owner.id, task.id, type="before", minutes=60)
    listed = reminders.list_reminders(session, owner_id=owner.id, task_id=task.id)
    assert [r.id for r in listed] == [earlier.id, due.id]


def test_reminders_of_another_users_task_are_not_found(session: Session) -> None:
    ada, bob = make_user(session), make_user(session)
    task = make_task(session, ada, due_date=DUE, due_time="18:00")
    reminder = _add(session, ada.id, task.id, type="due")
    with pytest.raises(NotFound):
        reminders.list_reminders(session, owner_id=bob.id, task_id=task.id)
    with pytest.raises(NotFound):
        _add(session, bob.id, task.id, type="due")
    with pytest.raises(NotFound):
        reminders.delete_reminder(
            session, owner_id=bob.id, task_id=task.id, reminder_id=reminder.id
        )
    assert session.get(Reminder, reminder.id) is not None


def test_delete_reminder_removes_only_that_one(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    kept = _add(session, owner.id, task.id, type="due")
    gone = _add(session, owner.id, task.id, type="before", minutes=5)
    reminders.delete_reminder(
        session, owner_id=owner.id, task_id=task.id, reminder_id=gone.id
    )
    session.commit()
    listed = reminders.list_reminders(session, owner_id=owner.id, task_id=task.id)
    assert [r.id for r in listed] == [kept.id]


@pytest.mark.parametrize("reminder_id", [0, -1, 2**31, 10**30])
def test_delete_reminder_with_an_impossible_id_is_not_found(
    session: Session, reminder_id: int
) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    with pytest.raises(NotFound, match="Reminder not found"):
        reminders.delete_reminder(
            session, owner_id=owner.id, task_id=task.id, reminder_id=reminder_id
        )


def test_delete_reminder_through_another_task_of_the_owner_is_not_found(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    other = make_task(session, owner)
    reminder = _add(session, owner.id, task.id, type="due")
    with pytest.raises(NotFound):
        reminders.delete_reminder(
            session, owner_id=owner.id, task_id=other.id, reminder_id=reminder.id
        )


def test_a_task_in_the_trash_keeps_its_reminders_for_a_restore(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    _add(session, owner.id, task.id, type="due")
    tasks.delete_task(session, owner_id=owner.id, task_id=task.id)
    with pytest.raises(NotFound):
        reminders.list_reminders(session, owner_id=owner.id, task_id=task.id)
    tasks.restore_task(session, owner_id=owner.id, task_id=task.id)
    listed = reminders.list_reminders(session, owner_id=owner.id, task_id=task.id)
    assert [reminder.type for reminder in listed] == [ReminderType.due]


def test_deleting_a_task_for_good_deletes_its_reminders(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    _add(session, owner.id, task.id, type="due")
    tasks.delete_task(session, owner_id=owner.id, task_id=task.id)
    tasks.delete_forever(session, owner_id=owner.id, task_id=task.id)
    session.commit()
    assert session.exec(select(Reminder)).all() == []


def test_purging_the_trash_deletes_the_reminders_of_purged_tasks(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    _add(session, owner.id, task.id, type="due")
    tasks.update_task(
        session, owner_id=owner.id, task_id=task.id, data=TaskPatch(completed=True)
    )
    long_ago = datetime(2000, 1, 1, tzinfo=UTC)
    tasks.clear_completed(session, owner_id=owner.id, query=TaskFilter(), now=long_ago)
    tasks.purge_trash(session, now=long_ago + timedelta(days=31))
    session.commit()
    assert session.exec(select(Reminder)).all() == []


def test_delete_account_deletes_its_reminders(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DUE, due_time="18:00")
    _add(session, owner.id, task.id, type="due")
    accounts.delete_account(session, user_id=owner.id)
    session.commit()
    assert session.exec(select(Reminder)).all() == []
