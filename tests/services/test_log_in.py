"""sessions.log_in: the async login the API and the UI use; bcrypt runs off the loop and the pool."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlmodel import Session, select

from tests.builders import make_user
from todo_app.db import get_engine
from todo_app.errors import InvalidCredentials
from todo_app.models import ThrottleEvent, UserSession
from todo_app.services import passwords, sessions


def test_log_in_returns_a_token_for_the_user(session: Session) -> None:
    user = make_user(session, email="ada@example.com", password="password123")
    issued = asyncio.run(
        sessions.log_in(email="ADA@example.com", password="password123")
    )
    assert sessions.user_for_token(session, token=issued.access_token).id == user.id


def test_log_in_starts_a_session_with_the_user_agent(session: Session) -> None:
    make_user(session, email="ada@example.com", password="password123")
    asyncio.run(
        sessions.log_in(
            email="ada@example.com", password="password123", user_agent="Firefox/150"
        )
    )
    assert session.exec(select(UserSession.user_agent)).all() == ["Firefox/150"]


def test_log_in_with_a_wrong_password_is_refused_and_counted(session: Session) -> None:
    make_user(session, email="ada@example.com", password="password123")
    with pytest.raises(InvalidCredentials):
        asyncio.run(
            sessions.log_in(
                email="ada@example.com", password="wrong-password", client="c"
            )
        )
    session.commit()
    failures = session.exec(select(ThrottleEvent)).all()
    assert [(f.account, f.client) for f in failures] == [("ada@example.com", "c")]


def test_bcrypt_runs_off_the_event_loop_without_a_database_connection(
    session: Session, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(session, email="ada@example.com", password="password123")
    session.commit()
    seen: list[tuple[bool, int]] = []
    real_verify = passwords.verify_password

    def spy(password: str, password_hash: str) -> bool:
        on_loop_thread = threading.current_thread() is threading.main_thread()
        seen.append((on_loop_thread, get_engine(database_url).pool.checkedout()))
        return real_verify(password, password_hash)

    monkeypatch.setattr(passwords, "verify_password", spy)
    asyncio.run(sessions.log_in(email="ada@example.com", password="password123"))
    assert seen == [(False, 0)]


def test_a_failed_login_is_recorded_in_the_callers_transaction(
    session: Session,
) -> None:
    make_user(session, email="ada@example.com", password="password123")
    attempt = sessions.start_login(session, email="ada@example.com", client="c")
    assert (
        sessions.finish_login(
            session, attempt=attempt, matched=False, start=lambda _s, user_id: user_id
        )
        is None
    )
    session.rollback()  # the caller's unit of work decides: nothing was committed for it
    assert session.exec(select(ThrottleEvent)).all() == []
