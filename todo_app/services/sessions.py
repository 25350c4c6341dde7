"""Signed-in sessions: logging in (with its brute-force limits), bearer tokens, logging out.

A session is a row (`UserSession`). An API client's bearer token is a JWT naming the user and
the row; a browser's credential is a random key kept in its localStorage, of which the row
stores the SHA-256. Every request and every UI event checks that the row still exists for
that user, so logging out (deleting the row) ends it at once, and a credential can never act
for another account, even one that somehow had the same id.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

import jwt
import sqlalchemy as sa
from sqlmodel import Session, select

from todo_app.db import run_cpu_bound, run_in_session
from todo_app.errors import InvalidCredentials, InvalidToken, NotFound
from todo_app.models import (
    CLIENT_MAX,
    SESSION_ID_MAX,
    USER_AGENT_MAX,
    User,
    UserSession,
    utcnow,
)
from todo_app.services import login_limits
from todo_app.services.changes import record_change
from todo_app.services.passwords import verify_password_or_waste_time
from todo_app.settings import get_secret_key, get_settings

T = TypeVar("T")

JWT_ALGORITHM = "HS256"
# "Last seen" is written at most this often per session, not on every request.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
INVALID_TOKEN = "Invalid or expired token"


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int


@dataclass(frozen=True)
class SignedIn:
    """Who a valid token belongs to, and which of their sessions it is."""

    user: User
    session_id: str


# --- starting and checking sessions ------------------------------------------------------------


def _new_row(
    session: Session,
    *,
    user_id: int,
    user_agent: str,
    client: str,
    now: datetime,
    browser_key_hash: str | None = None,
) -> UserSession:
    row = UserSession(
        id=secrets.token_urlsafe(24),
        user_id=user_id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(minutes=get_settings().token_ttl_minutes),
        user_agent=_printable(user_agent)[:USER_AGENT_MAX],
        client=login_limits.client_key(client)[:CLIENT_MAX],
        browser_key_hash=browser_key_hash,
    )
    session.add(row)
    session.flush()
    # Open Settings pages of the user list their sessions: a sign-in elsewhere shows there.
    record_change(session, user_id)
    return row


def start_session(
    session: Session,
    *,
    user_id: int,
    user_agent: str = "",
    client: str = "",
    now: datetime | None = None,
) -> IssuedToken:
    """A new session of the user and its bearer token (sub, sid, iat, exp)."""
    now = now or utcnow()
    ttl = timedelta(minutes=get_settings().token_ttl_minutes)
    row = _new_row(
        session, user_id=user_id, user_agent=user_agent, client=client, now=now
    )
    claims = {
        "sub": str(user_id),
        "sid": row.id,
        "iat": int(now.timestamp()),
        "exp": int(row.expires_at.timestamp()),
    }
    token = jwt.encode(claims, get_secret_key(), algorithm=JWT_ALGORITHM)
    return IssuedToken(access_token=token, expires_in=int(ttl.total_seconds()))


def _printable(text: str) -> str:
    return (
        "".join(ch for ch in text if ch.isprintable())
        .encode("utf-8", "replace")
        .decode()
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _claims(token: str, now: datetime) -> tuple[int, str]:
    user_id, session_id, not_before, expires = _verified_claims(token, get_secret_key())
    # PyJWT would check exp and nbf against the real clock; we check them against `now`.
    if expires <= now.timestamp() or not_before > now.timestamp():
        raise InvalidToken(INVALID_TOKEN)
    return user_id, session_id


@functools.lru_cache(maxsize=4096)
def _verified_claims(token: str, secret_key: str) -> tuple[int, str, float, float]:
    """A signed token's user id, session id, nbf and exp; InvalidToken if malformed.

    Kept per token (and key): verifying the signature is most of a cached list page's
    Python work (issue #16). Time, which changes, is checked by the caller on every use;
    whether the session is live is the database's to say, on every request.
    """
    options = {
        "require": ["exp", "sub", "sid"],
        "verify_exp": False,
        "verify_iat": False,
        "verify_nbf": False,
    }
    try:
        claims = jwt.decode(
            token, secret_key, algorithms=[JWT_ALGORITHM], options=options
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(INVALID_TOKEN) from exc
    expires, not_before = claims["exp"], claims.get("nbf", 0)
    if not _is_number(expires) or not _is_number(not_before):
        raise InvalidToken(INVALID_TOKEN)
    subject, session_id = claims["sub"], claims["sid"]
    # isascii: str.isdigit also accepts digits like "²" and "١" that int() rejects or maps.
    if (
        not isinstance(subject, str)
        or not (subject.isascii() and subject.isdigit())
        or len(subject) > 18
    ):
        raise InvalidToken(INVALID_TOKEN)
    if not _could_be_session_id(session_id):
        raise InvalidToken(INVALID_TOKEN)
    return int(subject), session_id, not_before, expires


_SESSION_ID_ALPHABET = frozenset(string.ascii_letters + string.digits + "-_")


def _could_be_session_id(value: object) -> bool:
    # Ids are URL-safe base64; anything else (NUL, non-ASCII) never reaches a query.
    return (
        isinstance(value, str)
        and 0 < len(value) <= SESSION_ID_MAX
        and set(value) <= _SESSION_ID_ALPHABET
    )


def _live_select(*conditions: Any, now: datetime) -> Any:
    # The one query behind every check: the row exists, has not expired, and its user too.
    return (
        select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(*conditions, UserSession.expires_at > now)
    )


# Every API request and UI event checks its session: built once, as building an ORM select
# costs about as much as running it (issue #16).
_LIVE_BY_IDS = _live_select(
    UserSession.id == sa.bindparam("session_id"),
    User.id == sa.bindparam("user_id"),
    now=sa.bindparam("now"),
)


def _live_session(
    session: Session, *conditions: Any, now: datetime, **by_ids: Any
) -> SignedIn:
    """The live session matching `conditions`, or `by_ids` (user_id, session_id)."""
    if by_ids:
        found = session.exec(_LIVE_BY_IDS, params={**by_ids, "now": now}).first()
    else:
        found = session.exec(_live_select(*conditions, now=now)).first()
    if found is None:
        raise InvalidToken(INVALID_TOKEN)
    user, row = found
    if now - row.last_seen_at >= LAST_SEEN_RESOLUTION:
        row.last_seen_at = now
        session.add(row)
    return SignedIn(user=user, session_id=row.id)


def authenticate(
    session: Session, *, token: str, now: datetime | None = None
) -> SignedIn:
    """The user and session a valid token names; InvalidToken for anything else."""
    now = now or utcnow()
    user_id, session_id = _claims(token, now)
    return _live_session(session, user_id=user_id, session_id=session_id, now=now)


def token_claims(token: str, now: datetime | None = None) -> tuple[int, str]:
    """The user id and session id a well-formed, unexpired token names; InvalidToken otherwise.

    Only the token: whether its session is live is `authenticate`'s (or `quiet_check`'s) to say.
    """
    return _claims(token, now or utcnow())


def quiet_check(user_id: Any, session_id: Any, now: Any) -> sa.Exists:
    """A condition true while the session is live and needs no "last seen" write: what
    `authenticate` would accept without writing anything.

    For a read done in one statement with the check; the values may be bound parameters.
    """
    return _live_select(
        UserSession.id == session_id,
        User.id == user_id,
        UserSession.last_seen_at > now - LAST_SEEN_RESOLUTION,
        now=now,
    ).exists()


def check_session(
    session: Session, *, user_id: int, session_id: str, now: datetime | None = None
) -> User:
    """The user of a session the server itself remembered; InvalidToken once it ended."""
    if not _could_be_session_id(session_id):
        raise InvalidToken(INVALID_TOKEN)
    return _live_session(
        session, user_id=user_id, session_id=session_id, now=now or utcnow()
    ).user


# --- browser sessions --------------------------------------------------------------------------

BROWSER_KEY_LENGTH = 64  # hex digits of 32 random bytes, made by the browser


def _browser_key_hash(browser_key: object) -> str:
    if (
        not isinstance(browser_key, str)
        or len(browser_key) != BROWSER_KEY_LENGTH
        or not all(ch in string.hexdigits for ch in browser_key)
    ):
        raise InvalidToken(INVALID_TOKEN)
    return hashlib.sha256(browser_key.lower().encode("ascii")).hexdigest()


def check_browser_key(browser_key: object) -> None:
    """Raise InvalidToken unless this is a key a browser could have made (64 hex digits)."""
    _browser_key_hash(browser_key)


def start_browser_session(
    session: Session,
    *,
    user_id: int,
    browser_key: str,
    user_agent: str = "",
    client: str = "",
    now: datetime | None = None,
) -> SignedIn:
    """A new session of the user for a browser holding `browser_key` (stored hashed)."""
    key_hash = _browser_key_hash(browser_key)
    now = now or utcnow()
    # A key is used once: a browser that signs in again (as anyone) starts over.
    session.exec(sa.delete(UserSession).where(UserSession.browser_key_hash == key_hash))
    row = _new_row(
        session,
        user_id=user_id,
        user_agent=user_agent,
        client=client,
        now=now,
        browser_key_hash=key_hash,
    )
    return SignedIn(user=session.get(User, user_id), session_id=row.id)


def resume_browser_session(
    session: Session, *, browser_key: str, now: datetime | None = None
) -> SignedIn:
    """The session a browser's key belongs to; InvalidToken when it ended or never was."""
    return _live_session(
        session,
        UserSession.browser_key_hash == _browser_key_hash(browser_key),
        now=now or utcnow(),
    )


def user_for_token(
    session: Session, *, token: str, now: datetime | None = None
) -> User:
    """The user a valid token belongs to; InvalidToken for anything else."""
    return authenticate(session, token=token, now=now).user


# --- listing and ending sessions ---------------------------------------------------------------


def list_sessions(
    session: Session, *, user_id: int, now: datetime | None = None
) -> list[UserSession]:
    """The user's sessions that have not expired, most recently used first."""
    return list(
        session.exec(
            select(UserSession)
            .where(
                UserSession.user_id == user_id,
                UserSession.expires_at > (now or utcnow()),
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.created_at.desc())
        ).all()
    )


def end_session(session: Session, *, user_id: int, session_id: str) -> None:
    """Log one of the user's sessions out; NotFound for another user's or a gone one."""
    if not _could_be_session_id(session_id):
        raise NotFound("Session not found")
    result = session.exec(
        sa.delete(UserSession).where(
            UserSession.id == session_id, UserSession.user_id == user_id
        )
    )
    if not result.rowcount:
        raise NotFound("Session not found")
    # Open pages of the user check their session when told of a change: an ended one logs out.
    record_change(session, user_id)


def log_out(session: Session, *, token: str, now: datetime | None = None) -> None:
    """End the session a token names (InvalidToken when it already ended)."""
    signed_in = authenticate(session, token=token, now=now)
    end_session(session, user_id=signed_in.user.id, session_id=signed_in.session_id)


def end_all_sessions(
    session: Session,
    *,
    user_id: int,
    keeping: str | None = None,
    now: datetime | None = None,
) -> int:
    """Log the user out everywhere (but in the session `keeping`, when given).

    Also prunes expired sessions. Returns how many ended.
    """
    ended = sa.delete(UserSession).where(UserSession.user_id == user_id)
    if keeping is not None:
        ended = ended.where(UserSession.id != keeping)
    result = session.exec(ended)
    session.exec(
        sa.delete(UserSession).where(UserSession.expires_at <= (now or utcnow()))
    )
    record_change(session, user_id)
    return result.rowcount or 0


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
    """Check the rate limits (TooManyAttempts) and read the account's password hash."""
    email = email.strip().lower()
    unknown = LoginAttempt(email=email, client=client, user_id=None, password_hash=None)
    if not login_limits.could_be_account_email(email):
        return unknown
    login_limits.check_login_allowed(session, email=email, client=client, now=now)
    account = session.exec(
        select(User.id, User.password_hash).where(User.email == email)
    ).first()
    if account is None:
        return unknown
    user_id, password_hash = account
    return LoginAttempt(
        email=email, client=client, user_id=user_id, password_hash=password_hash
    )


def finish_login(
    session: Session,
    *,
    attempt: LoginAttempt,
    matched: bool,
    start: Callable[[Session, int], T],
    now: datetime | None = None,
) -> T | None:
    """`start(session, user_id)` when the password matched; otherwise record the failure.

    Returning None instead of raising lets the caller's transaction commit the failure.
    """
    if (
        not matched
        or attempt.user_id is None
        or session.get(User, attempt.user_id) is None
    ):
        login_limits.record_failure(
            session, email=attempt.email, client=attempt.client, now=now
        )
        return None
    login_limits.clear_failures(
        session, email=attempt.email, client=attempt.client, now=now
    )
    return start(session, attempt.user_id)


async def _log_in(
    *,
    email: str,
    password: str,
    client: str,
    start: Callable[[Session, int], T],
    now: datetime | None,
) -> T:
    # The bcrypt check runs between two short transactions, holding neither a database
    # connection nor one of the database threads, so logins cannot starve other requests.
    attempt = await run_in_session(
        lambda session: start_login(session, email=email, client=client, now=now)
    )
    matched = await run_cpu_bound(
        verify_password_or_waste_time, password, attempt.password_hash
    )
    started = await run_in_session(
        lambda session: finish_login(
            session, attempt=attempt, matched=matched, start=start, now=now
        )
    )
    if started is None:
        raise InvalidCredentials("Incorrect email or password")
    return started


async def log_in(
    *,
    email: str,
    password: str,
    client: str = "",
    user_agent: str = "",
    now: datetime | None = None,
) -> IssuedToken:
    """A new API session (bearer token); InvalidCredentials or TooManyAttempts otherwise."""
    return await _log_in(
        email=email,
        password=password,
        client=client,
        now=now,
        start=lambda session, user_id: start_session(
            session, user_id=user_id, user_agent=user_agent, client=client, now=now
        ),
    )


async def log_in_browser(
    *,
    email: str,
    password: str,
    browser_key: str,
    client: str = "",
    user_agent: str = "",
    now: datetime | None = None,
) -> SignedIn:
    """A new browser session for the key the browser made; errors as `log_in`."""
    _browser_key_hash(
        browser_key
    )  # a malformed key is refused before any password check
    return await _log_in(
        email=email,
        password=password,
        client=client,
        now=now,
        start=lambda session, user_id: start_browser_session(
            session,
            user_id=user_id,
            browser_key=browser_key,
            user_agent=user_agent,
            client=client,
            now=now,
        ),
    )
