"""Recurring tasks: the next due date, and the next occurrence created on completion."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from todo_app.models import Recurrence, Task, TaskPatch, User
from todo_app.services import tasks

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due", "recurrence", "expected"),
    [
        (date(2030, 3, 31), Recurrence.daily, date(2030, 4, 1)),
        (date(2030, 12, 28), Recurrence.weekly, date(2031, 1, 4)),
        (date(2030, 3, 15), Recurrence.monthly, date(2030, 4, 15)),
        (date(2030, 12, 15), Recurrence.monthly, date(2031, 1, 15)),
        (date(2030, 1, 31), Recurrence.monthly, date(2030, 2, 28)),
        (date(2028, 1, 31), Recurrence.monthly, date(2028, 2, 29)),
        (date(2030, 3, 31), Recurrence.monthly, date(2030, 4, 30)),
        (date(2030, 7, 4), Recurrence.yearly, date(2031, 7, 4)),
        (date(2028, 2, 29), Recurrence.yearly, date(2029, 2, 28)),
    ],
    ids=[
        "daily-month-end",
        "weekly-year-end",
        "monthly",
        "monthly-december",
        "monthly-jan-31",
        "monthly-jan-31-leap-year",
        "monthly-mar-31",
        "yearly",
        "yearly-feb-29",
    ],
)
def test_next_due_date_adds_one_period(
    due: date, recurrence: Recurrence, expected: date
) -> None:
    assert tasks.next_due_date(due, recurrence) == expected


def test_next_due_date_without_recurrence_is_none() -> None:
    assert tasks.next_due_date(date(2030, 1, 1), Recurrence.none) is None


@pytest.mark.parametrize("recurrence", ["daily", "weekly", "monthly", "yearly"])
def test_next_due_date_past_year_9999_is_none(recurrence: str) -> None:
    assert tasks.next_due_date(date(9999, 12, 31), Recurrence(recurrence)) is None


def _all_tasks(session: Session, owner: User) -> list[Task]:
    session.expire_all()
    return list(
        session.exec(
            select(Task).where(Task.user_id == owner.id).order_by(Task.id)
        ).all()
    )


def _recurring(session: Session, **fields: object) -> Task:
    owner = make_user(session)
    fields.setdefault("due_date", date(2030, 1, 31))
    fields.setdefault("recurrence", "monthly")
    return make_task(
        session,
        owner,
        title="Pay rent",
        description="Landlord",
        priority="high",
        tags=["home", "money"],
        **fields,
    )


def _toggle(session: Session, task: Task) -> None:
    tasks.toggle_task(session, owner_id=task.user_id, task_id=task.id, now=NOW)
    session.commit()


def _owner(session: Session, task: Task) -> User:
    owner = session.get(User, task.user_id)
    assert owner is not None
    return owner


def test_toggle_task_recurring_creates_the_next_occurrence(session: Session) -> None:
    task = _recurring(session)
    _toggle(session, task)
    successor = _all_tasks(session, _owner(session, task))[-1]
    assert successor.id != task.id
    assert (
        successor.title,
        successor.description,
        successor.priority,
        successor.tags,
        successor.recurrence,
        successor.due_date,
        successor.completed,
    ) == (
        "Pay rent",
        "Landlord",
        "high",
        ["home", "money"],
        "monthly",
        date(2030, 2, 28),
        False,
    )


def test_toggle_task_recurring_next_occurrence_keeps_recurring(
    session: Session,
) -> None:
    task = _recurring(session, due_date=date(2030, 1, 31))
    _toggle(session, task)
    successor = _all_tasks(session, _owner(session, task))[-1]
    _toggle(session, successor)
    third = _all_tasks(session, _owner(session, task))[-1]
    assert third.due_date == date(2030, 3, 28)


def test_toggle_task_recurring_twice_creates_only_one_copy(session: Session) -> None:
    task = _recurring(session)
    _toggle(session, task)  # complete
    _toggle(session, task)  # un-complete
    _toggle(session, task)  # complete again
    assert len(_all_tasks(session, _owner(session, task))) == 2


def test_toggle_task_recurring_without_due_date_creates_nothing(
    session: Session,
) -> None:
    task = _recurring(session, due_date=None)
    _toggle(session, task)
    assert len(_all_tasks(session, _owner(session, task))) == 1


def test_toggle_task_non_recurring_creates_nothing(session: Session) -> None:
    task = _recurring(session, recurrence="none")
    _toggle(session, task)
    assert len(_all_tasks(session, _owner(session, task))) == 1


def test_toggle_task_reopening_creates_nothing(session: Session) -> None:
    task = _recurring(session)
    _toggle(session, task)
    _toggle(session, task)
    assert [t.completed for t in _all_tasks(session, _owner(session, task))] == [
        False,
        False,
    ]


def test_update_task_completed_recurring_creates_the_next_occurrence(
    session: Session,
) -> None:
    task = _recurring(session, due_date=date(2028, 2, 29), recurrence="yearly")
    tasks.update_task(
        session,
        owner_id=task.user_id,
        task_id=task.id,
        data=TaskPatch(completed=True),
        now=NOW,
    )
    session.commit()
    due_dates = [t.due_date for t in _all_tasks(session, _owner(session, task))]
    assert due_dates == [date(2028, 2, 29), date(2029, 2, 28)]


def test_update_task_recompleting_recurring_creates_only_one_copy(
    session: Session,
) -> None:
    task = _recurring(session)
    for completed in (True, False, True):
        tasks.update_task(
            session,
            owner_id=task.user_id,
            task_id=task.id,
            data=TaskPatch(completed=completed),
        )
    session.commit()
    assert len(_all_tasks(session, _owner(session, task))) == 2


def test_set_all_completed_recurring_creates_the_next_occurrence(
    session: Session,
) -> None:
    task = _recurring(session, due_date=date(2030, 5, 31), recurrence="daily")
    tasks.set_all_completed(session, owner_id=task.user_id, completed=True, now=NOW)
    session.commit()
    stored = _all_tasks(session, _owner(session, task))
    assert [(t.due_date, t.completed) for t in stored] == [
        (date(2030, 5, 31), True),
        (date(2030, 6, 1), False),
    ]


def test_set_all_completed_again_after_reopening_creates_no_second_copy(
    session: Session,
) -> None:
    task = _recurring(session)
    owner_id = task.user_id
    tasks.set_all_completed(session, owner_id=owner_id, completed=True)
    tasks.set_all_completed(session, owner_id=owner_id, completed=False)
    tasks.set_all_completed(session, owner_id=owner_id, completed=True)
    session.commit()
    # The original and its one successor; the successor itself has made its own successor.
    due_dates = [t.due_date for t in _all_tasks(session, _owner(session, task))]
    assert due_dates == [date(2030, 1, 31), date(2030, 2, 28), date(2030, 3, 28)]
