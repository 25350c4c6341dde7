"""What the bell and the reminder toast show, computed without Reflex (tested directly)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

from todo_app.services.reminders import FiredReminder


@dataclasses.dataclass
class ReminderView:
    """A fired or missed reminder as the bell lists it."""

    id: int
    task_id: int
    title: str
    when: str  # when it fired, on the user's clock ("18:00", or "2030-06-01 18:00")
    missed: bool
    unread: bool


def reminder_view(fired: FiredReminder, timezone: str, now: datetime) -> ReminderView:
    """The bell's row of one reminder; its time is read in the user's zone."""
    zone = ZoneInfo(timezone)
    local = fired.fire_at.astimezone(zone)
    same_day = local.date() == now.astimezone(zone).date()
    return ReminderView(
        id=fired.id,
        task_id=fired.task_id,
        title=fired.title,
        when=local.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M"),
        missed=fired.missed,
        unread=not fired.seen,
    )


def toast_reminder(fired: list[FiredReminder]) -> FiredReminder | None:
    """The reminder the toast shows: the newest one sent, unread, of a task still open.

    Every tab derives it from the database, so all of a user's tabs show the same toast, and
    reading it anywhere (bell, dismiss, complete, snooze) takes it away everywhere.
    """
    return next(
        (
            item
            for item in fired
            if not item.missed and not item.seen and not item.task_completed
        ),
        None,
    )
