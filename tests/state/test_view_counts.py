"""What the page says about the list it shows: "N items left" counts that list's open tasks
(whatever the status filter), and a task added out of the list's sight says where it went.

The `now` fixture makes the user's today 1 June 2030.
"""

from __future__ import annotations

from datetime import date, datetime

import reflex as rx
from sqlmodel import Session

from tests.builders import make_project, make_task
from tests.state.conftest import call, open_page, shown_notice, sign_in, substate
from todo_app.models import User
from todo_app.services import tasks
from todo_app.state.auth import AuthState
from todo_app.state.tasks import TaskState

TODAY = date(2030, 6, 1)


def _load(root: rx.State, path: str) -> TaskState:
    open_page(root, path)
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    return state


def _completed(db: Session, user: User, **fields: object) -> None:
    task = make_task(db, user, **fields)
    tasks.toggle_task(db, owner_id=user.id, task_id=task.id)
    db.commit()


def _inbox_and_home(db: Session, user: User) -> int:
    """Two open tasks and a completed one in the Inbox; three open ones in Home (its id)."""
    home = make_project(db, user, name="Home")
    make_task(db, user, title="Buy milk")
    make_task(db, user, title="Call mum", due_date=TODAY)
    _completed(db, user, title="Pay rent")
    for title in ("Fix door", "Paint wall", "Mow lawn"):
        make_task(db, user, title=title, project_id=home.id)
    return home.id


# --- "N items left" ----------------------------------------------------------------------------


def test_items_left_counts_the_open_tasks_of_the_inbox_only(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    _inbox_and_home(db, user)
    sign_in(root, user)
    assert _load(root, "/inbox").items_left_label == "2 items left"


def test_items_left_counts_the_open_tasks_of_the_project_shown(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    home = _inbox_and_home(db, user)
    sign_in(root, user)
    state = _load(root, f"/projects/{home}")
    assert (state.items_left_label, state.heading) == ("3 items left", "Home")


def test_items_left_counts_what_today_and_upcoming_show(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    _inbox_and_home(db, user)
    sign_in(root, user)
    assert _load(root, "/today").items_left_label == "1 item left"
    assert _load(root, "/upcoming").items_left_label == "1 item left"


def test_an_empty_today_has_no_items_left(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    make_task(db, user, title="Someday")
    make_task(db, user, title="Later", due_date=date(2030, 6, 20))
    sign_in(root, user)
    state = _load(root, "/today")
    assert (state.tasks, state.items_left_label) == ([], "0 items left")


def test_the_status_filter_does_not_change_items_left(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    _inbox_and_home(db, user)
    sign_in(root, user)
    for status in ("all", "active", "completed"):
        state = _load(root, f"/inbox?filter={status}")
        assert (status, state.items_left_label) == (status, "2 items left")


def test_completing_a_row_counts_down_the_lists_items_left(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    home = _inbox_and_home(db, user)
    sign_in(root, user)
    state = _load(root, f"/projects/{home}")
    call(state, TaskState.toggle, state.tasks[0].id)
    assert state.items_left_label == "2 items left"


# --- a task added out of the list's sight ------------------------------------------------------


def _notice_link(root: rx.State) -> str:
    return substate(root, AuthState).notice_href


def test_a_task_added_to_a_project_from_the_inbox_says_where_it_went(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    home = make_project(db, user, name="Home")
    sign_in(root, user)
    state = _load(root, "/inbox")
    call(state, TaskState.add_task, {"title": "Fix door /home"})
    assert state.tasks == []
    assert (shown_notice(state), _notice_link(root)) == (
        "Added to Home",
        f"/projects/{home.id}",
    )


def test_an_undated_task_added_in_upcoming_says_it_went_to_the_inbox(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    sign_in(root, user)
    state = _load(root, "/upcoming")
    call(state, TaskState.add_task, {"title": "Fix door"})
    assert state.tasks == []
    assert (shown_notice(state), _notice_link(root)) == ("Added to Inbox", "/inbox")


def test_a_task_added_where_it_shows_says_nothing(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    make_project(db, user, name="Home")
    sign_in(root, user)
    for path, title in (("/inbox", "Buy milk"), ("/today", "Fix door /home")):
        state = _load(root, path)
        call(state, TaskState.add_task, {"title": title})
        assert (path, shown_notice(state)) == (path, "")


def test_a_task_that_only_the_search_hides_says_nothing(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    sign_in(root, user)
    state = _load(root, "/inbox?q=bread")
    call(state, TaskState.add_task, {"title": "Buy milk"})
    # It is in the list; "Nothing matches" says why it does not show.
    assert (state.tasks, shown_notice(state)) == ([], "")


def test_dismissing_the_message_drops_its_link(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    sign_in(root, user)
    state = _load(root, "/upcoming")
    call(state, TaskState.add_task, {"title": "Fix door"})
    call(substate(root, AuthState), AuthState.dismiss_notice)
    assert (shown_notice(state), _notice_link(root)) == ("", "")
