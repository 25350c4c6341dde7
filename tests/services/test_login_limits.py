"""Brute-force limits: growing delays per (account, client) pair, a cap per client, sign-ups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.builders import log_in_user, make_user
from todo_app.db import get_engine
from todo_app.errors import InvalidCredentials, TooManyAttempts
from todo_app.models import ThrottleEvent, ThrottleKind
from todo_app.services import login_limits
from todo_app.settings import get_settings

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
EMAIL = "ada@example.com"
PASSWORD = "password123"


def _free() -> int:
    return get_settings().login_max_failures


def _record(
    session: Session,
    times: int,
    *,
    client: str,
    email: str = EMAIL,
    now: datetime = NOW,
) -> None:
    for _ in range(times):
        login_limits.record_failure(session, email=email, client=client, now=now)
    session.commit()


def _retry_after(session: Session, *, client: str, now: datetime = NOW) -> int | None:
    try:
        login_limits.check_login_allowed(session, email=EMAIL, client=client, now=now)
    except TooManyAttempts as error:
        return error.retry_after
    return None


def test_check_login_allowed_below_the_free_failures_passes(session: Session) -> None:
    _record(session, _free() - 1, client="attacker")
    assert _retry_after(session, client="attacker") is None


def test_check_login_allowed_after_the_free_failures_makes_the_pair_wait(
    session: Session,
) -> None:
    _record(session, _free(), client="attacker")
    assert _retry_after(session, client="attacker") == 1
    assert (
        _retry_after(session, client="attacker", now=NOW + timedelta(seconds=1)) is None
    )


@pytest.mark.parametrize("extra", [0, 1, 2, 3, 6])
def test_pair_delay_doubles_with_each_further_failure(
    session: Session, extra: int
) -> None:
    _record(session, _free() + extra, client="attacker")
    assert _retry_after(session, client="attacker") == 2**extra


def test_pair_delay_never_exceeds_the_window(session: Session) -> None:
    _record(session, _free() + 40, client="attacker")
    window = get_settings().login_window_minutes * 60
    assert _retry_after(session, client="attacker") == window


def test_failures_of_many_clients_never_lock_the_owner_out(session: Session) -> None:
    user = make_user(session, email=EMAIL, password=PASSWORD)
    for attacker in range(30):
        _record(session, _free() + 5, client=f"198.51.100.{attacker}")
    found = log_in_user(
        session, email=EMAIL, password=PASSWORD, client="203.0.113.1", now=NOW
    )
    assert found.id == user.id


def test_waiting_pair_is_refused_even_with_the_right_password(session: Session) -> None:
    make_user(session, email=EMAIL, password=PASSWORD)
    _record(session, _free(), client="attacker")
    with pytest.raises(TooManyAttempts):
        log_in_user(session, email=EMAIL, password=PASSWORD, client="attacker", now=NOW)


def test_waiting_client_can_log_into_another_account(session: Session) -> None:
    other = make_user(session, email="bob@example.com", password=PASSWORD)
    _record(session, _free() + 3, client="shared-ip")
    found = log_in_user(
        session, email="bob@example.com", password=PASSWORD, client="shared-ip", now=NOW
    )
    assert found.id == other.id


def test_client_over_its_failure_cap_is_refused_for_every_account(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TODO_CLIENT_MAX_FAILURES", "20")
    get_settings.cache_clear()
    for account in range(20):
        _record(session, 1, client="stuffer", email=f"victim{account}@example.com")
    with pytest.raises(TooManyAttempts) as error:
        login_limits.check_login_allowed(
            session, email="fresh@example.com", client="stuffer", now=NOW
        )
    assert error.value.retry_after == get_settings().login_window_minutes * 60
    assert _retry_after(session, client="someone-else") is None


def test_failures_older_than_the_window_do_not_count(session: Session) -> None:
    long_ago = NOW - timedelta(minutes=get_settings().login_window_minutes, seconds=1)
    _record(session, _free() + 10, client="attacker", now=long_ago)
    assert _retry_after(session, client="attacker") is None


def test_successful_login_clears_that_pairs_failures(session: Session) -> None:
    make_user(session, email=EMAIL, password=PASSWORD)
    _record(session, _free() - 1, client="owner")
    log_in_user(session, email=EMAIL, password=PASSWORD, client="owner", now=NOW)
    _record(session, _free() - 1, client="owner")
    assert _retry_after(session, client="owner") is None


def test_failed_login_is_recorded_for_other_processes(
    session: Session, database_url: str
) -> None:
    make_user(session, email=EMAIL, password=PASSWORD)
    with pytest.raises(InvalidCredentials):
        log_in_user(session, email=EMAIL, password="wrong", client="attacker", now=NOW)
    with Session(get_engine(database_url)) as other_process:
        failures = other_process.exec(select(ThrottleEvent)).all()
    assert [(f.kind, f.account, f.client) for f in failures] == [
        (ThrottleKind.failed_password, EMAIL, "attacker")
    ]


def test_unknown_email_failures_count_too(session: Session) -> None:
    _record(session, _free(), client="attacker")
    assert _retry_after(session, client="attacker") is not None


def test_email_in_other_case_counts_the_same(session: Session) -> None:
    _record(session, _free(), client="attacker", email=" ADA@Example.com")
    assert _retry_after(session, client="attacker") is not None


def test_log_in_email_with_nul_raises_invalid_credentials(session: Session) -> None:
    # UserLogin lets NUL through and PostgreSQL refuses it in a query: no crash, same error.
    make_user(session, email=EMAIL, password=PASSWORD)
    with pytest.raises(InvalidCredentials):
        log_in_user(
            session, email="ada\x00@example.com", password=PASSWORD, client="c", now=NOW
        )


def test_log_in_over_long_email_raises_invalid_credentials(session: Session) -> None:
    with pytest.raises(InvalidCredentials):
        log_in_user(
            session, email="a" * 300 + "@example.com", password=PASSWORD, now=NOW
        )


def test_client_with_nul_is_counted(session: Session) -> None:
    _record(session, _free(), client="evil\x00client")
    assert _retry_after(session, client="evil\x00client") is not None


# --- sign-ups ----------------------------------------------------------------------------------


def test_check_sign_up_allowed_refuses_once_the_hourly_share_is_used(
    session: Session,
) -> None:
    for _ in range(get_settings().signups_per_hour):
        login_limits.check_sign_up_allowed(session, client="c", now=NOW)
        login_limits.record_sign_up(session, client="c", now=NOW)
    with pytest.raises(TooManyAttempts) as error:
        login_limits.check_sign_up_allowed(session, client="c", now=NOW)
    assert error.value.retry_after == 3600
    login_limits.check_sign_up_allowed(session, client="other", now=NOW)


def test_check_sign_up_allowed_again_after_an_hour(session: Session) -> None:
    for _ in range(get_settings().signups_per_hour):
        login_limits.record_sign_up(session, client="c", now=NOW)
    login_limits.check_sign_up_allowed(
        session, client="c", now=NOW + timedelta(hours=1, seconds=1)
    )
