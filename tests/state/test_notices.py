"""Messages belong to the page they are about: loading another page dismisses them, unless
the action that showed them led there."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from tests.builders import make_project, make_task
from tests.state.conftest import (
    call,
    open_page,
    redirect_path,
    shown_notice,
    sign_in,
    substate,
)
from todo_app.models import User
from todo_app.state.auth import AuthState
from todo_app.state.projects import ProjectState
from todo_app.state.tasks import TaskState


def _load(root: rx.State, path: str) -> TaskState:
    """The page at `path`, loaded as its on_load events do."""
    open_page(root, path)
    call(substate(root, AuthState), AuthState.dismiss_stale_notice)
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    return state


def test_a_message_goes_when_another_page_loads(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Pay rent")
    sign_in(root, user)
    state = _load(root, "/inbox")
    call(state, TaskState.delete, task.id)
    assert shown_notice(root) == "Deleted 'Pay rent'"
    _load(root, "/inbox?q=rent")  # the same page, filtered
    assert shown_notice(root) == "Deleted 'Pay rent'"
    _load(root, "/today")
    assert (shown_notice(root), substate(root, AuthState).notice_undo) == ("", False)


def test_a_message_follows_the_redirect_of_its_action(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home")
    sign_in(root, user)
    _load(root, f"/projects/{home.id}")
    events = call(substate(root, ProjectState), ProjectState.delete_project)
    assert redirect_path(events) == "/inbox"
    state = _load(root, "/inbox")
    assert shown_notice(root) == "Deleted Home"
    events = call(state, TaskState.undo)
    assert redirect_path(events) == f"/projects/{home.id}"
    _load(root, f"/projects/{home.id}")
    assert shown_notice(root) == "Undone"
    _load(root, "/inbox")
    assert shown_notice(root) == ""
