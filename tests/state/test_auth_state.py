"""AuthState: register, log in (rate limited), log out, and what never reaches the browser."""

from __future__ import annotations

import json

import pytest
import reflex as rx
from sqlmodel import Session, select

from tests.builders import make_task
from tests.state.conftest import call, fetch, redirect_path, sign_in, substate
from todo_app.models import ThrottleEvent, User
from todo_app.services import sessions
from todo_app.settings import get_settings
from todo_app.state.auth import AuthState
from todo_app.state.tasks import TaskState


def public_state_json(root: rx.State) -> str:
    """Everything the browser could receive from the state tree: every non-backend var."""
    return json.dumps(root.dict(), default=str)


def test_register_signs_in_and_goes_home(root: rx.State, db: Session) -> None:
    state = substate(root, AuthState)
    events = call(
        state,
        AuthState.register,
        {"name": "Ada", "email": " Ada@Example.com ", "password": "password123"},
    )
    assert redirect_path(events) == "/"
    assert state.auth_error == ""
    user = fetch(db, select(User).where(User.email == "ada@example.com"))[0]
    assert sessions.user_for_token(db, token=state.auth_token).id == user.id


def test_register_with_taken_email_shows_error(root: rx.State, user: User) -> None:
    state = substate(root, AuthState)
    events = call(
        state,
        AuthState.register,
        {"email": "ada@example.com", "password": "password123"},
    )
    assert redirect_path(events) is None
    assert state.auth_error == "An account with this email already exists"
    assert state.auth_token == ""


def test_register_with_short_password_shows_error(root: rx.State) -> None:
    state = substate(root, AuthState)
    call(state, AuthState.register, {"email": "bo@example.com", "password": "short"})
    assert state.auth_error == "Password must be at least 8 characters"
    assert state.auth_token == ""


def test_register_with_invalid_email_shows_error(root: rx.State) -> None:
    state = substate(root, AuthState)
    call(state, AuthState.register, {"email": "nope", "password": "password123"})
    assert state.auth_error == "Email must be a valid email address"


def test_login_signs_in_and_goes_home(root: rx.State, user: User, db: Session) -> None:
    state = substate(root, AuthState)
    events = call(
        state,
        AuthState.login,
        {"email": "ADA@example.com", "password": "password123"},
    )
    assert redirect_path(events) == "/"
    assert sessions.user_for_token(db, token=state.auth_token).id == user.id
    assert state.signed_in


def test_login_with_wrong_password_shows_error(root: rx.State, user: User) -> None:
    state = substate(root, AuthState)
    events = call(
        state, AuthState.login, {"email": "ada@example.com", "password": "wrong-one"}
    )
    assert redirect_path(events) is None
    assert state.auth_error == "Incorrect email or password"
    assert state.auth_token == ""


def test_login_failures_are_counted_per_client_address(
    root: rx.State, user: User, db: Session
) -> None:
    state = substate(root, AuthState)
    call(state, AuthState.login, {"email": "ada@example.com", "password": "wrong-one"})
    failure = fetch(db, select(ThrottleEvent))[0]
    assert failure.client == "203.0.113.7"


def test_login_is_rate_limited_after_repeated_failures(
    root: rx.State, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TODO_LOGIN_MAX_FAILURES", "2")
    get_settings.cache_clear()
    state = substate(root, AuthState)
    for _ in range(2):
        call(state, AuthState.login, {"email": "ada@example.com", "password": "bad"})
    call(
        state, AuthState.login, {"email": "ada@example.com", "password": "password123"}
    )
    assert state.auth_error == "Too many failed login attempts. Try again later."
    assert state.auth_token == ""


def test_login_with_a_non_dict_form_shows_error(root: rx.State, user: User) -> None:
    state = substate(root, AuthState)
    call(state, AuthState.login, ["ada@example.com", "password123"])
    assert state.auth_error == "Incorrect email or password"


def test_logout_clears_the_token_and_every_page_state(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Private plan")
    sign_in(root, user)
    tasks_state = substate(root, TaskState)
    call(tasks_state, TaskState.load_page)
    assert [task.title for task in tasks_state.tasks] == ["Private plan"]

    events = call(substate(root, AuthState), AuthState.logout)

    assert redirect_path(events) == "/login"
    assert substate(root, AuthState).auth_token == ""
    assert tasks_state.tasks == []
    assert "Private plan" not in public_state_json(root)


def test_open_auth_page_sends_a_signed_in_user_home(root: rx.State, user: User) -> None:
    sign_in(root, user)
    events = call(substate(root, AuthState), AuthState.open_auth_page)
    assert redirect_path(events) == "/"


def test_an_ended_session_is_dropped(root: rx.State, user: User, db: Session) -> None:
    sign_in(root, user)
    sessions.end_all_sessions(db, user_id=user.id)
    db.commit()
    state = substate(root, AuthState)
    events = call(state, AuthState.open_auth_page)
    assert redirect_path(events) is None
    assert state.auth_token == ""
    assert not state.signed_in


def test_no_password_or_hash_reaches_a_public_var(
    root: rx.State, user: User, db: Session
) -> None:
    state = substate(root, AuthState)
    call(
        state,
        AuthState.register,
        {"name": "Cy", "email": "cy@example.com", "password": "secret-password-1"},
    )
    call(state, AuthState.login, {"email": "cy@example.com", "password": "wrong-pass"})
    call(
        state,
        AuthState.login,
        {"email": "cy@example.com", "password": "secret-password-1"},
    )
    call(substate(root, TaskState), TaskState.load_page)
    public = public_state_json(root)
    stored_hash = fetch(db, select(User).where(User.email == "cy@example.com"))[0]
    assert "secret-password-1" not in public
    assert "wrong-pass" not in public
    assert stored_hash.password_hash not in public
    assert user.email not in public
