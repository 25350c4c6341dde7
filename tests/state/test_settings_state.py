"""SettingsState: name, time zone, password and account deletion, through the same services as
the API."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session, select

from tests.builders import log_in_user, make_project, make_task, make_user, token_for
from tests.state.conftest import (
    call,
    fetch,
    redirect_path,
    shown_notice,
    sign_in,
    substate,
    value_set,
)
from todo_app.db import session_scope
from todo_app.errors import InvalidToken, NotFound
from todo_app.models import ProjectUpdate, Task, User
from todo_app.services import calendar_feed, projects, sessions
from todo_app.services.changes import add_listener
from todo_app.state.live import hub
from todo_app.state.settings import CALENDAR_URL_ID, SettingsState
from todo_app.state.tasks import TaskState


def loaded(root: rx.State, user: User) -> SettingsState:
    """The settings state of `user`, loaded as the browser's on_load would."""
    sign_in(root, user)
    state = substate(root, SettingsState)
    assert call(state, SettingsState.load_settings) == []
    return state


def test_load_settings_without_a_session_shows_nothing(
    root: rx.State, user: User
) -> None:
    state = substate(root, SettingsState)
    call(state, SettingsState.load_settings)
    assert not state.signed_in  # the page's frame resumes the session or goes to /login
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
    other_browser = token_for(db, user)
    state = loaded(root, user)
    call(
        state,
        SettingsState.change_password,
        {"current_password": "password123", "new_password": "new-password-1"},
    )
    assert state.password_error == ""
    db.expire_all()
    with pytest.raises(InvalidToken):
        sessions.user_for_token(db, token=other_browser)
    db.rollback()  # on SQLite every transaction holds the write lock: end ours
    call(state, SettingsState.load_settings)
    assert state.signed_in
    assert [row.current for row in state.sessions] == [True]
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

    events = call(state, SettingsState.delete_account, {"password": "password123"})

    assert redirect_path(events) == "/register"
    assert not state.signed_in
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
    call(state, SettingsState.delete_account, {"password": "password123"})
    assert len(fetch(db, select(User))) == 1


def test_delete_account_with_a_wrong_password_keeps_everything(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    call(state, SettingsState.ask_delete_account)
    events = call(state, SettingsState.delete_account, {"password": "guess-1234"})
    assert redirect_path(events) is None
    assert state.delete_error == "The password is incorrect"
    assert state.confirming_delete
    assert len(fetch(db, select(User))) == 1


def test_sessions_list_marks_this_browser(
    root: rx.State, user: User, db: Session
) -> None:
    token_for(db, user)
    state = loaded(root, user)
    assert sorted(row.current for row in state.sessions) == [False, True]
    assert {row.device for row in state.sessions if row.current} == {"TestBrowser"}


def test_end_session_logs_another_browser_out(
    root: rx.State, user: User, db: Session
) -> None:
    other = token_for(db, user)
    state = loaded(root, user)
    other_id = next(row.id for row in state.sessions if not row.current)
    call(state, SettingsState.end_session, other_id)
    db.expire_all()
    with pytest.raises(InvalidToken):
        sessions.user_for_token(db, token=other)
    assert [row.current for row in state.sessions] == [True]


def test_end_session_of_another_users_session_changes_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    stranger = make_user(db, email="eve@example.com")
    theirs = token_for(db, stranger)
    state = loaded(root, user)
    their_id = sessions.authenticate(db, token=theirs).session_id
    db.commit()
    call(state, SettingsState.end_session, their_id)
    assert state.sessions_error == "Session not found"
    assert sessions.user_for_token(db, token=theirs).id == stranger.id


def test_end_all_sessions_logs_this_browser_out_too(
    root: rx.State, user: User, db: Session
) -> None:
    other = token_for(db, user)
    state = loaded(root, user)
    events = call(state, SettingsState.end_all_sessions)
    assert redirect_path(events) == "/login"
    assert not state.signed_in
    db.expire_all()
    with pytest.raises(InvalidToken):
        sessions.user_for_token(db, token=other)


def loaded_timezone(root: rx.State, user: User) -> SettingsState:
    """The settings state of `user` after the page loaded."""
    return loaded(root, user)


def test_load_settings_shows_the_users_time_zone(root: rx.State, db: Session) -> None:
    user = make_user(db, timezone="Asia/Tokyo")
    assert loaded_timezone(root, user).timezone == "Asia/Tokyo"


def test_load_settings_without_a_session_shows_no_time_zone(root: rx.State) -> None:
    state = substate(root, SettingsState)
    call(state, SettingsState.load_settings)
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
    call(state, SettingsState.save_timezone, {"timezone": "Europe/Paris"})
    assert not state.signed_in
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


# --- calendar feed -----------------------------------------------------------------------------


def test_show_calendar_url_puts_the_users_feed_url_into_the_page(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    events = call(state, SettingsState.show_calendar_url)
    with session_scope() as session:
        expected = calendar_feed.calendar_url(session, user_id=user.id)
    assert value_set(events, CALENDAR_URL_ID) == expected
    assert state.calendar_url_shown
    assert state.calendar_error == ""


def test_show_calendar_url_keeps_the_url_out_of_the_tabs_state(
    root: rx.State, user: User
) -> None:
    state = loaded(root, user)
    url = value_set(call(state, SettingsState.show_calendar_url), CALENDAR_URL_ID)
    assert _secret_of(url) not in repr(root.dict())


def test_show_calendar_url_signed_out_shows_nothing(root: rx.State, user: User) -> None:
    state = substate(root, SettingsState)
    events = call(state, SettingsState.show_calendar_url)
    assert value_set(events, CALENDAR_URL_ID) is None
    assert not state.calendar_url_shown


def test_new_calendar_url_asks_first_and_cancel_keeps_the_url(
    root: rx.State, user: User
) -> None:
    state = loaded(root, user)
    old = value_set(call(state, SettingsState.show_calendar_url), CALENDAR_URL_ID)
    call(state, SettingsState.ask_new_calendar_url)
    assert state.confirming_new_calendar_url
    call(state, SettingsState.cancel_new_calendar_url)
    assert not state.confirming_new_calendar_url
    again = value_set(call(state, SettingsState.show_calendar_url), CALENDAR_URL_ID)
    assert again == old


def test_new_calendar_url_replaces_the_url_and_the_old_one_opens_nothing(
    root: rx.State, user: User
) -> None:
    state = loaded(root, user)
    old = value_set(call(state, SettingsState.show_calendar_url), CALENDAR_URL_ID)
    call(state, SettingsState.ask_new_calendar_url)
    new = value_set(call(state, SettingsState.new_calendar_url), CALENDAR_URL_ID)
    assert new is not None and new != old
    assert not state.confirming_new_calendar_url
    assert "old one no longer works" in shown_notice(state)
    with session_scope() as session:
        with pytest.raises(NotFound):
            calendar_feed.feed_owner(session, secret=_secret_of(old))
        assert calendar_feed.feed_owner(session, secret=_secret_of(new)).id == user.id


def _secret_of(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_the_sidebar_beside_settings_follows_a_project_renamed_elsewhere(
    root: rx.State, user: User, db: Session
) -> None:
    project = make_project(db, user, name="Work")
    root.router = RouterData.from_router_data(
        {"pathname": "/settings", "asPath": "/settings", "token": "tab-settings"}
    )
    state = loaded(root, user)
    page = substate(root, TaskState)
    call(page, TaskState.load_projects)
    assert hub.watched_pages(user.id) == {"tab-settings"}
    projects.update_project(
        db, owner_id=user.id, project_id=project.id, data=ProjectUpdate(name="Job")
    )
    db.commit()
    asyncio.run(state._apply_live_change(user.id))
    assert [entry.name for entry in page.projects] == ["Job"]


def test_open_settings_lists_a_sign_in_made_elsewhere(
    root: rx.State, user: User, db: Session
) -> None:
    root.router = RouterData.from_router_data(
        {"pathname": "/settings", "asPath": "/settings", "token": "tab-settings"}
    )
    state = loaded(root, user)
    before = len(state.sessions)
    told: list[object] = []
    remove = add_listener(told.append)
    try:
        sessions.start_session(db, user_id=user.id, user_agent="curl/8.0")
        db.commit()
    finally:
        remove()
    assert told == [
        {user.id}
    ]  # the live hub hears of it, as of any change of the user's
    asyncio.run(state._apply_live_change(user.id))
    assert len(state.sessions) == before + 1
