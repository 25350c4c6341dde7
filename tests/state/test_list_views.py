"""The lists a URL names (/inbox, /today, /projects/<id>, /tasks/<id>) and where / starts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import reflex as rx
from sqlmodel import Session

from tests.builders import make_task, make_user
from tests.state.conftest import (
    call,
    open_page,
    redirect_path,
    shown_notice,
    sign_in,
    substate,
)
from todo_app.models import User
from todo_app.services import tasks
from todo_app.state.auth import PAGE_LOADERS, page_loader
from todo_app.state.preferences import PreferencesState
from todo_app.state.task_details import TaskDetailsState
from todo_app.state.task_view import ListPlace, list_place, view_href
from todo_app.state.tasks import TaskState


@pytest.mark.parametrize(
    "path,place",
    [
        ("/", ListPlace("inbox", "/")),
        ("/inbox", ListPlace("inbox", "/inbox")),
        ("/today/", ListPlace("today", "/today")),
        ("/upcoming", ListPlace("upcoming", "/upcoming")),
        ("/completed", ListPlace("completed", "/completed")),
        ("/projects/7", ListPlace("project", "/projects/7", project_id=7)),
        ("/tasks/12", ListPlace("inbox", "/inbox", task_id=12)),
    ],
)
def test_list_place_names_the_list_of_each_path(path: str, place: ListPlace) -> None:
    assert list_place(path) == place


@pytest.mark.parametrize(
    "path",
    ["/projects/x", "/projects/0", "/projects/-1", "/projects/١٢", "/tasks/", "/nope"],
)
def test_list_place_names_no_list_for_other_paths(path: str) -> None:
    assert list_place(path) is None


def test_list_place_refuses_ids_beyond_a_database_integer() -> None:
    assert list_place("/projects/99999999999") is None


def test_view_href_keeps_the_filters_on_the_lists_own_path() -> None:
    view = {"filter": "active", "q": "milk", "page": "1"}
    assert view_href(view, "/today") == "/today?filter=active&q=milk"
    assert view_href({"page": "1"}, "/projects/3") == "/projects/3"


def test_page_loader_finds_dynamic_routes_and_static_ones_with_a_slash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for route in ("/", "/today", "/projects/[project_ref]", "/tasks/[task_ref]"):
        monkeypatch.setitem(PAGE_LOADERS, route, TaskState.load_page)
    assert page_loader("/projects/3") == TaskState.load_page
    assert page_loader("/tasks/3") == TaskState.load_page
    assert page_loader("/today/") == TaskState.load_page
    assert page_loader("/projects/3/more") is None


def _load(root: rx.State, path: str) -> tuple[TaskState, list]:
    open_page(root, path)
    state = substate(root, TaskState)
    return state, call(state, TaskState.load_page)


@pytest.mark.parametrize(
    "path,heading",
    [
        ("/", "Inbox"),
        ("/inbox", "Inbox"),
        ("/today", "Today"),
        ("/completed", "Completed"),
    ],
)
def test_each_view_has_its_heading_and_path(
    root: rx.State, user: User, path: str, heading: str
) -> None:
    sign_in(root, user)
    state, events = _load(root, path + "?filter=active")
    assert events == []
    assert state.heading == heading
    assert state.filter_hrefs["completed"] == f"{path}?filter=completed"


def test_root_opens_today_when_the_browser_prefers_it(
    root: rx.State, user: User
) -> None:
    sign_in(root, user)
    call(substate(root, PreferencesState), PreferencesState.set_start_view, "today")
    _state, events = _load(root, "/?q=milk")
    assert redirect_path(events) == "/today?q=milk"


def test_a_start_view_other_than_inbox_or_today_is_ignored(
    root: rx.State, user: User
) -> None:
    sign_in(root, user)
    preferences = substate(root, PreferencesState)
    call(preferences, PreferencesState.set_start_view, "/evil")
    assert preferences.start_view == "inbox"
    preferences.start_view = "elsewhere"  # what a browser's localStorage may hold
    _state, events = _load(root, "/")
    assert redirect_path(events) is None


def test_a_tasks_url_opens_its_details_even_off_the_page(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Far away")
    sign_in(root, user)
    state, _events = _load(root, f"/tasks/{task.id}?q=elsewhere")
    assert state.tasks == []
    details = substate(root, TaskDetailsState)
    assert (details.task_id, details.from_url) == (task.id, True)
    assert details.values["title"] == "Far away"
    assert redirect_path(call(details, TaskDetailsState.close_details)) == "/inbox"
    assert (details.task_id, details.from_url) == (0, False)


def test_a_tasks_url_of_another_users_task_opens_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    other = make_user(db, email="eve@example.com")
    task = make_task(db, other, title="Eve's secret")
    sign_in(root, user)
    _load(root, f"/tasks/{task.id}")
    details = substate(root, TaskDetailsState)
    assert (details.task_id, details.values) == (0, {})
    # The page says "Task not found" itself (tests/state/test_view_edges.py).
    assert shown_notice(root) == ""


# --- Today and Upcoming (the `now` fixture: the user's today is 1 June 2030, a Saturday) ---


def _rows(state: TaskState) -> list[tuple[str, str]]:
    return [(task.section, task.title) for task in state.tasks]


def _dated(db: Session, user: User, **titles_by_offset: int) -> None:
    for title, offset in titles_by_offset.items():
        make_task(db, user, title=title, due_date=date(2030, 6, 1) + timedelta(offset))


def test_today_shows_overdue_first_under_its_own_heading(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    _dated(db, user, late=-3, due_now=0, tomorrow=1)
    make_task(db, user, title="undated")
    done = make_task(db, user, title="done", due_date=date(2030, 6, 1))
    tasks.toggle_task(db, owner_id=user.id, task_id=done.id)
    db.commit()
    sign_in(root, user)
    state, _events = _load(root, "/today")
    assert _rows(state) == [("Overdue", "late"), ("Today", "due_now")]
    assert state.tasks[0].overdue_label == "3 days overdue"


def test_upcoming_groups_the_next_two_weeks_under_day_headings(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    _dated(db, user, late=-1, first=0, second=1, third=2, fourth=2, last=13, beyond=14)
    sign_in(root, user)
    state, _events = _load(root, "/upcoming")
    assert _rows(state) == [
        ("Today", "first"),
        ("Tomorrow", "second"),
        ("Mon 3 Jun", "third"),
        ("", "fourth"),
        ("Fri 14 Jun", "last"),
    ]


@pytest.mark.parametrize("path", ["/today", "/upcoming"])
def test_a_row_under_its_days_heading_is_marked_so_its_badge_does_not_repeat_it(
    root: rx.State, user: User, db: Session, now: datetime, path: str
) -> None:
    _dated(db, user, late=-2, due_now=0, tomorrow=1)
    sign_in(root, user)
    state, _events = _load(root, path)
    marked = {task.title: task.day_in_heading for task in state.tasks}
    # Under "Overdue" the badge says how late: it stays.
    expected = {"late": False, "due_now": True, "tomorrow": True}
    assert marked == {title: expected[title] for title in marked}


@pytest.mark.parametrize("path", ["/inbox", "/completed"])
def test_a_list_not_grouped_by_due_day_leaves_each_rows_day_on_its_badge(
    root: rx.State, user: User, db: Session, now: datetime, path: str
) -> None:
    _dated(db, user, due_now=0, tomorrow=1)
    done = make_task(db, user, title="done", due_date=date(2030, 6, 1))
    tasks.toggle_task(db, owner_id=user.id, task_id=done.id)
    db.commit()
    sign_in(root, user)
    state, _events = _load(root, path)
    assert state.tasks
    assert not any(task.day_in_heading for task in state.tasks)


def test_renaming_a_row_in_place_keeps_it_marked_under_its_heading(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    _dated(db, user, due_now=0)
    sign_in(root, user)
    state, _events = _load(root, "/today")
    call(state, TaskState.start_edit, state.tasks[0].id)
    call(state, TaskState.save_edit, "Call dad")
    assert [(t.title, t.day_in_heading) for t in state.tasks] == [("Call dad", True)]


def test_a_task_added_in_today_is_due_today(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    sign_in(root, user)
    state, _events = _load(root, "/today")
    call(state, TaskState.add_task, {"title": "Call mum"})
    assert [(t.title, t.due_date) for t in state.tasks] == [("Call mum", "2030-06-01")]


def test_a_task_added_in_the_inbox_stays_undated(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    sign_in(root, user)
    state, _events = _load(root, "/inbox")
    call(state, TaskState.add_task, {"title": "Someday"})
    assert [(t.title, t.due_date) for t in state.tasks] == [("Someday", "")]


def test_completing_a_task_in_today_takes_it_off_the_list(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    _dated(db, user, first=0, second=0)
    sign_in(root, user)
    state, _events = _load(root, "/today")
    call(state, TaskState.toggle, state.tasks[0].id)
    assert [task.title for task in state.tasks] == ["second"]
