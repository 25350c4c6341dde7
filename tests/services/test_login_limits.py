"""Brute-force limits: failures per account and client within a sliding window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.builders import log_in_user, make_user
from todo_app.db import get_engine
from todo_app.errors import InvalidCredentials, TooManyAttempts
from todo_app.models import LoginFailure
from todo_app.services import login_limits
from todo_app.settings import get_settings

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
EMAIL = "ada@example.com"
PASSWORD = "password123"


def _fail(session: Session, times: int, *, client: str, now: datetime = NOW) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            log_in_user(
                session, email=EMAIL, password="wrong-password", client=client, now=now
            )


def test_check_login_allowed_below_the_limit_passes(session: Session) -> None:
    make_user(session, email=EMAIL, password=PASSWORD)
    _fail(session, get_settings().login_max_failures - 1, client="attacker")
    login_limits.check_login_allowed(session, email=EMAIL, client="attacker", now=NOW)


def test_check_login_allowed_at_the_limit_raises_too_many_attempts(
    session: Session,
) -> None:
    make_user(session, email=EMAIL, password=PASSWORD)
    _fail(session, get_settings().login_max_failures, client="attacker")
    with pytest.raises(TooManyAttempts) as error:
        login_limits.check_login_allowed(
            session, email=EMAIL, client="attacker", now=NOW
        )
    window = get_settings().login_window_minutes * 60
    assert 0 < error.value.retry_after <= window + 1


def test_authenticate_at_the_limit_rejects_even_the_right_password(
    session: Session,
) -> None:
    make_user(session, email=EMAIL, password=PASSWORD)
    _fail(session, get_settings().login_max_failures, client="attacker")
    with pytest.raises(TooManyAttempts):
        log_in_user(session, email=EMAIL, password=PASSWORD, client="attacker", now=NOW)


def test_authenticate_locked_account_still_works_from_another_client(
    session: Session,
) -> None:
    user = make_user(session, email=EMAIL, password=PASSWORD)
    _fail(session, get_settings().login_max_failures, client="attacker")
    found = log_in_user(
        session, email=EMAIL, password=PASSWORD, client="owner", now=NOW
    )
    assert found.id == user.id


def test_authenticate_locked_client_can_log_into_another_account(
    session: Session,
) -> None:
    other = make_user(session, email="bob@example.com", password=PASSWORD)
    make_user(session, email=EMAIL, password=PASSWORD)
    _fail(session, get_settings().login_max_failures, client="shared-ip")
    found = log_in_user(
        session, email="bob@example.com", password=PASSWORD, client="shared-ip", now=NOW
    )
    assert found.id == other.id


def test_authenticate_after_the_window_works_again(session: Session) -> None:
    user = make_user(session, email=EMAIL, password=PASSWORD)
    _fail(session, get_settings().login_max_failures, client="attacker")
    later = NOW + timedelta(minutes=get_settings().login_window_minutes, seconds=1)
    found = log_in_user(
        session, email=EMAIL, password=PASSWORD, client="attacker", now=later
    )
    assert found.id == user.id


def test_check_login_allowed_retry_after_matches_the_oldest_failure(
    session: Session,
) -> None:
    make_user(session, email=EMAIL, password=PASSWORD)
    _fail(session, 1, client="attacker", now=NOW)
    _fail(
        session,
        get_settings().login_max_failures - 1,
        client="attacker",
        now=NOW + timedelta(minutes=5),
    )
    with pytest.raises(TooManyAttempts) as error:
        login_limits.check_login_allowed(
            session, email=EMAIL, client="attacker", now=NOW + timedelta(minutes=5)
        )
    window = get_settings().login_window_minutes * 60
    assert window - 5 * 60 <= error.value.retry_after <= window - 5 * 60 + 1


def test_authenticate_success_clears_that_clients_failures(session: Session) -> None:
    make_user(session, email=EMAIL, password=PASSWORD)
    limit = get_settings().login_max_failures
    _fail(session, limit - 1, client="owner")
    log_in_user(session, email=EMAIL, password=PASSWORD, client="owner", now=NOW)
    session.commit()
    _fail(session, limit - 1, client="owner")
    login_limits.check_login_allowed(session, email=EMAIL, client="owner", now=NOW)


def test_authenticate_failure_is_committed_despite_the_error(
    session: Session, database_url: str
) -> None:
    make_user(session, email=EMAIL, password=PASSWORD)
    _fail(session, 1, client="attacker")
    session.rollback()  # what the caller's session_scope does with the error
    with Session(get_engine(database_url)) as other_process:
        failures = other_process.exec(select(LoginFailure)).all()
    assert [(f.email, f.client) for f in failures] == [(EMAIL, "attacker")]


def test_authenticate_unknown_email_failures_also_lock(session: Session) -> None:
    _fail(session, get_settings().login_max_failures, client="attacker")
    with pytest.raises(TooManyAttempts):
        login_limits.check_login_allowed(
            session, email=EMAIL, client="attacker", now=NOW
        )


def test_check_login_allowed_email_in_other_case_counts_the_same(
    session: Session,
) -> None:
    make_user(session, email=EMAIL, password=PASSWORD)
    _fail(session, get_settings().login_max_failures, client="attacker")
    with pytest.raises(TooManyAttempts):
        login_limits.check_login_allowed(
            session, email=" ADA@Example.com", client="attacker", now=NOW
        )


def test_authenticate_email_with_nul_raises_invalid_credentials(
    session: Session,
) -> None:
    # UserLogin lets NUL through and PostgreSQL refuses it in a query: no crash, same error.
    make_user(session, email=EMAIL, password=PASSWORD)
    with pytest.raises(InvalidCredentials):
        log_in_user(
            session, email="ada\x00@example.com", password=PASSWORD, client="c", now=NOW
        )


def test_authenticate_over_long_email_raises_invalid_credentials(
    session: Session,
) -> None:
    with pytest.raises(InvalidCredentials):
        log_in_user(
            session, email="a" * 300 + "@example.com", password=PASSWORD, now=NOW
        )


def test_authenticate_client_with_nul_counts_the_failure(session: Session) -> None:
    make_user(session, email=EMAIL, password=PASSWORD)
    _fail(session, get_settings().login_max_failures, client="evil\x00client")
    with pytest.raises(TooManyAttempts):
        login_limits.check_login_allowed(
            session, email=EMAIL, client="evil\x00client", now=NOW
        )
