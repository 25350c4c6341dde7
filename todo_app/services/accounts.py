"""Accounts: sign up, read, rename, set the time zone, change the password, delete."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from todo_app.db import run_cpu_bound, run_in_session
from todo_app.errors import EmailTaken, IncorrectPassword, InvalidInput, NotFound
from todo_app.models import (
    DEFAULT_TIMEZONE,
    PasswordChange,
    Task,
    TaskTag,
    User,
    UserCreate,
    UserUpdate,
    canonical_timezone,
    known_timezones,
    utcnow,
)
from todo_app.services.changes import record_change
from todo_app.services.passwords import hash_password, verify_password

# Every IANA zone a user may choose, sorted: what the settings page lets people search.
TIMEZONES: tuple[str, ...] = tuple(known_timezones())


def get_user(session: Session, *, user_id: int, for_update: bool = False) -> User:
    """The user with this id, or NotFound."""
    user = session.get(User, user_id, with_for_update=for_update)
    if user is None:
        raise NotFound("User not found")
    return user


def get_user_by_email(session: Session, *, email: str) -> User | None:
    """The user with this email (case-insensitive), if any."""
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def register(
    session: Session,
    *,
    data: UserCreate,
    password_hash: str,
    now: datetime | None = None,
) -> User:
    """Create an account with `data.password` already hashed; EmailTaken when the email is in use."""
    if get_user_by_email(session, email=data.email) is not None:
        raise EmailTaken("An account with this email already exists")
    user = User(
        email=data.email,
        name=data.name,
        timezone=data.timezone,
        password_hash=password_hash,
        created_at=now or utcnow(),
    )
    session.add(user)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:  # a concurrent registration won the race
        session.rollback()
        raise EmailTaken("An account with this email already exists") from exc
    return user


async def sign_up(data: UserCreate, *, now: datetime | None = None) -> User:
    """Hash the password off the event loop, then create the account in one transaction."""
    password_hash = await run_cpu_bound(hash_password, data.password)
    return await run_in_session(
        lambda session: register(
            session, data=data, password_hash=password_hash, now=now
        )
    )


def update_profile(session: Session, *, user_id: int, data: UserUpdate) -> User:
    """Change the display name (null or empty removes it) and the time zone, when sent."""
    user = get_user(session, user_id=user_id)
    if "name" in data.model_fields_set:
        user.name = data.name
    if "timezone" in data.model_fields_set:
        user.timezone = data.timezone
    session.add(user)
    session.flush()
    return user


def _known_timezone(timezone: str) -> str:
    canonical = canonical_timezone(timezone)
    if canonical is None:
        raise InvalidInput(
            "timezone must be an IANA time zone name such as Europe/Paris",
            field="timezone",
        )
    return canonical


def set_timezone(session: Session, *, user_id: int, timezone: str) -> User:
    """Set the user's IANA time zone (any case); InvalidInput for a zone that does not exist."""
    user = get_user(session, user_id=user_id)
    user.timezone = _known_timezone(timezone)
    session.add(user)
    session.flush()
    return user


def adopt_browser_timezone(session: Session, *, user_id: int, timezone: str) -> User:
    """Take the browser's zone at login while the account still has the default one.

    A zone the user chose stays; an unknown zone raises InvalidInput and changes nothing.
    """
    user = get_user(session, user_id=user_id)
    if user.timezone != DEFAULT_TIMEZONE:
        return user
    return set_timezone(session, user_id=user_id, timezone=timezone)


def timezone_or_default(timezone: str | None) -> str:
    """The zone a browser reports if this server knows it, else the default (UTC).

    For sign-up: a browser newer than the server's zone database must not block it.
    """
    return (timezone and canonical_timezone(timezone)) or DEFAULT_TIMEZONE


def set_password(
    session: Session, *, user_id: int, password_hash: str, replacing: str
) -> User:
    """Store a new password hash in place of `replacing`; earlier tokens stop working."""
    user = get_user(session, user_id=user_id, for_update=True)
    if user.password_hash != replacing:  # another change won while we hashed
        raise IncorrectPassword("The password was changed meanwhile, try again")
    user.password_hash = password_hash
    user.token_version += 1
    session.add(user)
    session.flush()
    return user


async def change_password(*, user_id: int, data: PasswordChange) -> User:
    """Check the current password and set the new one; bcrypt runs between transactions."""
    current_hash = await run_in_session(
        lambda session: get_user(session, user_id=user_id).password_hash
    )
    if not await run_cpu_bound(verify_password, data.current_password, current_hash):
        raise IncorrectPassword("The current password is incorrect")
    new_hash = await run_cpu_bound(hash_password, data.new_password)
    return await run_in_session(
        lambda session: set_password(
            session, user_id=user_id, password_hash=new_hash, replacing=current_hash
        )
    )


def delete_account(session: Session, *, user_id: int) -> None:
    """Delete the user and all their tasks."""
    user = get_user(session, user_id=user_id)
    # Explicit deletes, so no database-level cascade setting is relied upon.
    session.exec(sa.delete(TaskTag).where(TaskTag.user_id == user_id))
    session.exec(sa.delete(Task).where(Task.user_id == user_id))
    session.delete(user)
    session.flush()
    record_change(session, user_id)
