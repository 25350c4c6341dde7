"""The Settings sessions list: rows told apart by when they signed in and were last active,
and "last active" kept fresh by using the app over its websocket."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import reflex as rx
from sqlmodel import Session, select

from tests.state.conftest import NOW, call, fetch, new_browser_key, sign_in, substate
from todo_app.db import session_scope
from todo_app.models import User, UserSession
from todo_app.services import sessions
from todo_app.settings import get_settings
from todo_app.state import settings as settings_state
from todo_app.state.settings import SettingsState
from todo_app.state.tasks import TaskState


class Clock:
    """The time the sessions service and the settings page read, moved by the test."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Clock:
    """A clock stopped at NOW, and sessions that last long enough to be weeks old."""
    monkeypatch.setenv("TODO_TOKEN_TTL_MINUTES", str(60 * 24 * 60))
    get_settings.cache_clear()
    clock = Clock()
    monkeypatch.setattr(sessions, "utcnow", clock)
    monkeypatch.setattr(settings_state, "utcnow", clock)
    return clock


def _other_browser(user: User, *, now: datetime) -> None:
    """The same browser (same User-Agent) signed in again, e.g. after clearing its storage."""
    with session_scope() as session:
        sessions.start_browser_session(
            session,
            user_id=user.id,
            browser_key=new_browser_key(),
            user_agent="TestBrowser",
            now=now,
        )


def _loaded(root: rx.State) -> SettingsState:
    state = substate(root, SettingsState)
    assert call(state, SettingsState.load_settings) == []
    return state


def test_two_sign_ins_of_one_browser_are_told_apart_by_when(
    root: rx.State, user: User, clock: Clock
) -> None:
    _other_browser(user, now=NOW - timedelta(days=3))
    clock.now = NOW - timedelta(hours=2)
    sign_in(root, user)
    clock.now = NOW
    state = _loaded(root)
    shown = [(row.current, row.signed_in, row.last_active) for row in state.sessions]
    assert shown == [
        (True, "Signed in 2 hours ago", "Active now"),
        (False, "Signed in 3 days ago", "Active 3 days ago"),
    ]


def test_this_browser_comes_first_then_the_most_recently_active(
    root: rx.State, user: User, clock: Clock
) -> None:
    _other_browser(user, now=NOW - timedelta(days=10))
    _other_browser(user, now=NOW - timedelta(minutes=30))
    clock.now = NOW - timedelta(days=20)
    sign_in(root, user)
    clock.now = NOW
    state = _loaded(root)
    assert [row.signed_in for row in state.sessions] == [
        "Signed in 12 May",
        "Signed in 30 minutes ago",
        "Signed in 22 May",
    ]
    assert state.sessions[0].current


def test_using_the_app_over_the_websocket_moves_last_active(
    root: rx.State, user: User, db: Session, clock: Clock
) -> None:
    sign_in(root, user)
    clock.now = NOW + timedelta(minutes=20)
    call(substate(root, TaskState), TaskState.refresh)
    assert fetch(db, select(UserSession.last_seen_at)) == [NOW + timedelta(minutes=20)]


def test_events_within_the_resolution_write_no_last_seen(
    root: rx.State, user: User, db: Session, clock: Clock
) -> None:
    sign_in(root, user)
    clock.now = NOW + sessions.LAST_SEEN_RESOLUTION - timedelta(seconds=1)
    call(substate(root, TaskState), TaskState.refresh)
    assert fetch(db, select(UserSession.last_seen_at)) == [NOW]
