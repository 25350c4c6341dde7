"""Accounts: password hashing, registration, login with brute-force limits, tokens."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import bcrypt
import jwt
import sqlalchemy as sa
from sqlmodel import Session, select

from todo_app.db import run_cpu_bound, run_in_session
from todo_app.errors import (
    EmailTaken,
    IncorrectPassword,
    InvalidCredentials,
    InvalidToken,
    NotFound,
    TooManyAttempts,
)
from todo_app.models import (
    EMAIL_MAX,
    LoginFailure,
    PasswordChange,
    Task,
    TaskTag,
    User,
    UserCreate,
    UserUpdate,
    utcnow,
)
from todo_app.services.changes import record_change
from todo_app.settings import get_secret_key, get_settings

JWT_ALGORITHM = "HS256"
# A compromised IP may guess this often per account; all IPs together may guess this many
# times more, so a distributed attack is still slowed without one IP locking out the owner.
ACCOUNT_WIDE_FACTOR = 10


# --- passwords ---------------------------------------------------------------------------------


def _prehash(password: str) -> bytes:
    # bcrypt reads at most 72 bytes; a SHA-256 pre-hash makes every character count.
    # base64 keeps NUL bytes (which bcrypt treats as the end) out of its input.
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str) -> str:
    """bcrypt hash of the password (CPU-heavy: async callers use asyncio.to_thread)."""
    salt = bcrypt.gensalt(rounds=get_settings().bcrypt_rounds)
    return bcrypt.hashpw(_prehash(password), salt).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True when the password matches the hash (CPU-heavy like hash_password)."""
    try:
        return bcrypt.checkpw(_prehash(password), password_hash.encode("ascii"))
    except ValueError:
        return False


@functools.cache
def _dummy_hash() -> str:
    # Verified against when the email is unknown so both failures cost the same time.
    return hash_password("not a real password, only spends time")


# --- accounts ----------------------------------------------------------------------------------


def get_user(session: Session, *, user_id: int) -> User:
    """The user with this id, or NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found")
    return user


def get_user_by_email(session: Session, *, email: str) -> User | None:
    """The user with this email (case-insensitive), if any."""
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def register(
    session: Session, *, data: UserCreate, now: datetime | None = None
) -> User:
    """Create an account; EmailTaken when the email is in use."""
    if get_user_by_email(session, email=data.email) is not None:
        raise EmailTaken("An account with this email already exists")
    user = User(
        email=data.email,
        name=data.name,
        password_hash=hash_password(data.password),
        created_at=now or utcnow(),
    )
    session.add(user)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:  # a concurrent registration won the race
        session.rollback()
        raise EmailTaken("An account with this email already exists") from exc
    return user


def update_profile(session: Session, *, user_id: int, data: UserUpdate) -> User:
    """Change the user's display name when it is sent (null or empty removes it)."""
    user = get_user(session, user_id=user_id)
    if "name" in data.model_fields_set:
        user.name = data.name
    session.add(user)
    session.flush()
    return user


def change_password(session: Session, *, user_id: int, data: PasswordChange) -> User:
    """Set a new password after checking the current one; earlier tokens stop working."""
    user = get_user(session, user_id=user_id)
    if not verify_password(data.current_password, user.password_hash):
        raise IncorrectPassword("The current password is incorrect")
    user.password_hash = hash_password(data.new_password)
    user.token_version += 1
    session.add(user)
    session.flush()
    return user


def revoke_tokens(session: Session, *, user_id: int) -> User:
    """Log out everywhere: every token issued so far stops working."""
    user = get_user(session, user_id=user_id)
    user.token_version += 1
    session.add(user)
    session.flush()
    return user


def delete_account(session: Session, *, user_id: int) -> None:
    """Delete the user and all their tasks."""
    user = get_user(session, user_id=user_id)
    # Explicit deletes, so no database-level cascade setting is relied upon.
    session.exec(sa.delete(TaskTag).where(TaskTag.user_id == user_id))
    session.exec(sa.delete(Task).where(Task.user_id == user_id))
    session.delete(user)
    session.flush()
    record_change(session, user_id)


# --- login and brute-force limits --------------------------------------------------------------


def _failure_window(now: datetime) -> datetime:
    return now - timedelta(minutes=get_settings().login_window_minutes)


def _could_be_account_email(email: str) -> bool:
    # No account has such an email, and PostgreSQL refuses NUL (and lone surrogates) in a query.
    if "\x00" in email or len(email) > EMAIL_MAX:
        return False
    try:
        email.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _client_key(client: str) -> str:
    # The column holds 64 characters and PostgreSQL refuses NUL in text.
    return client.replace("\x00", "").encode("utf-8", "replace").decode()[:64]


def check_login_allowed(
    session: Session, *, email: str, client: str, now: datetime | None = None
) -> None:
    """Raise TooManyAttempts while this account is locked for this client."""
    now = now or utcnow()
    settings = get_settings()
    email, client = email.strip().lower(), _client_key(client)
    if not _could_be_account_email(email):
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


@dataclass(frozen=True)
class LoginAttempt:
    """What checking one login needs, read before the (slow) password check."""

    email: str
    client: str
    user_id: int | None
    password_hash: str | None


def start_login(
    session: Session, *, email: str, client: str = "", now: datetime | None = None
) -> LoginAttempt:
    """Check the rate limit (TooManyAttempts) and read the account's password hash."""
    email, client = email.strip().lower(), _client_key(client)
    if not _could_be_account_email(email):
        return LoginAttempt(
            email=email, client=client, user_id=None, password_hash=None
        )
    check_login_allowed(session, email=email, client=client, now=now)
    user = get_user_by_email(session, email=email)
    if user is None:
        return LoginAttempt(
            email=email, client=client, user_id=None, password_hash=None
        )
    return LoginAttempt(
        email=email, client=client, user_id=user.id, password_hash=user.password_hash
    )


def password_matches(attempt: LoginAttempt, password: str) -> bool:
    """bcrypt-check the password; an unknown account costs the same time and never matches."""
    if attempt.password_hash is None:
        verify_password(password, _dummy_hash())
        return False
    return verify_password(password, attempt.password_hash)


def finish_login(
    session: Session,
    *,
    attempt: LoginAttempt,
    matched: bool,
    now: datetime | None = None,
) -> User:
    """Record the outcome: the user on success; InvalidCredentials (recorded) otherwise.

    Failures are stored in the database so the limit holds across worker processes.
    """
    now = now or utcnow()
    user = session.get(User, attempt.user_id) if matched and attempt.user_id else None
    if user is None:
        if _could_be_account_email(attempt.email):
            session.add(
                LoginFailure(email=attempt.email, client=attempt.client, failed_at=now)
            )
            # Committed here, because the error we raise makes the caller's session roll back.
            session.commit()
        raise InvalidCredentials("Incorrect email or password")
    session.exec(
        sa.delete(LoginFailure).where(
            LoginFailure.email == attempt.email, LoginFailure.client == attempt.client
        )
    )
    # Old rows of every account are pruned now and then, here, where failures are read anyway.
    session.exec(
        sa.delete(LoginFailure).where(LoginFailure.failed_at < _failure_window(now))
    )
    return user


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    client: str = "",
    now: datetime | None = None,
) -> User:
    """The user with these credentials; InvalidCredentials or TooManyAttempts otherwise."""
    attempt = start_login(session, email=email, client=client, now=now)
    matched = password_matches(attempt, password)
    return finish_login(session, attempt=attempt, matched=matched, now=now)


async def log_in(
    *, email: str, password: str, client: str = "", now: datetime | None = None
) -> IssuedToken:
    """A token for these credentials, for async callers (the API and the UI).

    The bcrypt check runs between two short transactions, holding neither a database
    connection nor one of the database threads, so logins cannot starve other requests.
    """
    attempt = await run_in_session(
        lambda session: start_login(session, email=email, client=client, now=now)
    )
    matched = await run_cpu_bound(password_matches, attempt, password)
    return await run_in_session(
        lambda session: issue_token(
            finish_login(session, attempt=attempt, matched=matched, now=now), now=now
        )
    )


# --- tokens ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int


def issue_token(user: User, *, now: datetime | None = None) -> IssuedToken:
    """A signed JWT for the user: sub (id as string), iat, exp and the token version."""
    now = now or utcnow()
    ttl = timedelta(minutes=get_settings().token_ttl_minutes)
    claims = {
        "sub": str(user.id),
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "ver": user.token_version,
    }
    token = jwt.encode(claims, get_secret_key(), algorithm=JWT_ALGORITHM)
    return IssuedToken(access_token=token, expires_in=int(ttl.total_seconds()))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def user_for_token(
    session: Session, *, token: str, now: datetime | None = None
) -> User:
    """The user a valid token belongs to; InvalidToken for anything else.

    A token without `ver` counts as version 0, so hand-made tokens (sub + exp) work until the
    user's first revocation.
    """
    now = now or utcnow()
    # PyJWT would check exp, iat and nbf against the real clock; we check them against `now`.
    options = {
        "require": ["exp", "sub"],
        "verify_exp": False,
        "verify_iat": False,
        "verify_nbf": False,
    }
    try:
        claims = jwt.decode(
            token, get_secret_key(), algorithms=[JWT_ALGORITHM], options=options
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken("Invalid or expired token") from exc
    expires, not_before = claims["exp"], claims.get("nbf", 0)
    if not _is_number(expires) or expires <= now.timestamp():
        raise InvalidToken("Invalid or expired token")
    if not _is_number(not_before) or not_before > now.timestamp():
        raise InvalidToken("Invalid or expired token")
    subject, version = claims.get("sub"), claims.get("ver", 0)
    # isascii: str.isdigit also accepts digits like "²" and "١" that int() rejects or maps.
    if (
        not isinstance(subject, str)
        or not (subject.isascii() and subject.isdigit())
        or len(subject) > 18
    ):
        raise InvalidToken("Invalid or expired token")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidToken("Invalid or expired token")
    user = session.get(User, int(subject))
    if user is None or not hmac.compare_digest(str(user.token_version), str(version)):
        raise InvalidToken("Invalid or expired token")
    return user
