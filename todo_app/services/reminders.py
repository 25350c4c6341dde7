"""Reminders of tasks: set, list and delete them; each fires once at `fire_at` (UTC).

A reminder fires at the task's due time ("due"), some minutes before it ("before"), or at a
moment of its own ("at"). The due time is the task's `due_time` on its due date in the
owner's zone, or DEFAULT_DUE_TIME (`task_reminders`) for a task due on a day without a time.

Delivery: every worker's loop (`periodic.deliver_reminders_periodically`) calls
`claim_due_reminders`, which claims each due reminder exactly once across workers and
announces the owner's change; the owner's open pages then read `recent_reminders`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from todo_app.errors import InvalidInput, NotFound
from todo_app.models import (
    REMINDERS_PER_TASK_MAX,
    CancelReason,
    Reminder,
    ReminderCreate,
    ReminderStatus,
    ReminderType,
    Task,
    User,
    utcnow,
)
from todo_app.services import tasks
from todo_app.services.changes import record_change
from todo_app.services.task_reminders import due_moment
from todo_app.settings import get_settings

REMINDER_NOT_FOUND = "Reminder not found"


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


# --- delivery ----------------------------------------------------------------------------------


def clock_ahead() -> timedelta:
    """How far the reminders' clock (delivery, the bell) runs ahead of the real one.

    TODO_REMINDER_CLOCK_AHEAD_SECONDS: 0 in production; browser tests set a minute, so a
    reminder set a minute ahead fires without the test waiting a minute.
    """
    return timedelta(seconds=get_settings().reminder_clock_ahead_seconds)


# A reminder found later than this (no worker ran when it fell due) is missed, not delivered.
MISSED_AFTER = timedelta(hours=1)
CLAIM_BATCH = 100


def claim_due_reminders(
    session: Session, *, now: datetime, limit: int = CLAIM_BATCH
) -> list[Reminder]:
    """Claim up to `limit` pending reminders due at `now`, each for exactly one caller.

    A claimed reminder becomes `sent` (its owner's pages are told after the commit), `missed`
    when more than MISSED_AFTER late, or `cancelled` when its task is in the trash or done.
    On PostgreSQL the rows are locked with SKIP LOCKED, so concurrent claimers take disjoint
    sets; on SQLite the transaction holds the one write lock from its start (BEGIN
    IMMEDIATE, `db.py`), so claimers take turns. The claim commits with the caller's session.
    """
    rows = session.exec(
        select(Reminder, Task)
        .join(Task, Task.id == Reminder.task_id)
        .where(Reminder.status == ReminderStatus.pending, Reminder.fire_at <= now)
        .order_by(Reminder.fire_at, Reminder.id)
        .limit(limit)
        # Only the reminder rows: an owner editing the task must not hold up delivery.
        .with_for_update(skip_locked=True, of=Reminder)
    ).all()
    for reminder, task in rows:
        if task.deleted_at is not None:
            reminder.status, reminder.cancel_reason = (
                ReminderStatus.cancelled,
                CancelReason.trashed,
            )
        elif task.completed:
            # Completing cancels reminders itself; this covers a write that bypassed it.
            reminder.status, reminder.cancel_reason = (
                ReminderStatus.cancelled,
                CancelReason.completed,
            )
        elif reminder.fire_at < now - MISSED_AFTER:
            reminder.status = ReminderStatus.missed
            record_change(session, reminder.user_id)
        else:
            reminder.status = ReminderStatus.sent
            record_change(session, reminder.user_id)
        session.add(reminder)
    session.flush()
    return [reminder for reminder, _ in rows]


@dataclass(frozen=True)
class FiredReminder:
    """A reminder that fired (sent) or was missed, as the owner's bell lists it."""

    id: int
    task_id: int
    title: str
    fire_at: datetime
    missed: bool
    seen: bool
    task_completed: bool


# How far back the bell lists fired reminders.
RECENT_WINDOW = timedelta(days=1)


def recent_reminders(
    session: Session, *, owner_id: int, now: datetime, limit: int = 20
) -> list[FiredReminder]:
    """The owner's reminders that fired or were missed within RECENT_WINDOW, newest first."""
    rows = session.exec(
        select(Reminder, Task.title, Task.completed)
        .join(Task, Task.id == Reminder.task_id)
        .where(
            Reminder.user_id == owner_id,
            Task.user_id == owner_id,
            Task.deleted_at.is_(None),
            Reminder.status.in_([ReminderStatus.sent, ReminderStatus.missed]),
            Reminder.fire_at > now - RECENT_WINDOW,
            Reminder.fire_at <= now,
        )
        .order_by(Reminder.fire_at.desc(), Reminder.id.desc())
        .limit(limit)
    ).all()
    return [
        FiredReminder(
            id=reminder.id,
            task_id=reminder.task_id,
            title=title,
            fire_at=reminder.fire_at,
            missed=reminder.status == ReminderStatus.missed,
            seen=reminder.seen_at is not None,
            task_completed=completed,
        )
        for reminder, title, completed in rows
    ]


def mark_reminders_seen(
    session: Session, *, owner_id: int, now: datetime, reminder_id: int | None = None
) -> int:
    """Mark the owner's fired or missed reminders (or just `reminder_id`) seen; how many."""
    if reminder_id is not None and not _possible_id(reminder_id):
        return 0  # an id from the browser that no row can have
    conditions = [
        Reminder.user_id == owner_id,
        Reminder.status.in_([ReminderStatus.sent, ReminderStatus.missed]),
        Reminder.seen_at.is_(None),
    ]
    if reminder_id is not None:
        conditions.append(Reminder.id == reminder_id)
    result = session.exec(sa.update(Reminder).where(*conditions).values(seen_at=now))
    if result.rowcount:
        record_change(session, owner_id)
    return result.rowcount


SNOOZE = timedelta(minutes=10)


def snooze_reminder(
    session: Session, *, owner_id: int, reminder_id: int, now: datetime
) -> Reminder:
    """Fire a reminder that fired again SNOOZE from `now`; NotFound for anyone else's.

    The fired reminder itself becomes an "at" reminder, pending again: a new row could not be
    added to a task that already has REMINDERS_PER_TASK_MAX, and the fired one is spent anyway.
    """
    if not _possible_id(reminder_id):
        raise NotFound(REMINDER_NOT_FOUND)
    reminder = session.exec(
        select(Reminder)
        .where(
            Reminder.id == reminder_id,
            Reminder.user_id == owner_id,
            Reminder.status.in_([ReminderStatus.sent, ReminderStatus.missed]),
        )
        .with_for_update()
    ).first()
    if reminder is None:
        raise NotFound(REMINDER_NOT_FOUND)
    tasks.get_task(session, owner_id=owner_id, task_id=reminder.task_id)
    fire_at = now + SNOOZE
    reminder.type, reminder.minutes, reminder.at = ReminderType.at, None, fire_at
    reminder.fire_at, reminder.status, reminder.seen_at = (
        fire_at,
        ReminderStatus.pending,
        None,
    )
    session.add(reminder)
    session.flush()
    record_change(session, owner_id)
    return reminder


def _possible_id(value: object) -> bool:
    # Ids arrive from the browser too: beyond the 32-bit column PostgreSQL would raise.
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 < value <= tasks.MAX_ID
    )
