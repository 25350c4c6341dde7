"""The task page's bulk actions act on exactly the tasks of the view, on every page."""

from __future__ import annotations

from datetime import datetime

import reflex as rx
from sqlmodel import Session, select

from tests.builders import make_task
from tests.state.conftest import call, fetch, open_page, sign_in, substate
from todo_app.models import Task, User
from todo_app.state.tasks import PAGE_SIZE, TaskState


def loaded(root: rx.State, user: User, path: str = "/") -> TaskState:
    """The task page state of `user` at `path`, loaded as the browser's on_load would."""
    sign_in(root, user)
    open_page(root, path)
    state = substate(root, TaskState)
    assert call(state, TaskState.load_page) == []
    return state


def completed_titles(db: Session) -> set[str]:
    """The titles of every completed task in the database."""
    return set(fetch(db, select(Task.title).where(Task.completed.is_(True))))


def test_mark_all_completes_only_the_tasks_of_the_tag_filter(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Water plants", tags=["home"])
    make_task(db, user, title="Sweep", tags=["home"])
    make_task(db, user, title="File taxes", tags=["work"])
    state = loaded(root, user, "/?tag=home")
    call(state, TaskState.toggle_all)
    assert completed_titles(db) == {"Water plants", "Sweep"}
    assert state.all_completed


def test_mark_all_follows_search_priority_and_status_too(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Buy milk", priority="high")
    make_task(db, user, title="Buy bread", priority="low")
    make_task(db, user, title="Walk the dog", priority="high")
    state = loaded(root, user, "/?filter=active&priority=high&q=buy")
    call(state, TaskState.toggle_all)
    assert completed_titles(db) == {"Buy milk"}


def test_mark_all_acts_on_every_page_of_the_view(
    root: rx.State, user: User, db: Session
) -> None:
    for number in range(PAGE_SIZE + 3):
        make_task(db, user, title=f"Home {number}", tags=["home"])
    make_task(db, user, title="Work", tags=["work"])
    state = loaded(root, user, "/?tag=home")
    call(state, TaskState.toggle_all)
    assert len(completed_titles(db)) == PAGE_SIZE + 3
    assert "Work" not in completed_titles(db)


def test_mark_all_when_the_view_is_all_done_reopens_only_the_view(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Water plants", tags=["home"])
    make_task(db, user, title="File taxes", tags=["work"])
    call(loaded(root, user), TaskState.toggle_all)
    state = loaded(root, user, "/?tag=home")
    assert state.all_completed
    call(state, TaskState.toggle_all)
    assert completed_titles(db) == {"File taxes"}


def test_mark_all_is_hidden_when_the_view_matches_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Water plants", tags=["home"])
    state = loaded(root, user, "/?tag=work")
    assert not state.can_toggle_all
    assert loaded(root, user, "/?tag=home").can_toggle_all


def test_mark_all_leaves_the_occurrences_it_creates_pending(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    make_task(db, user, title="Standup", due_date=now.date(), recurrence="daily")
    state = loaded(root, user)
    call(state, TaskState.toggle_all)
    done = fetch(db, select(Task.completed).where(Task.title == "Standup"))
    assert sorted(done) == [False, True]


def test_mark_all_shows_all_done_after_creating_occurrences(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    make_task(db, user, title="Standup", due_date=now.date(), recurrence="daily")
    make_task(db, user, title="Buy milk")
    state = loaded(root, user)
    call(state, TaskState.toggle_all)
    assert state.all_completed
    assert state.pending_count == 1  # the next standup, which is not hidden


def test_a_second_mark_all_click_reopens_instead_of_advancing_repeats(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    make_task(db, user, title="Standup", due_date=now.date(), recurrence="daily")
    state = loaded(root, user)
    call(state, TaskState.toggle_all)
    call(state, TaskState.toggle_all)
    # Back where it started: the one standup, open; no third occurrence.
    assert fetch(db, select(Task.completed)) == [False]
    assert not state.all_completed


def test_mark_all_in_the_active_view_hides_itself_after_creating_occurrences(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    make_task(db, user, title="Standup", due_date=now.date(), recurrence="daily")
    state = loaded(root, user, "/?filter=active")
    call(state, TaskState.toggle_all)
    # The next standup is listed, but nothing is left that a click should complete.
    assert [task.title for task in state.tasks] == ["Standup"]
    assert not state.can_toggle_all


def test_clear_completed_deletes_only_the_completed_tasks_of_the_view(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Water plants", tags=["home"])
    make_task(db, user, title="File taxes", tags=["work"])
    make_task(db, user, title="Sweep", tags=["home"])
    call(loaded(root, user), TaskState.toggle_all)
    state = loaded(root, user, "/?tag=home")
    call(state, TaskState.clear_completed)
    # The others went to the trash.
    assert fetch(db, select(Task.title).where(Task.deleted_at.is_(None))) == [
        "File taxes"
    ]


def test_clear_completed_counts_the_completed_tasks_of_the_view(
    root: rx.State, user: User, db: Session
) -> None:
    for title, tags in [("Water plants", ["home"]), ("Sweep", ["home"])]:
        make_task(db, user, title=title, tags=tags)
    make_task(db, user, title="File taxes", tags=["work"])
    call(loaded(root, user), TaskState.toggle_all)
    assert loaded(root, user, "/?tag=home").view_completed_count == 2
    assert loaded(root, user).view_completed_count == 3


def test_clear_completed_counts_every_page(
    root: rx.State, user: User, db: Session
) -> None:
    for number in range(PAGE_SIZE + 2):
        make_task(db, user, title=f"Task {number}")
    call(loaded(root, user), TaskState.toggle_all)
    state = loaded(root, user, "/?filter=completed")
    assert len(state.tasks) == PAGE_SIZE
    assert state.view_completed_count == PAGE_SIZE + 2


def test_toggling_one_task_updates_the_views_counts(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Water plants", tags=["home"])
    make_task(db, user, title="File taxes", tags=["work"])
    state = loaded(root, user, "/?tag=home")
    call(state, TaskState.toggle, task.id)
    assert (state.view_completed_count, state.all_completed) == (1, True)
