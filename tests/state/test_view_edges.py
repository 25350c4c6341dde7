"""Edges of the lists: a task address naming no task of the user's, "Show more" under the
Completed view's filters, and a task added onto another page of a long list."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
import reflex as rx
from sqlmodel import Session

from tests.builders import make_project, make_task, make_user
from tests.state.conftest import call, open_page, shown_notice, sign_in, substate
from todo_app.models import User
from todo_app.services import tasks
from todo_app.state.task_details import TaskDetailsState
from todo_app.state.task_view import PAGE_SIZE
from todo_app.state.tasks import TaskState


def _load(root: rx.State, path: str) -> TaskState:
    open_page(root, path)
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    return state


# --- a task address ---------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["abc", "0", "999999", "-1", "١٢"])
def test_a_task_address_that_names_no_task_is_a_task_not_found(
    root: rx.State, user: User, db: Session, ref: str
) -> None:
    make_task(db, user, title="Loose end")
    home = make_project(db, user, name="Home")
    sign_in(root, user)
    state = _load(root, f"/tasks/{ref}")
    assert (state.heading, state.task_missing, state.tasks) == (
        "Task not found",
        True,
        [],
    )
    # The page says so itself: no error message besides it, no dialog.
    assert shown_notice(state) == ""
    assert substate(root, TaskDetailsState).task_id == 0
    # The sidebar stays the person's own.
    assert [project.name for project in state.projects] == [home.name]


def test_another_users_task_answers_as_a_missing_one(
    root: rx.State, user: User, db: Session
) -> None:
    eve = make_user(db, email="eve@example.com")
    secret = make_task(db, eve, title="Eve's secret")
    make_task(db, user, title="Loose end")
    sign_in(root, user)
    theirs = _load(root, f"/tasks/{secret.id}")
    seen = (theirs.heading, theirs.task_missing, theirs.tasks, shown_notice(theirs))
    missing = _load(root, f"/tasks/{secret.id + 1000}")
    assert seen == (
        missing.heading,
        missing.task_missing,
        missing.tasks,
        shown_notice(missing),
    )
    assert seen[:3] == ("Task not found", True, [])


def test_a_task_in_the_trash_is_not_found_at_its_address(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Thrown away")
    tasks.delete_task(db, owner_id=user.id, task_id=task.id)
    db.commit()
    sign_in(root, user)
    assert _load(root, f"/tasks/{task.id}").task_missing is True


def test_an_own_tasks_address_shows_the_inbox_with_its_details(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Water the plants")
    sign_in(root, user)
    _load(root, "/tasks/abc")
    state = _load(root, f"/tasks/{task.id}")
    assert (state.heading, state.task_missing) == ("Inbox", False)
    assert [row.title for row in state.tasks] == ["Water the plants"]
    assert substate(root, TaskDetailsState).task_id == task.id
    # A list's own address is no task address.
    assert _load(root, "/inbox").task_missing is False


def test_a_live_change_keeps_a_missing_task_missing_quietly(
    root: rx.State, user: User, db: Session
) -> None:
    sign_in(root, user)
    state = _load(root, "/tasks/999999")
    make_task(db, user, title="Added elsewhere")
    asyncio.run(state._apply_live_change(user.id))
    assert (state.heading, state.task_missing, state.tasks) == (
        "Task not found",
        True,
        [],
    )


# --- the Completed view's "Show more" ---------------------------------------------------------


def _completed(
    db: Session, user: User, title: str, when: datetime, **fields: object
) -> None:
    task = make_task(db, user, title=title, **fields)
    tasks.toggle_task(db, owner_id=user.id, task_id=task.id, now=when)
    db.commit()


@pytest.mark.parametrize("query", ["q=milk", "tag=home", "priority=high"])
def test_show_more_follows_the_completed_views_filters(
    root: rx.State, user: User, db: Session, now: datetime, query: str
) -> None:
    _completed(db, user, "Buy milk", now - timedelta(days=2), tags=["home"])
    _completed(
        db,
        user,
        "Walk the dog",
        now - timedelta(days=40),
        tags=["work"],
        priority="low",
    )
    sign_in(root, user)
    assert _load(root, "/completed").more_history is True
    # The older task would not show under the filter: nothing more to offer.
    assert _load(root, f"/completed?{query}").more_history is False
    _completed(
        db,
        user,
        "Milk the goat",
        now - timedelta(days=50),
        tags=["home"],
        priority="high",
    )
    assert _load(root, f"/completed?{query}").more_history is True


# --- a task added onto another page -----------------------------------------------------------


def _many(db: Session, user: User, count: int, **fields: object) -> None:
    for number in range(count):
        make_task(db, user, title=f"Task {number:03}", **fields)


def test_a_task_added_past_the_shown_page_says_so_with_a_link_to_its_page(
    root: rx.State, user: User, db: Session
) -> None:
    _many(db, user, PAGE_SIZE + 3)
    sign_in(root, user)
    state = _load(root, "/inbox")
    assert (state.sort, state.page_count) == ("manual", 2)
    call(state, TaskState.add_task, {"title": "Brand new", "project_id": ""})
    assert "Brand new" not in [row.title for row in state.tasks]
    assert shown_notice(state) == "Added at the end of the list"
    assert state.notice_href == "/inbox?page=2"
    # The link leads to it.
    assert [row.title for row in _load(root, "/inbox?page=2").tasks][-1] == "Brand new"


def test_a_task_added_in_a_long_projects_page_links_to_that_projects_last_page(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home")
    _many(db, user, 2 * PAGE_SIZE, project_id=home.id)
    sign_in(root, user)
    state = _load(root, f"/projects/{home.id}?q=task")
    call(state, TaskState.add_task, {"title": "Task extra", "project_id": ""})
    assert shown_notice(state) == "Added at the end of the list"
    assert state.notice_href == f"/projects/{home.id}?q=task&page=3"


def test_a_task_added_on_the_page_shown_needs_no_message(
    root: rx.State, user: User, db: Session
) -> None:
    _many(db, user, PAGE_SIZE + 3)
    sign_in(root, user)
    state = _load(root, "/inbox?page=2")
    call(state, TaskState.add_task, {"title": "Brand new", "project_id": ""})
    assert [row.title for row in state.tasks][-1] == "Brand new"
    assert shown_notice(state) == ""
    # Newest first: a new task tops the first page, where the list shows it.
    first = _load(root, "/inbox?sort=created&order=desc")
    call(first, TaskState.add_task, {"title": "Newer", "project_id": ""})
    assert (first.tasks[0].title, shown_notice(first)) == ("Newer", "")


def test_a_task_added_into_the_middle_of_a_sorted_list_names_its_page(
    root: rx.State, user: User, db: Session
) -> None:
    _many(db, user, 2 * PAGE_SIZE + 3)
    sign_in(root, user)
    state = _load(root, "/inbox?sort=title&order=asc")
    # Between "Task 060" and "Task 061": the second of three pages.
    call(state, TaskState.add_task, {"title": "Task 060a", "project_id": ""})
    assert shown_notice(state) == "Added on page 2"
    assert state.notice_href == "/inbox?sort=title&page=2"


# --- Today and Upcoming -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/today", "/upcoming"])
def test_dated_lists_ignore_a_status_filter_or_sort_in_their_url(
    root: rx.State, user: User, db: Session, now: datetime, path: str
) -> None:
    make_task(db, user, title="Pay rent", due_date=now.date())
    sign_in(root, user)
    state = _load(root, f"{path}?filter=completed&sort=manual&order=desc&q=rent")
    # Open tasks by date: no "Nothing matches", no drag handles in a list sorted by date.
    assert [row.title for row in state.tasks] == ["Pay rent"]
    assert (state.filter, state.sort, state.manual_ids) == ("all", "created", [])
    assert state.current_href == f"{path}?q=rent"


def test_a_task_deleted_elsewhere_turns_its_address_into_not_found(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Water the plants")
    sign_in(root, user)
    state = _load(root, f"/tasks/{task.id}")
    details = substate(root, TaskDetailsState)
    assert details.task_id == task.id
    tasks.delete_task(db, owner_id=user.id, task_id=task.id)
    db.commit()
    asyncio.run(state._apply_live_change(user.id))
    assert (state.heading, state.task_missing, state.tasks) == (
        "Task not found",
        True,
        [],
    )
    # No dialog of a task that is gone stays open over it.
    assert (details.task_id, details.from_url, details.values) == (0, False, {})
