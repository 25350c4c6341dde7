"""The Completed view: tasks by the day they were completed, the chart, "Show more"."""

from __future__ import annotations

from datetime import datetime, timedelta

import reflex as rx
from sqlmodel import Session

from tests.builders import make_task
from tests.state.conftest import call, open_page, sign_in, substate
from todo_app.models import User
from todo_app.services import tasks
from todo_app.state.tasks import TaskState


def _completed(db: Session, user: User, title: str, when: datetime) -> int:
    task = make_task(db, user, title=title)
    tasks.toggle_task(db, owner_id=user.id, task_id=task.id, now=when)
    db.commit()
    return task.id


def _load(root: rx.State) -> TaskState:
    open_page(root, "/completed")
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    return state


def test_completed_tasks_are_grouped_by_the_day_they_were_completed(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    _completed(db, user, "Old", now - timedelta(days=40))
    _completed(db, user, "Monday's", now - timedelta(days=5))
    _completed(db, user, "Yesterday's", now - timedelta(days=1))
    _completed(db, user, "Early", now - timedelta(hours=3))
    _completed(db, user, "Late", now - timedelta(hours=1))
    make_task(db, user, title="Still open")
    sign_in(root, user)
    state = _load(root)
    assert [(task.section, task.title) for task in state.tasks] == [
        ("Today", "Late"),
        ("", "Early"),
        ("Yesterday", "Yesterday's"),
        ("Mon 27 May", "Monday's"),
    ]
    assert state.completed_ids == [task.id for task in state.tasks]


def test_the_chart_counts_the_last_30_days_and_the_streak(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    for days_ago in (0, 0, 1, 2, 5):
        _completed(db, user, f"Done {days_ago}", now - timedelta(days=days_ago))
    sign_in(root, user)
    state = _load(root)
    assert len(state.chart_days) == 30
    assert state.chart_days[-1] == {"day": "1 Jun", "done": 2}
    assert (state.chart_total, state.streak) == (5, 3)


def test_show_more_reaches_further_back(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    _completed(db, user, "Old", now - timedelta(days=40))
    sign_in(root, user)
    state = _load(root)
    assert state.tasks == []
    call(state, TaskState.show_more_history)
    assert [task.title for task in state.tasks] == ["Old"]
    assert state.history_days == 60


def test_show_more_is_offered_only_while_there_is_more(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    _completed(db, user, "Recent", now - timedelta(days=2))
    sign_in(root, user)
    assert _load(root).more_history is False
    _completed(db, user, "Old", now - timedelta(days=40))
    state = _load(root)
    assert state.more_history is True
    call(state, TaskState.show_more_history)
    assert state.more_history is False


def test_reopening_a_task_takes_it_out_of_the_history(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    task_id = _completed(db, user, "Oops", now - timedelta(hours=1))
    sign_in(root, user)
    state = _load(root)
    call(state, TaskState.toggle, task_id)
    assert state.tasks == []
    assert state.chart_total == 0


def test_the_history_keeps_the_urls_search_tag_and_priority(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    for title, tags, priority in (
        ("Buy milk", ["home"], "high"),
        ("Buy bread", ["work"], "high"),
        ("Sell milk", ["home"], "low"),
    ):
        task = make_task(db, user, title=title, tags=tags, priority=priority)
        tasks.toggle_task(db, owner_id=user.id, task_id=task.id, now=now)
        db.commit()
    sign_in(root, user)
    open_page(root, "/completed?q=MILK&tag=home&priority=high")
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    assert [task.title for task in state.tasks] == ["Buy milk"]


def test_the_charts_axis_counts_in_whole_evenly_spaced_steps(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    for number in range(3):
        _completed(db, user, f"Done {number}", now - timedelta(hours=number))
    sign_in(root, user)
    assert _load(root).chart_ticks == [0, 1, 2, 3]
