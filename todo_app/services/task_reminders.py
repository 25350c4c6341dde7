"""Keeping a task's reminders right when the task changes: its date, its completion, its repeat.

`services.tasks` calls these next to the change (this module does not import it, so the two
stay free of a cycle). The rules:
- Moving the due date or time moves the relative reminders ("due", "before"); one whose new
  time has already passed is cancelled (reason `passed`), not marked missed: the owner just
  chose that date, and the bell's "missed" means "no worker was there to deliver it". Moving
  the date into the future again brings it back. Removing the date cancels them
  (`no_due_date`) until a date comes back.
- Completing cancels the pending reminders (`completed`); reopening brings back those that
  completing cancelled and whose time is still ahead. A repeating task's pending relative
  reminders move to the next occurrence instead, and back again if reopening removes it.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from todo_app.models import (
    CancelReason,
    Reminder,
    ReminderStatus,
    ReminderType,
    Task,
    User,
)

# When a task due on a day, without a time, is "due": the morning of that day.
DEFAULT_DUE_TIME = time(9, 0)
RELATIVE_TYPES = (ReminderType.due, ReminderType.before)
# Cancellations that follow the date: the date moving (back) into the future undoes them.
_DATE_REASONS = (CancelReason.no_due_date, CancelReason.passed)


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


# Read by every toggle: built once (building an ORM select costs about as much as running it).
_REMINDERS_OF = (
    select(Reminder)
    .where(Reminder.task_id == sa.bindparam("task_id"))
    .order_by(Reminder.id)
)


def _reminders_of(session: Session, task_id: int) -> list[Reminder]:
    return list(session.exec(_REMINDERS_OF, params={"task_id": task_id}).all())


def _cancel(reminder: Reminder, reason: CancelReason) -> None:
    reminder.status = ReminderStatus.cancelled
    reminder.cancel_reason = reason


def _reschedule(
    session: Session, reminder: Reminder, task: Task, now: datetime
) -> None:
    """Set a relative reminder's time from the task's date: pending if ahead, else cancelled."""
    owner = session.get(User, task.user_id)
    assert owner is not None  # the task's owner exists while the task does
    due = due_moment(task, owner.timezone)
    if due is None:
        _cancel(reminder, CancelReason.no_due_date)
        return
    reminder.timezone = owner.timezone
    reminder.fire_at = due - timedelta(minutes=reminder.minutes or 0)
    if reminder.fire_at <= now:
        _cancel(reminder, CancelReason.passed)
    else:
        reminder.status, reminder.cancel_reason = ReminderStatus.pending, None


def follow_due_change(session: Session, task: Task, now: datetime) -> None:
    """The task's date or time changed: move its relative reminders with it."""
    if task.id is None:
        return  # a new task has no reminders yet
    for reminder in _reminders_of(session, task.id):
        if reminder.type not in RELATIVE_TYPES:
            continue
        if reminder.status == ReminderStatus.pending or (
            reminder.status == ReminderStatus.cancelled
            and reminder.cancel_reason in _DATE_REASONS
            and not task.completed
        ):
            _reschedule(session, reminder, task, now)
        session.add(reminder)


def follow_completion(
    session: Session, task: Task, successor: Task | None, now: datetime
) -> None:
    """The task was completed: its pending reminders are cancelled or go to `successor`."""
    if successor is not None:
        session.flush()  # the next occurrence's id, for the reminders that move to it
    for reminder in _reminders_of(session, task.id):
        if reminder.status != ReminderStatus.pending:
            continue
        if successor is not None and reminder.type in RELATIVE_TYPES:
            reminder.task_id = successor.id
            _reschedule(session, reminder, successor, now)
        else:
            _cancel(reminder, CancelReason.completed)
        session.add(reminder)


def take_back(session: Session, successor: Task, task: Task) -> None:
    """Reopening removes `successor`: the reminders that moved to it come back to `task`."""
    for reminder in _reminders_of(session, successor.id):
        if reminder.type in RELATIVE_TYPES and (
            reminder.status == ReminderStatus.pending
            or reminder.cancel_reason in _DATE_REASONS
        ):
            reminder.task_id = task.id
            _cancel(reminder, CancelReason.completed)  # restored by follow_reopening
            session.add(reminder)
    session.flush()  # before the successor's row (and with it its reminders) is deleted


def follow_reopening(session: Session, task: Task, now: datetime) -> None:
    """The task was reopened: what completing cancelled comes back if its time is ahead."""
    for reminder in _reminders_of(session, task.id):
        if (
            reminder.status != ReminderStatus.cancelled
            or reminder.cancel_reason != CancelReason.completed
        ):
            continue
        if reminder.type in RELATIVE_TYPES:
            _reschedule(session, reminder, task, now)
        elif reminder.fire_at > now:
            reminder.status, reminder.cancel_reason = ReminderStatus.pending, None
        session.add(reminder)
