"""SettingsState: name, time zone, password and account deletion, through the same services as
the API."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import reflex as rx
from sqlmodel import Session, select

from tests.builders import log_in_user, make_task, make_user
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


def loaded_timezone(root: rx.State, user: User) -> SettingsState:
    """The settings state of `user` after both on_load handlers of the page."""
    state = loaded(root, user)
    assert call(state, SettingsState.load_timezone) == []
    return state


def test_load_timezone_shows_the_users_time_zone(root: rx.State, db: Session) -> None:
    user = make_user(db, timezone="Asia/Tokyo")
    assert loaded_timezone(root, user).timezone == "Asia/Tokyo"


def test_load_timezone_without_a_session_redirects(root: rx.State) -> None:
    state = substate(root, SettingsState)
    assert redirect_path(call(state, SettingsState.load_timezone)) == "/login"
    assert state.timezone == ""


def test_save_timezone_stores_the_zone_as_iana_writes_it(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded_timezone(root, user)
    call(state, SettingsState.save_timezone, {"timezone": " europe/paris "})
    assert state.timezone == "Europe/Paris"
    assert state.timezone_error == ""
    assert fetch(db, select(User.timezone)) == ["Europe/Paris"]


def test_save_timezone_refuses_a_zone_that_does_not_exist(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded_timezone(root, user)
    call(state, SettingsState.save_timezone, {"timezone": "Mars/Olympus_Mons"})
    assert state.timezone_error == (
        "Time zone must be an IANA time zone name such as Europe/Paris"
    )
    assert state.timezone == "UTC"
    assert fetch(db, select(User.timezone)) == ["UTC"]


def test_save_timezone_without_a_session_changes_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    state = substate(root, SettingsState)
    events = call(state, SettingsState.save_timezone, {"timezone": "Europe/Paris"})
    assert redirect_path(events) == "/login"
    assert fetch(db, select(User.timezone)) == ["UTC"]


def test_a_new_time_zone_moves_today_on_the_task_page(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    # 23:30 UTC on June 1 is June 2 in Auckland: the task due June 2 becomes due today.
    make_task(db, user, title="Call mum", due_date=date(2030, 6, 2))
    call(
        loaded_timezone(root, user),
        SettingsState.save_timezone,
        {"timezone": "Pacific/Auckland"},
    )
    page = substate(root, TaskState)
    call(page, TaskState.load_page)
    assert page.tasks[0].due_state == "today"
