"""Brute-force limits on password checks, counted in the database so they hold across workers."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from todo_app.errors import TooManyAttempts
from todo_app.models import EMAIL_MAX, LoginFailure, utcnow
from todo_app.settings import get_settings

# A compromised IP may guess this often per account; all IPs together may guess this many
# times more, so a distributed attack is still slowed without one IP locking out the owner.
ACCOUNT_WIDE_FACTOR = 10


def _failure_window(now: datetime) -> datetime:
    return now - timedelta(minutes=get_settings().login_window_minutes)


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
    """The client address as stored: 64 characters at most, no NUL (PostgreSQL refuses it)."""
    return client.replace("\x00", "").encode("utf-8", "replace").decode()[:64]


def check_login_allowed(
    session: Session, *, email: str, client: str, now: datetime | None = None
) -> None:
    """Raise TooManyAttempts while this account is locked for this client."""
    now = now or utcnow()
    settings = get_settings()
    email, client = email.strip().lower(), client_key(client)
    if not could_be_account_email(email):
        return
    since = _failure_window(now)
    row = session.exec(
        select(
            sa.func.count(),
            sa.func.count().filter(LoginFailure.client == client),
            sa.func.min(LoginFailure.failed_at),
            sa.func.min(LoginFailure.failed_at).filter(LoginFailure.client == client),
        ).where(LoginFailure.email == email, LoginFailure.failed_at > since)
    ).one()
    total, from_client, oldest, oldest_from_client = row
    if from_client >= settings.login_max_failures:
        oldest_relevant = oldest_from_client
    elif total >= settings.login_max_failures * ACCOUNT_WIDE_FACTOR:
        oldest_relevant = oldest
    else:
        return
    oldest_relevant = (
        oldest_relevant
        if oldest_relevant.tzinfo
        else oldest_relevant.replace(tzinfo=now.tzinfo)
    )
    retry_after = max(1, int((oldest_relevant - since).total_seconds()) + 1)
    raise TooManyAttempts(
        "Too many failed login attempts. Try again later.", retry_after=retry_after
    )


def record_failure(
    session: Session, *, email: str, client: str, now: datetime | None = None
) -> None:
    """Count a wrong password for this account and client."""
    if could_be_account_email(email):
        session.add(
            LoginFailure(
                email=email, client=client_key(client), failed_at=now or utcnow()
            )
        )


def clear_failures(
    session: Session, *, email: str, client: str, now: datetime | None = None
) -> None:
    """Forget this client's failures for the account after a success, and prune old rows."""
    session.exec(
        sa.delete(LoginFailure).where(
            LoginFailure.email == email, LoginFailure.client == client_key(client)
        )
    )
    # Old rows of every account are pruned now and then, here, where failures are read anyway.
    session.exec(
        sa.delete(LoginFailure).where(
            LoginFailure.failed_at < _failure_window(now or utcnow())
        )
    )
