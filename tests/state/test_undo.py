"""Undo: every destructive or bulk action on the task page says what it did, with "Undo"."""

from __future__ import annotations

from datetime import date, timedelta

import reflex as rx
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from tests.state.conftest import call, fetch, open_page, sign_in, substate
from todo_app.models import Recurrence, Task, User
from todo_app.services import tasks
from todo_app.state.tasks import TaskState


def loaded(root: rx.State, user: User, path: str = "/") -> TaskState:
    sign_in(root, user)
    open_page(root, path)
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    return state


def done_task(db: Session, user: User, title: str) -> Task:
    """A completed task of `user`."""
    task = make_task(db, user, title=title)
    tasks.toggle_task(db, owner_id=user.id, task_id=task.id)
    db.commit()
    return task


def titles(state: TaskState) -> list[str]:
    return sorted(task.title for task in state.tasks)


def live_titles(db: Session) -> list[str]:
    db.expire_all()
    rows = fetch(db, select(Task.title).where(Task.deleted_at.is_(None)))
    return sorted(rows)


def test_delete_says_so_and_undo_brings_the_task_back(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Pay rent", tags=["home"])
    make_task(db, user, title="Stays")
    state = loaded(root, user)
    call(state, TaskState.delete, task.id)
    assert (state.notice, state.notice_undo) == ("Deleted 'Pay rent'", True)
    assert titles(state) == ["Stays"]
    call(state, TaskState.undo)
    assert titles(state) == ["Pay rent", "Stays"]
    assert (state.notice, state.notice_undo) == ("Undone", False)
    db.expire_all()
    assert db.get(Task, task.id).tags == ["home"]


def test_undo_twice_does_nothing_more(root: rx.State, user: User, db: Session) -> None:
    first = make_task(db, user, title="First")
    second = make_task(db, user, title="Second")
    state = loaded(root, user)
    call(state, TaskState.delete, first.id)
    call(state, TaskState.delete, second.id)
    call(state, TaskState.undo)
    call(state, TaskState.undo)
    # Only the last action is undone: "First" stays in the trash.
    assert live_titles(db) == ["Second"]


def test_clear_completed_says_how_many_and_undo_puts_all_back(
    root: rx.State, user: User, db: Session
) -> None:
    for title in ("A", "B", "C"):
        done_task(db, user, title)
    make_task(db, user, title="Open")
    state = loaded(root, user)
    call(state, TaskState.clear_completed)
    assert state.notice == "Deleted 3 tasks"
    assert live_titles(db) == ["Open"]
    call(state, TaskState.undo)
    assert live_titles(db) == ["A", "B", "C", "Open"]


def test_completing_a_task_offers_undo_which_reopens_it(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Call mom")
    state = loaded(root, user)
    call(state, TaskState.toggle, task.id)
    assert (state.notice, state.notice_undo) == ("Completed 'Call mom'", True)
    call(state, TaskState.undo)
    assert state.completed_ids == []
    db.expire_all()
    assert db.get(Task, task.id).completed is False


def test_reopening_a_task_offers_no_undo(
    root: rx.State, user: User, db: Session
) -> None:
    task = done_task(db, user, "Call mom")
    state = loaded(root, user)
    call(state, TaskState.toggle, task.id)
    assert not state.notice_undo


def test_undo_of_a_repeating_completion_removes_the_occurrence_it_created(
    root: rx.State, user: User, db: Session
) -> None:
    due = date.today() + timedelta(days=2)
    task = make_task(
        db, user, title="Water plants", due_date=due, recurrence=Recurrence.weekly
    )
    state = loaded(root, user)
    call(state, TaskState.toggle, task.id)
    assert len(fetch(db, select(Task.id).where(Task.deleted_at.is_(None)))) == 2
    call(state, TaskState.undo)
    db.expire_all()
    rows = fetch(db, select(Task.id, Task.completed).where(Task.deleted_at.is_(None)))
    assert rows == [(task.id, False)]


def test_mark_all_complete_offers_undo_that_reopens_exactly_those(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="One")
    make_task(db, user, title="Two")
    already = done_task(db, user, "Done before")
    state = loaded(root, user)
    call(state, TaskState.toggle_all)
    assert state.notice == "Completed 2 tasks"
    call(state, TaskState.undo)
    db.expire_all()
    done = fetch(db, select(Task.id).where(Task.completed.is_(True)))
    assert done == [already.id]


def test_a_later_message_without_undo_takes_the_undo_away(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Pay rent")
    state = loaded(root, user)
    call(state, TaskState.delete, task.id)
    call(state, TaskState.dismiss_notice)
    assert not state.notice_undo


def test_undo_never_touches_another_users_tasks(
    root: rx.State, user: User, db: Session
) -> None:
    other = make_user(db, email="bob@example.com")
    theirs = done_task(db, other, "Bob's")
    mine = make_task(db, user, title="Mine")
    state = loaded(root, user)
    call(state, TaskState.delete, mine.id)
    # A forged undo action naming someone else's task changes nothing of theirs.
    state._undo = {"kind": "completion", "ids": [theirs.id], "completed": True}
    call(state, TaskState.undo)
    db.expire_all()
    assert db.get(Task, theirs.id).completed is True
