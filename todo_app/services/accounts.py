"""Accounts: sign up, read, rename, set the time zone, change the password, delete."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from todo_app.db import run_cpu_bound, run_in_session
from todo_app.errors import (
    EmailTaken,
    Forbidden,
    IncorrectPassword,
    InvalidInput,
    NotFound,
)
from todo_app.models import (
    DEFAULT_TIMEZONE,
    AccessToken,
    CalendarFeed,
    PasswordChange,
    Project,
    Reminder,
    Task,
    TaskTag,
    User,
    UserCreate,
    UserSession,
    UserUpdate,
    canonical_timezone,
    known_timezones,
    utcnow,
)
from todo_app.services import login_limits
from todo_app.services.access_tokens import revoke_all_tokens
from todo_app.services.changes import record_change
from todo_app.services.passwords import hash_password, verify_password
from todo_app.services.sessions import end_all_sessions

EMAIL_TAKEN = "An account with this email already exists"

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
    """Create an account with `data.password` already hashed; EmailTaken when the email is in use.

    Only this function's own changes are undone when the email is taken: the caller's other
    work in the transaction (counting the attempt) stays.
    """
    if get_user_by_email(session, email=data.email) is not None:
        raise EmailTaken(EMAIL_TAKEN)
    user = User(
        email=data.email,
        name=data.name,
        timezone=data.timezone,
        password_hash=password_hash,
        created_at=now or utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(user)
    except sa.exc.IntegrityError as exc:  # a concurrent registration won the race
        raise EmailTaken(EMAIL_TAKEN) from exc
    return user


def _register_counted(
    session: Session,
    *,
    data: UserCreate,
    password_hash: str,
    client: str,
    now: datetime | None,
) -> User | None:
    login_limits.check_sign_up_allowed(session, client=client, now=now)
    login_limits.record_sign_up(session, client=client, now=now)
    try:
        return register(session, data=data, password_hash=password_hash, now=now)
    except EmailTaken:
        return None  # the attempt is still counted: probing emails is rate-limited too


async def sign_up(
    data: UserCreate, *, client: str = "", now: datetime | None = None
) -> User:
    """Create an account, at most `signups_per_hour` an hour per client address.

    The password is hashed first, off the event loop and outside any transaction, so an
    email that is taken costs the same time as a new one.
    """
    password_hash = await run_cpu_bound(hash_password, data.password)
    user = await run_in_session(
        lambda session: _register_counted(
            session, data=data, password_hash=password_hash, client=client, now=now
        )
    )
    if user is None:
        raise EmailTaken(EMAIL_TAKEN)
    return user


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
    session: Session,
    *,
    user_id: int,
    password_hash: str,
    replacing: str,
    keeping_session: str | None = None,
    now: datetime | None = None,
) -> User:
    """Store a new password hash in place of `replacing`; sessions and access tokens end.

    `keeping_session` survives: the browser that made the change stays signed in.
    """
    user = get_user(session, user_id=user_id, for_update=True)
    if user.password_hash != replacing:  # another change won while we hashed
        raise IncorrectPassword("The password was changed meanwhile, try again")
    user.password_hash = password_hash
    session.add(user)
    session.flush()
    end_all_sessions(session, user_id=user_id, keeping=keeping_session, now=now)
    # Whoever learnt the old password may have made tokens with it.
    revoke_all_tokens(session, owner_id=user_id)
    return user


async def _confirm_password(
    *, user_id: int, password: str, client: str, now: datetime | None
) -> str:
    """The user's password hash once `password` matches it; the check counts like a login.

    Raises IncorrectPassword (the failure recorded) or TooManyAttempts.
    """

    def read(session: Session) -> tuple[str, str]:
        user = get_user(session, user_id=user_id)
        login_limits.check_login_allowed(
            session, email=user.email, client=client, now=now
        )
        return user.email, user.password_hash

    email, current_hash = await run_in_session(read)
    if not await run_cpu_bound(verify_password, password, current_hash):
        await run_in_session(
            lambda session: login_limits.record_failure(
                session, email=email, client=client, now=now
            )
        )
        raise IncorrectPassword("The current password is incorrect")
    return current_hash


async def change_password(
    *,
    user_id: int,
    data: PasswordChange,
    client: str = "",
    keeping_session: str | None = None,
    now: datetime | None = None,
) -> User:
    """Check the current password and set the new one; the user's sessions end.

    All of them for the API (its caller logs in again); all but `keeping_session` for the
    browser that made the change. bcrypt runs between transactions; a wrong current password
    counts like a failed login.
    """
    current_hash = await _confirm_password(
        user_id=user_id, password=data.current_password, client=client, now=now
    )
    new_hash = await run_cpu_bound(hash_password, data.new_password)
    return await run_in_session(
        lambda session: set_password(
            session,
            user_id=user_id,
            password_hash=new_hash,
            replacing=current_hash,
            keeping_session=keeping_session,
            now=now,
        )
    )


async def delete_account_confirmed(
    *, user_id: int, password: str, client: str = "", now: datetime | None = None
) -> None:
    """Delete the account after checking its password (Forbidden when wrong)."""
    try:
        await _confirm_password(
            user_id=user_id, password=password, client=client, now=now
        )
    except IncorrectPassword as exc:
        raise Forbidden("The password is incorrect") from exc
    await run_in_session(lambda session: delete_account(session, user_id=user_id))


def delete_account(session: Session, *, user_id: int) -> None:
    """Delete the user, their tasks and reminders, sessions and calendar feed link."""
    user = get_user(session, user_id=user_id)
    # Explicit deletes, so no database-level cascade setting is relied upon.
    session.exec(sa.delete(Reminder).where(Reminder.user_id == user_id))
    session.exec(sa.delete(TaskTag).where(TaskTag.user_id == user_id))
    session.exec(sa.delete(Task).where(Task.user_id == user_id))
    session.exec(sa.delete(Project).where(Project.owner_id == user_id))
    session.exec(sa.delete(UserSession).where(UserSession.user_id == user_id))
    session.exec(sa.delete(AccessToken).where(AccessToken.user_id == user_id))
    session.exec(sa.delete(CalendarFeed).where(CalendarFeed.user_id == user_id))
    session.delete(user)
    session.flush()
    record_change(session, user_id)
