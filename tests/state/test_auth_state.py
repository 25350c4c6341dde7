"""AuthState: register, log in (rate limited), resume, log out, and what the server keeps.

The tab's session is remembered server-side with the websocket it was proven on; the browser
keeps a random key, and no credential is ever part of the state.
"""

from __future__ import annotations

import json
import pickle

import pytest
import reflex as rx
from sqlmodel import Session, select

from tests.builders import make_task, token_for
from tests.state.conftest import (
    call,
    fetch,
    new_browser_key,
    open_page,
    redirect_path,
    sign_in,
    substate,
)
from todo_app.models import Task, ThrottleEvent, User, UserSession
from todo_app.services import sessions
from todo_app.settings import get_settings
from todo_app.state.auth import PAGE_LOADERS, AuthState, safe_next
from todo_app.state.tasks import TaskState

ADA = {"email": "ada@example.com", "password": "password123"}


def public_state_json(root: rx.State) -> str:
    """Everything the browser could receive from the state tree: every non-backend var."""
    return json.dumps(root.dict(), default=str)


def stored_sessions(db: Session, user_id: int) -> list[UserSession]:
    return fetch(db, select(UserSession).where(UserSession.user_id == user_id))


def login(root: rx.State, form: dict[str, str], key: str | None = None) -> list:
    return call(
        substate(root, AuthState),
        AuthState.login,
        form,
        key or new_browser_key(),
        "Europe/Paris",
    )


# --- register and log in -------------------------------------------------------------------


def test_register_signs_in_and_goes_home(root: rx.State, db: Session) -> None:
    state = substate(root, AuthState)
    key = new_browser_key()
    events = call(
        state,
        AuthState.register,
        {"name": "Ada", "email": " Ada@Example.com ", "password": "password123"},
        key,
        "Pacific/Auckland",
    )
    assert redirect_path(events) == "/"
    assert state.auth_error == ""
    assert state.signed_in
    user = fetch(db, select(User).where(User.email == "ada@example.com"))[0]
    assert user.timezone == "Pacific/Auckland"
    assert sessions.resume_browser_session(db, browser_key=key).user.id == user.id


def test_register_with_an_unknown_browser_time_zone_uses_utc(
    root: rx.State, db: Session
) -> None:
    call(
        substate(root, AuthState),
        AuthState.register,
        {"email": "bo@example.com", "password": "password123"},
        new_browser_key(),
        "Mars/Olympus_Mons",
    )
    user = fetch(db, select(User).where(User.email == "bo@example.com"))[0]
    assert user.timezone == "UTC"


def test_register_with_a_forged_browser_key_creates_no_account(
    root: rx.State, db: Session
) -> None:
    state = substate(root, AuthState)
    call(
        state,
        AuthState.register,
        {"email": "bo@example.com", "password": "password123"},
        "not-a-key",
    )
    assert state.auth_error != ""
    assert fetch(db, select(User).where(User.email == "bo@example.com")) == []


def test_register_with_taken_email_shows_error(root: rx.State, user: User) -> None:
    state = substate(root, AuthState)
    events = call(state, AuthState.register, ADA, new_browser_key())
    assert redirect_path(events) is None
    assert state.auth_error == "An account with this email already exists"
    assert not state.signed_in


def test_register_with_short_password_shows_error(root: rx.State) -> None:
    state = substate(root, AuthState)
    call(
        state,
        AuthState.register,
        {"email": "bo@example.com", "password": "short"},
        new_browser_key(),
    )
    assert state.auth_error == "Password must be at least 8 characters"


def test_register_with_invalid_email_shows_error(root: rx.State) -> None:
    state = substate(root, AuthState)
    call(
        state,
        AuthState.register,
        {"email": "nope", "password": "password123"},
        new_browser_key(),
    )
    assert state.auth_error == "Email must be a valid email address"


def test_login_signs_in_and_goes_home(root: rx.State, user: User, db: Session) -> None:
    key = new_browser_key()
    events = login(root, {**ADA, "email": "ADA@example.com"}, key)
    assert redirect_path(events) == "/"
    assert substate(root, AuthState).signed_in
    assert sessions.resume_browser_session(db, browser_key=key).user.id == user.id
    assert [row.user_agent for row in stored_sessions(db, user.id)] == ["TestBrowser"]


def test_login_takes_the_browser_time_zone_while_the_account_has_the_default(
    root: rx.State, user: User, db: Session
) -> None:
    login(root, ADA)
    assert fetch(db, select(User.timezone).where(User.id == user.id)) == [
        "Europe/Paris"
    ]


def test_login_goes_back_to_the_page_the_tab_was_sent_from(
    root: rx.State, user: User
) -> None:
    open_page(root, "/login?next=%2Fsettings")
    assert redirect_path(login(root, ADA)) == "/settings"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example", "//evil.example/x", "/\\evil.example", "javascript:x", ""],
)
def test_login_never_follows_next_off_the_site(target: str) -> None:
    assert safe_next(target) == "/"


def test_login_with_wrong_password_shows_error(root: rx.State, user: User) -> None:
    events = login(root, {**ADA, "password": "wrong-one"})
    state = substate(root, AuthState)
    assert redirect_path(events) is None
    assert state.auth_error == "Incorrect email or password"
    assert not state.signed_in


def test_login_failures_are_counted_per_client_address(
    root: rx.State, user: User, db: Session
) -> None:
    login(root, {**ADA, "password": "wrong-one"})
    failure = fetch(db, select(ThrottleEvent))[0]
    assert failure.client == "203.0.113.7"


def test_login_is_rate_limited_after_repeated_failures(
    root: rx.State, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TODO_LOGIN_MAX_FAILURES", "2")
    get_settings.cache_clear()
    for _ in range(2):
        login(root, {**ADA, "password": "bad-password"})
    login(root, ADA)
    state = substate(root, AuthState)
    assert state.auth_error == "Too many failed login attempts. Try again later."
    assert not state.signed_in


def test_login_with_a_non_dict_form_shows_error(root: rx.State, user: User) -> None:
    state = substate(root, AuthState)
    call(state, AuthState.login, ["ada@example.com", "password123"], new_browser_key())
    assert state.auth_error == "Incorrect email or password"


# --- resuming, and events on another socket --------------------------------------------------


def test_resume_with_the_browsers_key_signs_the_tab_in_and_loads_the_page(
    root: rx.State, user: User, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(PAGE_LOADERS, "/", TaskState.load_page)  # as todo_app.py does
    make_task(db, user, title="Private plan")
    key = sign_in(root, user)
    open_page(root, "/", socket="socket-after-reconnect")
    state = substate(root, AuthState)
    events = call(state, AuthState.resume, key)
    assert state.signed_in
    assert [event.handler.fn.__name__ for event in events] == ["load_page"]


def test_resume_without_a_valid_key_goes_to_login_and_back(root: rx.State) -> None:
    open_page(root, "/settings")
    events = call(substate(root, AuthState), AuthState.resume, "", "/settings/")
    assert redirect_path(events) == "/login?next=%2Fsettings"


def test_resume_comes_back_to_the_view_with_its_filters(root: rx.State) -> None:
    events = call(
        substate(root, AuthState), AuthState.resume, "", "/?filter=active&tag=home"
    )
    assert redirect_path(events) == "/login?next=%2F%3Ffilter%3Dactive%26tag%3Dhome"


def test_resume_never_sends_the_tab_off_the_site(root: rx.State) -> None:
    events = call(substate(root, AuthState), AuthState.resume, "", "//evil.example/x")
    assert redirect_path(events) == "/login"


def test_an_event_on_another_socket_finds_the_tab_signed_out(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Private plan")
    sign_in(root, user)
    # Someone replays this tab's state token on a socket of their own.
    open_page(root, "/", socket="attacker-socket")
    tasks_state = substate(root, TaskState)
    call(tasks_state, TaskState.refresh)
    assert not substate(root, AuthState).signed_in
    assert tasks_state.tasks == []
    call(tasks_state, TaskState.add_task, {"title": "Injected"})
    assert fetch(db, select(Task).where(Task.title == "Injected")) == []


def test_a_replayed_tab_without_the_key_cannot_resume(
    root: rx.State, user: User
) -> None:
    sign_in(root, user)
    open_page(root, "/", socket="attacker-socket")
    events = call(substate(root, AuthState), AuthState.resume, new_browser_key())
    assert redirect_path(events) == "/login"
    assert not substate(root, AuthState).signed_in


def test_an_ended_session_signs_the_tab_out(
    root: rx.State, user: User, db: Session
) -> None:
    sign_in(root, user)
    sessions.end_all_sessions(db, user_id=user.id)
    db.commit()
    tasks_state = substate(root, TaskState)
    call(tasks_state, TaskState.refresh)
    assert not substate(root, AuthState).signed_in


def test_open_auth_page_sends_a_signed_in_browser_home(
    root: rx.State, user: User
) -> None:
    key = sign_in(root, user)
    open_page(root, "/login", socket="new-tab")
    events = call(substate(root, AuthState), AuthState.open_auth_page, key)
    assert redirect_path(events) == "/"


def test_open_auth_page_stays_without_a_valid_key(root: rx.State) -> None:
    open_page(root, "/login")
    events = call(substate(root, AuthState), AuthState.open_auth_page, "")
    assert redirect_path(events) is None


# --- logging out -----------------------------------------------------------------------------


def test_logout_ends_the_session_and_clears_every_page_state(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Private plan")
    key = sign_in(root, user)
    tasks_state = substate(root, TaskState)
    call(tasks_state, TaskState.load_page)
    assert [task.title for task in tasks_state.tasks] == ["Private plan"]

    events = call(substate(root, AuthState), AuthState.logout)

    assert redirect_path(events) == "/login"
    assert tasks_state.tasks == []
    assert "Private plan" not in public_state_json(root)
    assert stored_sessions(db, user.id) == []
    with pytest.raises(sessions.InvalidToken):
        sessions.resume_browser_session(db, browser_key=key)


def test_logout_takes_the_pages_messages_with_it(root: rx.State, user: User) -> None:
    sign_in(root, user)
    auth = substate(root, AuthState)
    auth._notify("Task not found", "error")
    call(auth, AuthState.logout)
    assert (auth.notice, auth.notice_undo) == ("", False)


def test_logout_leaves_the_other_sessions_signed_in(
    root: rx.State, user: User, db: Session
) -> None:
    api_token = token_for(db, user)
    sign_in(root, user)
    call(substate(root, AuthState), AuthState.logout)
    assert sessions.user_for_token(db, token=api_token).id == user.id


# --- what the server keeps -------------------------------------------------------------------


def test_the_state_holds_no_credential_and_no_password(
    root: rx.State, user: User, db: Session
) -> None:
    key = new_browser_key()
    state = substate(root, AuthState)
    call(
        state,
        AuthState.register,
        {"name": "Cy", "email": "cy@example.com", "password": "secret-password-1"},
        key,
    )
    login(root, {"email": "cy@example.com", "password": "wrong-pass"})
    login(root, {"email": "cy@example.com", "password": "secret-password-1"}, key)
    call(substate(root, TaskState), TaskState.load_page)
    # What a state manager persists (disk or Redis) is the pickled tree.
    persisted = pickle.dumps(root).decode("latin-1")
    public = public_state_json(root)
    stored = fetch(db, select(User).where(User.email == "cy@example.com"))[0]
    for secret in ("secret-password-1", "wrong-pass", key, stored.password_hash):
        assert secret not in persisted
        assert secret not in public
    assert "eyJ" not in persisted  # no JWT either
    assert user.email not in public


def test_the_session_check_shown_while_logging_out_does_not_redirect_again(
    root: rx.State, user: User
) -> None:
    key = sign_in(root, user)
    state = substate(root, AuthState)
    events = call(state, AuthState.logout)
    assert redirect_path(events) == "/login"
    # The frame shows its session check before the redirect lands; it asks to resume with
    # the key the browser is just removing: the tab is already on its way.
    assert call(state, AuthState.resume, key, "/settings/") == []
    # Later, a resume is a resume again.
    assert redirect_path(call(state, AuthState.resume, key, "/settings/")) == (
        "/login?next=%2Fsettings"
    )


def test_arriving_on_the_login_page_ends_the_logout(root: rx.State, user: User) -> None:
    key = sign_in(root, user)
    state = substate(root, AuthState)
    call(state, AuthState.logout)
    call(state, AuthState.open_auth_page, "")
    assert redirect_path(call(state, AuthState.resume, key, "/settings/")) == (
        "/login?next=%2Fsettings"
    )
