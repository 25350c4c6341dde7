"""Signed-in sessions: logging in (with its brute-force limits), bearer tokens, logging out."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlmodel import Session

from todo_app.db import run_cpu_bound, run_in_session
from todo_app.errors import InvalidCredentials, InvalidToken
from todo_app.models import User, utcnow
from todo_app.services import login_limits
from todo_app.services.accounts import get_user, get_user_by_email
from todo_app.services.passwords import verify_password_or_waste_time
from todo_app.settings import get_secret_key, get_settings

JWT_ALGORITHM = "HS256"


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


def revoke_tokens(session: Session, *, user_id: int) -> User:
    """Log out everywhere: every token issued so far stops working."""
    user = get_user(session, user_id=user_id)
    user.token_version += 1
    session.add(user)
    session.flush()
    return user


# --- logging in --------------------------------------------------------------------------------


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
    email = email.strip().lower()
    unknown = LoginAttempt(email=email, client=client, user_id=None, password_hash=None)
    if not login_limits.could_be_account_email(email):
        return unknown
    login_limits.check_login_allowed(session, email=email, client=client, now=now)
    user = get_user_by_email(session, email=email)
    if user is None:
        return unknown
    return LoginAttempt(
        email=email, client=client, user_id=user.id, password_hash=user.password_hash
    )


def finish_login(
    session: Session,
    *,
    attempt: LoginAttempt,
    matched: bool,
    now: datetime | None = None,
) -> IssuedToken | None:
    """A token when the password matched; otherwise the failure is recorded and None returned.

    Failures are stored in the database so the limit holds across worker processes; returning
    instead of raising lets the caller's transaction commit them.
    """
    user = session.get(User, attempt.user_id) if matched and attempt.user_id else None
    if user is None:
        login_limits.record_failure(
            session, email=attempt.email, client=attempt.client, now=now
        )
        return None
    login_limits.clear_failures(
        session, email=attempt.email, client=attempt.client, now=now
    )
    return issue_token(user, now=now)


async def log_in(
    *, email: str, password: str, client: str = "", now: datetime | None = None
) -> IssuedToken:
    """A token for these credentials; InvalidCredentials or TooManyAttempts otherwise.

    The bcrypt check runs between two short transactions, holding neither a database
    connection nor one of the database threads, so logins cannot starve other requests.
    """
    attempt = await run_in_session(
        lambda session: start_login(session, email=email, client=client, now=now)
    )
    matched = await run_cpu_bound(
        verify_password_or_waste_time, password, attempt.password_hash
    )
    issued = await run_in_session(
        lambda session: finish_login(session, attempt=attempt, matched=matched, now=now)
    )
    if issued is None:
        raise InvalidCredentials("Incorrect email or password")
    return issued
