"""A time of day besides the due date: "HH:MM", needs a date, orders tasks within a day."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlmodel import Session

from tests.builders import make_task, make_user
from todo_app.errors import InvalidInput
from todo_app.models import SortField, SortOrder, TaskCreate, TaskPatch, TaskQuery
from todo_app.services import tasks

DAY = date(2030, 6, 1)


@pytest.mark.parametrize(
    ("typed", "stored"), [("18:00", "18:00"), ("9:05", "09:05"), ("00:00", "00:00")]
)
def test_due_time_is_stored_as_hh_mm(typed: str, stored: str) -> None:
    assert TaskCreate(title="x", due_date=DAY, due_time=typed).due_time == stored


@pytest.mark.parametrize(
    "typed", ["24:00", "18:60", "6pm", "18", "18:0", "١٨:٠٠", "a:bc"]
)
def test_due_time_that_is_no_time_of_day_is_refused_readably(typed: str) -> None:
    with pytest.raises(ValidationError, match="must be a time of day as HH:MM"):
        TaskCreate(title="x", due_date=DAY, due_time=typed)


def test_due_time_empty_means_none() -> None:
    assert TaskCreate(title="x", due_time="").due_time is None


def test_create_task_with_a_time_but_no_date_raises_invalid_input(
    session: Session,
) -> None:
    owner = make_user(session)
    with pytest.raises(InvalidInput) as error:
        tasks.create_task(
            session, owner_id=owner.id, data=TaskCreate(title="x", due_time="18:00")
        )
    assert error.value.field == "due_time"


def test_clearing_the_due_date_clears_its_time(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DAY, due_time="18:00")
    updated = tasks.update_task(
        session, owner_id=owner.id, task_id=task.id, data=TaskPatch(due_date=None)
    )
    assert (updated.due_date, updated.due_time) == (None, None)


def test_the_next_occurrence_keeps_the_time(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=DAY, due_time="07:30", recurrence="daily")
    tasks.toggle_task(session, owner_id=owner.id, task_id=task.id)
    session.commit()
    pending = tasks.list_tasks(
        session, owner_id=owner.id, query=TaskQuery(status="pending")
    ).items
    assert [item.due_time for item in pending] == ["07:30"]


def test_sort_by_due_date_orders_by_time_within_a_day(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="all day", due_date=DAY)
    make_task(session, owner, title="evening", due_date=DAY, due_time="18:00")
    make_task(session, owner, title="morning", due_date=DAY, due_time="08:15")
    make_task(session, owner, title="next day", due_date=date(2030, 6, 2))
    listed = tasks.list_tasks(
        session,
        owner_id=owner.id,
        query=TaskQuery(sort=SortField.due_date, order=SortOrder.asc),
    ).items
    assert [item.title for item in listed] == [
        "morning",
        "evening",
        "all day",
        "next day",
    ]
