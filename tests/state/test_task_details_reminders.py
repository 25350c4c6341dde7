"""The details dialog lists, adds and removes the task's reminders; the service checks them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import reflex as rx
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from tests.state.conftest import call, open_page, sign_in, substate
from todo_app.errors import InvalidInput
from todo_app.models import Reminder, ReminderCreate, ReminderType, User
from todo_app.services import reminders
from todo_app.state.reminder_view import reminder_input
from todo_app.state.task_details import TaskDetailsState
from todo_app.state.tasks import TaskState

DUE_DAY = date.today() + timedelta(days=5)


def _opened(root: rx.State, user: User, task_id: int) -> TaskDetailsState:
    sign_in(root, user)
    open_page(root, "/")
    call(substate(root, TaskState), TaskState.load_page)
    details = substate(root, TaskDetailsState)
    call(details, TaskDetailsState.open_details, task_id)
    return details


def _stored(db: Session, task_id: int) -> list[Reminder]:
    db.expire_all()
    rows = list(db.exec(select(Reminder).where(Reminder.task_id == task_id)).all())
    db.commit()
    return rows


def test_opening_the_dialog_lists_the_reminders_of_the_task(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Dentist", due_date=DUE_DAY, due_time="10:00")
    for data in (
        ReminderCreate(type="before", minutes=90),
        ReminderCreate(type="due"),
        ReminderCreate(type="before", minutes=2 * 24 * 60),
    ):
        reminders.create_reminder(db, owner_id=user.id, task_id=task.id, data=data)
    db.commit()
    details = _opened(root, user, task.id)
    assert [(row.label, row.status) for row in details.reminders] == [
        ("2 days before", ""),
        ("90 minutes before", ""),
        ("At the due time", ""),
    ]
    assert details.reminders[2].fires == f"{DUE_DAY.isoformat()} 10:00"


def test_add_reminder_before_in_hours_stores_minutes_and_lists_it(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, due_date=DUE_DAY, due_time="10:00")
    details = _opened(root, user, task.id)
    form = {"reminder_type": "before", "reminder_amount": "2", "reminder_unit": "hours"}
    call(details, TaskDetailsState.add_reminder, form)
    stored = _stored(db, task.id)
    assert [(r.type, r.minutes) for r in stored] == [(ReminderType.before, 120)]
    assert [row.label for row in details.reminders] == ["2 hours before"]
    assert details.reminder_error == ""


def test_add_reminder_at_reads_the_time_in_the_users_zone(
    root: rx.State, db: Session
) -> None:
    user = make_user(db, timezone="Europe/Paris")
    task = make_task(db, user)
    details = _opened(root, user, task.id)
    at = f"{DUE_DAY.isoformat()}T09:30"
    call(
        details,
        TaskDetailsState.add_reminder,
        {"reminder_type": "at", "reminder_at": at},
    )
    (stored,) = _stored(db, task.id)
    expected = datetime.fromisoformat(at).replace(tzinfo=ZoneInfo("Europe/Paris"))
    assert stored.fire_at == expected
    assert [row.label for row in details.reminders] == [f"At {DUE_DAY} 09:30"]


def test_add_relative_reminder_to_a_task_without_date_shows_the_services_error(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user)
    details = _opened(root, user, task.id)
    call(details, TaskDetailsState.add_reminder, {"reminder_type": "due"})
    assert "needs a task with a due date" in details.reminder_error
    assert _stored(db, task.id) == []


def test_a_sixth_reminder_is_refused_with_a_readable_error(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, due_date=DUE_DAY)
    details = _opened(root, user, task.id)
    for minutes in range(1, 7):
        form = {"reminder_type": "before", "reminder_amount": str(minutes)}
        call(details, TaskDetailsState.add_reminder, form)
    assert len(_stored(db, task.id)) == 5
    assert "at most 5 reminders" in details.reminder_error


def test_remove_reminder_deletes_it_and_updates_the_list(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, due_date=DUE_DAY)
    kept, removed = (
        reminders.create_reminder(
            db, owner_id=user.id, task_id=task.id, data=ReminderCreate(**data)
        ).id
        for data in ({"type": "due"}, {"type": "before", "minutes": 15})
    )
    db.commit()
    details = _opened(root, user, task.id)
    call(details, TaskDetailsState.remove_reminder, removed)
    assert [r.id for r in _stored(db, task.id)] == [kept]
    assert [row.id for row in details.reminders] == [kept]


@pytest.mark.parametrize("reminder_id", ["1", 2**40, True, None])
def test_remove_reminder_with_an_impossible_id_is_not_found(
    root: rx.State, user: User, db: Session, reminder_id: object
) -> None:
    task = make_task(db, user, due_date=DUE_DAY)
    reminders.create_reminder(
        db, owner_id=user.id, task_id=task.id, data=ReminderCreate(type="due")
    )
    db.commit()
    details = _opened(root, user, task.id)
    call(details, TaskDetailsState.remove_reminder, reminder_id)
    assert details.reminder_error == "Reminder not found"
    assert len(_stored(db, task.id)) == 1


def test_remove_reminder_of_another_users_task_is_not_found(
    root: rx.State, user: User, db: Session
) -> None:
    other = make_user(db)
    others_task = make_task(db, other, due_date=DUE_DAY)
    theirs = reminders.create_reminder(
        db, owner_id=other.id, task_id=others_task.id, data=ReminderCreate(type="due")
    ).id
    db.commit()
    task = make_task(db, user)
    details = _opened(root, user, task.id)
    call(details, TaskDetailsState.remove_reminder, theirs)
    assert details.reminder_error == "Reminder not found"
    assert len(_stored(db, others_task.id)) == 1


@pytest.mark.parametrize(
    "form",
    [
        {"reminder_type": "sometime"},
        {"reminder_type": "before", "reminder_amount": "0"},
        {"reminder_type": "before", "reminder_amount": "ten"},
        {"reminder_type": "before", "reminder_amount": "5", "reminder_unit": "weeks"},
        {"reminder_type": "at", "reminder_at": "tomorrow"},
        {"reminder_type": "at", "reminder_at": ""},
    ],
)
def test_reminder_input_refuses_what_is_not_a_reminder(form: dict[str, str]) -> None:
    with pytest.raises(InvalidInput):
        reminder_input(form, "UTC")


def test_reminder_input_days_are_minutes() -> None:
    data = reminder_input(
        {"reminder_type": "before", "reminder_amount": "3", "reminder_unit": "days"},
        "UTC",
    )
    assert (data.type, data.minutes) == (ReminderType.before, 3 * 24 * 60)


def test_choose_reminder_type_keeps_only_the_kinds_there_are(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user)
    details = _opened(root, user, task.id)
    call(details, TaskDetailsState.choose_reminder_type, "at")
    call(details, TaskDetailsState.choose_reminder_type, "<script>")
    assert details.reminder_type == "at"
    call(details, TaskDetailsState.close_details)
    assert details.reminder_type == "before"
