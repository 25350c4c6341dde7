"""SettingsState: name, password and account deletion, through the same services as the API."""

from __future__ import annotations

import pytest
import reflex as rx
from sqlmodel import Session, select

from tests.builders import log_in_user, make_task
from tests.state.conftest import call, fetch, redirect_path, sign_in, substate
from todo_app.errors import InvalidToken
from todo_app.models import Task, User
from todo_app.services import sessions
from todo_app.state.settings import SettingsState
from todo_app.state.tasks import TaskState


def loaded(root: rx.State, user: User) -> SettingsState:
    """The settings state of `user`, loaded as the browser's on_load would."""
    sign_in(root, user)
    state = substate(root, SettingsState)
    assert call(state, SettingsState.load_settings) == []
    return state


def test_load_settings_without_a_session_redirects(root: rx.State, user: User) -> None:
    state = substate(root, SettingsState)
    assert redirect_path(call(state, SettingsState.load_settings)) == "/login"
    assert state.email == ""


def test_load_settings_shows_the_users_name_and_email(
    root: rx.State, user: User
) -> None:
    state = loaded(root, user)
    assert (state.name, state.email) == ("Ada", "ada@example.com")


def test_save_name_changes_the_name(root: rx.State, user: User, db: Session) -> None:
    state = loaded(root, user)
    call(state, SettingsState.save_name, {"name": "  Ada Lovelace "})
    assert state.name == "Ada Lovelace"
    assert fetch(db, select(User.name)) == ["Ada Lovelace"]


def test_save_name_too_long_shows_error(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    call(state, SettingsState.save_name, {"name": "x" * 101})
    assert state.profile_error == "Name must be at most 100 characters"
    assert fetch(db, select(User.name)) == ["Ada"]


def test_change_password_keeps_this_browser_signed_in(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    old_token = state.auth_token
    call(
        state,
        SettingsState.change_password,
        {"current_password": "password123", "new_password": "new-password-1"},
    )
    assert state.password_error == ""
    db.expire_all()
    assert sessions.user_for_token(db, token=state.auth_token).id == user.id
    with pytest.raises(InvalidToken):
        sessions.user_for_token(db, token=old_token)
    db.commit()
    assert log_in_user(db, email="ada@example.com", password="new-password-1")


def test_change_password_with_wrong_current_password_shows_error(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    call(
        state,
        SettingsState.change_password,
        {"current_password": "not-it-at-all", "new_password": "new-password-1"},
    )
    assert state.password_error == "The current password is incorrect"
    assert log_in_user(db, email="ada@example.com", password="password123")


def test_change_password_to_a_short_one_shows_error(root: rx.State, user: User) -> None:
    state = loaded(root, user)
    call(
        state,
        SettingsState.change_password,
        {"current_password": "password123", "new_password": "short"},
    )
    assert state.password_error == "New password must be at least 8 characters"


def test_delete_account_needs_confirmation_then_deletes_everything(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Private plan")
    state = loaded(root, user)
    call(substate(root, TaskState), TaskState.load_page)
    call(state, SettingsState.ask_delete_account)
    assert state.confirming_delete

    events = call(state, SettingsState.delete_account)

    assert redirect_path(events) == "/register"
    assert state.auth_token == ""
    assert fetch(db, select(User)) == []
    assert fetch(db, select(Task)) == []
    assert substate(root, TaskState).tasks == []


def test_cancel_delete_account_keeps_it(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    call(state, SettingsState.ask_delete_account)
    call(state, SettingsState.cancel_delete_account)
    assert not state.confirming_delete
    assert len(fetch(db, select(User))) == 1


def test_delete_account_without_a_session_deletes_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    state = substate(root, SettingsState)
    assert redirect_path(call(state, SettingsState.delete_account)) == "/login"
    assert len(fetch(db, select(User))) == 1
