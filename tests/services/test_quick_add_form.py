"""The new-task form's title read as one line (`quick_add.apply_line`), beside its other inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from tests.builders import make_user
from todo_app.errors import InvalidInput
from todo_app.models import Priority, Recurrence, TaskCreate
from todo_app.services import quick_add

ZONE = "Pacific/Auckland"
NOW = datetime(2030, 6, 2, 21, 0, tzinfo=UTC)  # Monday 2030-06-03 09:00 in Auckland
TODAY = date(2030, 6, 3)
TOMORROW = date(2030, 6, 4)


def _apply(session: Session, data: TaskCreate, **options: object) -> TaskCreate:
    owner = make_user(session, timezone=ZONE)
    return quick_add.apply_line(
        session, owner_id=owner.id, data=data, now=NOW, **options
    )


def test_a_title_without_recognised_parts_is_the_form_as_sent(
    session: Session,
) -> None:
    data = TaskCreate(title="Water the plants", priority=Priority.low, tags=["home"])
    assert _apply(session, data) == data


def test_the_line_sets_its_fields_and_leaves_the_title(session: Session) -> None:
    task = _apply(session, TaskCreate(title="Pay rent tomorrow #home !high"))
    assert (task.title, task.due_date, task.priority, task.tags) == (
        "Pay rent",
        TOMORROW,
        Priority.high,
        ["home"],
    )


def test_the_line_wins_for_what_it_sets_and_the_form_keeps_the_rest(
    session: Session,
) -> None:
    data = TaskCreate(
        title="Report tomorrow #work",
        description="Q3 numbers",
        priority=Priority.low,
        tags=["office"],
        due_date=date(2030, 7, 1),
    )
    task = _apply(session, data)
    assert (task.title, task.description, task.priority) == (
        "Report",
        "Q3 numbers",
        Priority.low,
    )
    assert task.due_date == TOMORROW
    assert task.tags == ["office", "work"]


def test_p4_in_the_line_clears_the_forms_priority(session: Session) -> None:
    # p4 is said on purpose (Todoist's "no priority"), so it wins like any other priority.
    data = TaskCreate(title="Water the plants p4", priority=Priority.high)
    task = _apply(session, data)
    assert (task.title, task.priority) == ("Water the plants", Priority.none)


def test_a_time_alone_keeps_the_forms_date(session: Session) -> None:
    data = TaskCreate(title="Call mom at 6pm", due_date=date(2030, 6, 20))
    task = _apply(session, data)
    assert (task.title, task.due_date, task.due_time) == (
        "Call mom",
        date(2030, 6, 20),
        "18:00",
    )


def test_a_time_alone_without_a_date_is_today(session: Session) -> None:
    task = _apply(session, TaskCreate(title="Call mom at 6pm"))
    assert (task.due_date, task.due_time) == (TODAY, "18:00")


def test_a_repeat_in_the_line_sets_the_recurrence(session: Session) -> None:
    task = _apply(session, TaskCreate(title="Stand-up every day"))
    assert (task.title, task.recurrence, task.due_date) == (
        "Stand-up",
        Recurrence.daily,
        TODAY,
    )


def test_words_put_back_stay_in_the_title(session: Session) -> None:
    title = "Call mom tomorrow #family"
    start = title.index("tomorrow")
    task = _apply(
        session,
        TaskCreate(title=title),
        keep_literal=[(start, start + len("tomorrow"))],
    )
    assert (task.title, task.due_date, task.tags) == (
        "Call mom tomorrow",
        None,
        ["family"],
    )


def test_a_line_of_only_parts_is_refused_with_a_readable_reason(
    session: Session,
) -> None:
    with pytest.raises(InvalidInput, match="double quotes"):
        _apply(session, TaskCreate(title="tomorrow #home"))


def test_too_many_tags_between_form_and_line_is_refused(session: Session) -> None:
    data = TaskCreate(title="Pack #extra", tags=[f"t{n}" for n in range(20)])
    with pytest.raises(InvalidInput, match="at most 20 tags"):
        _apply(session, data)
