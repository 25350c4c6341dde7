"""Reminders of tasks: set, list and delete them; each fires once at `fire_at` (UTC).

A reminder fires at the task's due time ("due"), some minutes before it ("before"), or at a
moment of its own ("at"). The due time is the task's `due_time` on its due date in the
owner's zone, or DEFAULT_DUE_TIME for a task due on a day without a time. Delivery (the loop
that fires them) is not part of this module.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from todo_app.errors import InvalidInput, NotFound
from todo_app.models import (
    REMINDERS_PER_TASK_MAX,
    Reminder,
    ReminderCreate,
    ReminderStatus,
    ReminderType,
    Task,
    User,
    utcnow,
)
from todo_app.services import tasks

# When a task due on a day, without a time, is "due": the morning of that day.
DEFAULT_DUE_TIME = time(9, 0)
REMINDER_NOT_FOUND = "Reminder not found"


def due_moment(task: Task, timezone: str) -> datetime | None:
    """The instant (UTC) a task is due in this zone; None without a due date."""
    if task.due_date is None:
        return None
    if task.due_time:
        hours, minutes = (int(part) for part in task.due_time.split(":"))
        at = time(hours, minutes)
    else:
        at = DEFAULT_DUE_TIME
    return datetime.combine(task.due_date, at, tzinfo=ZoneInfo(timezone)).astimezone(
        UTC
    )


def _fire_at(task: Task, data: ReminderCreate, timezone: str) -> datetime:
    if data.type == ReminderType.at:
        assert data.at is not None  # ReminderCreate requires it
        return data.at.astimezone(UTC)
    due = due_moment(task, timezone)
    if due is None:
        raise InvalidInput(
            f'a "{data.type.value}" reminder needs a task with a due date', field="type"
        )
    return due - timedelta(minutes=data.minutes or 0)


def restore_reminder(
    session: Session,
    *,
    task: Task,
    data: ReminderCreate,
    status: ReminderStatus,
    timezone: str,
    now: datetime | None = None,
) -> Reminder:
    """Add an imported reminder to a task just added, with the status it had (past ones too).

    InvalidInput for a relative reminder of a task without a due date.
    """
    reminder = Reminder(
        task_id=task.id,
        user_id=task.user_id,
        type=data.type,
        minutes=data.minutes,
        at=data.at.astimezone(UTC) if data.at else None,
        fire_at=_fire_at(task, data, timezone),
        timezone=timezone,
        status=status,
        created_at=now or utcnow(),
    )
    session.add(reminder)
    return reminder


def list_reminders(session: Session, *, owner_id: int, task_id: int) -> list[Reminder]:
    """The reminders of the owner's task, soonest first; NotFound for another's task."""
    task = tasks.get_task(session, owner_id=owner_id, task_id=task_id)
    return list(
        session.exec(
            select(Reminder)
            .where(Reminder.task_id == task.id, Reminder.user_id == owner_id)
            .order_by(Reminder.fire_at, Reminder.id)
        ).all()
    )


def create_reminder(
    session: Session,
    *,
    owner_id: int,
    task_id: int,
    data: ReminderCreate,
    now: datetime | None = None,
) -> Reminder:
    """Add a reminder to the owner's task: at most REMINDERS_PER_TASK_MAX, never in the past.

    InvalidInput for a relative reminder of a task without a due date, a time that has
    passed, or one reminder too many; NotFound for another user's task.
    """
    task = tasks.get_task(session, owner_id=owner_id, task_id=task_id)
    # The task's row is the lock: two requests at once cannot both add the fifth reminder.
    session.exec(select(Task.id).where(Task.id == task.id).with_for_update()).one()
    existing = session.exec(
        select(sa.func.count()).select_from(Reminder).where(Reminder.task_id == task.id)
    ).one()
    if existing >= REMINDERS_PER_TASK_MAX:
        raise InvalidInput(
            f"a task can have at most {REMINDERS_PER_TASK_MAX} reminders; delete one first"
        )
    owner = session.get(User, owner_id)
    assert owner is not None  # get_task found the owner's task
    fire_at = _fire_at(task, data, owner.timezone)
    now = now or utcnow()
    if fire_at <= now:
        raise InvalidInput(
            "the reminder's time has already passed",
            field="at" if data.type == ReminderType.at else "type",
        )
    reminder = Reminder(
        task_id=task.id,
        user_id=owner_id,
        type=data.type,
        minutes=data.minutes,
        at=data.at.astimezone(UTC) if data.at else None,
        fire_at=fire_at,
        timezone=owner.timezone,
        created_at=now,
    )
    session.add(reminder)
    session.flush()
    return reminder


def delete_reminder(
    session: Session, *, owner_id: int, task_id: int, reminder_id: int
) -> None:
    """Delete a reminder of the owner's task; NotFound for anyone else's or a gone one."""
    task = tasks.get_task(session, owner_id=owner_id, task_id=task_id)
    if not 0 < reminder_id <= tasks.MAX_ID:
        raise NotFound(REMINDER_NOT_FOUND)
    result = session.exec(
        sa.delete(Reminder).where(
            Reminder.id == reminder_id,
            Reminder.task_id == task.id,
            Reminder.user_id == owner_id,
        )
    )
    if not result.rowcount:
        raise NotFound(REMINDER_NOT_FOUND)
