"""Brute-force limits on password checks and sign-ups, counted in the database (all workers).

- An (account, client) pair may fail `login_max_failures` times within the window freely;
  after that each further attempt of that pair waits twice as long as the one before (1 s,
  2 s, 4 s, ... up to the window) and gets 429 meanwhile. Only that pair waits: the owner,
  from any other address, logs in as usual, however many others guessed wrong.
- A client address that failed `client_max_failures` times within the window, for any
  accounts, is refused every password check until its failures age out (credential stuffing).
- A client address may sign up `signups_per_hour` times an hour.
The client address is the one `todo_app.network.client_address` derives (trusted proxies only).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from todo_app.errors import TooManyAttempts
from todo_app.models import CLIENT_MAX, EMAIL_MAX, ThrottleEvent, ThrottleKind, utcnow
from todo_app.settings import get_settings

SIGN_UP_WINDOW = timedelta(hours=1)
TOO_MANY_FAILURES = "Too many failed login attempts. Try again later."
TOO_MANY_SIGN_UPS = "Too many accounts created from this address. Try again later."


def could_be_account_email(email: str) -> bool:
    """False for text no account's email can be (and PostgreSQL would refuse in a query)."""
    if "\x00" in email or len(email) > EMAIL_MAX:
        return False
    try:
        email.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def client_key(client: str) -> str:
    """The client address as stored: no NUL (PostgreSQL refuses it), at most CLIENT_MAX long."""
    return client.replace("\x00", "").encode("utf-8", "replace").decode()[:CLIENT_MAX]


def _window() -> timedelta:
    return timedelta(minutes=get_settings().login_window_minutes)


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


def pair_delay(failures: int) -> timedelta:
    """How long an (account, client) pair waits after its latest failure."""
    free = get_settings().login_max_failures
    if failures < free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - free, 30)), _window())


def check_login_allowed(
    session: Session, *, email: str, client: str, now: datetime | None = None
) -> None:
    """Raise TooManyAttempts while this client must wait before checking this password."""
    now = now or utcnow()
    email, client = email.strip().lower(), client_key(client)
    if not could_be_account_email(email):
        return
    since = now - _window()
    failed = ThrottleEvent.kind == ThrottleKind.failed_password
    of_pair = ThrottleEvent.account == email
    pair_failures, pair_latest, client_failures, client_oldest = session.exec(
        select(
            sa.func.count().filter(of_pair),
            sa.func.max(ThrottleEvent.at).filter(of_pair),
            sa.func.count(),
            sa.func.min(ThrottleEvent.at),
        ).where(failed, ThrottleEvent.client == client, ThrottleEvent.at > since)
    ).one()
    if client_failures >= get_settings().client_max_failures:
        raise TooManyAttempts(
            TOO_MANY_FAILURES,
            retry_after=_seconds_until(_aware(client_oldest, now) + _window(), now),
        )
    delay = pair_delay(pair_failures)
    if delay and now < (allowed_at := _aware(pair_latest, now) + delay):
        raise TooManyAttempts(
            TOO_MANY_FAILURES, retry_after=_seconds_until(allowed_at, now)
        )


def _aware(moment: datetime, now: datetime) -> datetime:
    # SQLite returns aggregates of timestamps without their zone.
    return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)


def record_failure(
    session: Session, *, email: str, client: str, now: datetime | None = None
) -> None:
    """Count a wrong password for this account and client."""
    email = email.strip().lower()
    if could_be_account_email(email):
        session.add(
            ThrottleEvent(
                kind=ThrottleKind.failed_password,
                account=email,
                client=client_key(client),
                at=now or utcnow(),
            )
        )


def clear_failures(
    session: Session, *, email: str, client: str, now: datetime | None = None
) -> None:
    """Forget this pair's failures after a success, and prune events no limit reads any more."""
    now = now or utcnow()
    session.exec(
        sa.delete(ThrottleEvent).where(
            ThrottleEvent.kind == ThrottleKind.failed_password,
            ThrottleEvent.account == email.strip().lower(),
            ThrottleEvent.client == client_key(client),
        )
    )
    oldest_needed = now - max(_window(), SIGN_UP_WINDOW)
    session.exec(sa.delete(ThrottleEvent).where(ThrottleEvent.at < oldest_needed))


def check_sign_up_allowed(
    session: Session, *, client: str, now: datetime | None = None
) -> None:
    """Raise TooManyAttempts when this client created its hourly share of accounts."""
    now = now or utcnow()
    count, oldest = session.exec(
        select(sa.func.count(), sa.func.min(ThrottleEvent.at)).where(
            ThrottleEvent.kind == ThrottleKind.sign_up,
            ThrottleEvent.client == client_key(client),
            ThrottleEvent.at > now - SIGN_UP_WINDOW,
        )
    ).one()
    if count >= get_settings().signups_per_hour:
        raise TooManyAttempts(
            TOO_MANY_SIGN_UPS,
            retry_after=_seconds_until(_aware(oldest, now) + SIGN_UP_WINDOW, now),
        )


def record_sign_up(
    session: Session, *, client: str, now: datetime | None = None
) -> None:
    """Count a sign-up attempt (taken email or not) of this client."""
    session.add(
        ThrottleEvent(
            kind=ThrottleKind.sign_up, client=client_key(client), at=now or utcnow()
        )
    )
