"""What the bell, the reminder toast and the details dialog's reminders show, and what the
dialog's "Add reminder" form means; computed without Reflex (tested directly)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from todo_app.errors import InvalidInput
from todo_app.models import ReminderCreate, ReminderPublic, ReminderStatus, ReminderType
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


# --- the details dialog's reminders ---------------------------------------------------------------

# The units the dialog offers for "before": the API counts minutes.
BEFORE_UNITS: dict[str, int] = {"minutes": 1, "hours": 60, "days": 24 * 60}
REMINDER_TYPES = ("due", "before", "at")


@dataclasses.dataclass
class ReminderRow:
    """A reminder of the task open in the details dialog."""

    id: int
    label: str  # "30 minutes before", "At the due time", "At 2026-12-01 09:00"
    fires: str  # when it fires, on the user's clock
    status: str  # "" while pending, else "sent", "missed" or "cancelled"


def _before_label(minutes: int) -> str:
    for unit, size in reversed(BEFORE_UNITS.items()):
        if minutes % size == 0:
            count = minutes // size
            name = unit if count != 1 else unit.rstrip("s")
            return f"{count} {name} before"
    raise AssertionError("minutes is a whole number")  # pragma: no cover


def reminder_row(reminder: ReminderPublic, timezone: str) -> ReminderRow:
    """How the details dialog lists a reminder; times read in the user's zone."""
    zone = ZoneInfo(timezone)
    fires = reminder.fire_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if reminder.type == ReminderType.before:
        label = _before_label(reminder.minutes or 0)
    elif reminder.type == ReminderType.due:
        label = "At the due time"
    else:
        label = f"At {fires}"
    status = "" if reminder.status == ReminderStatus.pending else reminder.status.value
    return ReminderRow(id=reminder.id, label=label, fires=fires, status=status)


def reminder_input(form: Mapping[str, Any], timezone: str) -> ReminderCreate:
    """The dialog's "Add reminder" form read as the API's input; the time is the user's.

    Raises InvalidInput for a missing or impossible amount, unit or date-time, and
    ValidationError for what ReminderCreate refuses (too many minutes).
    """
    kind = str(form.get("reminder_type") or "")
    if kind not in REMINDER_TYPES:
        raise InvalidInput("choose when the reminder fires", field="reminder_type")
    if kind == "due":
        return ReminderCreate(type=ReminderType.due)
    if kind == "before":
        unit = str(form.get("reminder_unit") or "minutes")
        amount = str(form.get("reminder_amount") or "").strip()
        if unit not in BEFORE_UNITS or not amount.isdigit() or int(amount) < 1:
            raise InvalidInput(
                "how long before: a whole number of minutes, hours or days, at least 1",
                field="reminder_amount",
            )
        return ReminderCreate(
            type=ReminderType.before, minutes=int(amount) * BEFORE_UNITS[unit]
        )
    raw = str(form.get("reminder_at") or "").strip()
    try:
        local = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            "the reminder's date and time, like 2026-12-01 09:00", field="reminder_at"
        ) from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(timezone))
    return ReminderCreate(type=ReminderType.at, at=local)
