"""Personal access tokens: long-lived bearer tokens for scripts and agents, with a scope.

A token is `todo_pat_` and 32 random bytes in URL-safe base64. Only its SHA-256 is stored: a
256-bit random secret cannot be guessed from its hash, so a slow password hash would add
nothing but latency to every request. The token is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from todo_app.errors import Forbidden, InvalidInput, InvalidToken, NotFound
from todo_app.models import (
    ACCESS_TOKENS_PER_USER_MAX,
    AccessToken,
    AccessTokenCreate,
    TokenScope,
    User,
    utcnow,
)

TOKEN_PREFIX = "todo_pat_"
_SECRET_BYTES = 32
_SECRET_LENGTH = 43  # URL-safe base64 of 32 bytes, without padding
_SECRET_ALPHABET = frozenset(string.ascii_letters + string.digits + "-_")
MAX_ID = 2**31 - 1  # the id columns are 32-bit integers on PostgreSQL
# "Last used" is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
INVALID_TOKEN = "Invalid or expired token"
READ_ONLY = "This personal access token may only read; create one with the write scope"
SESSION_ONLY = (
    "A personal access token cannot manage tokens, sessions, the password or the "
    "account: log in with your password for that"
)


@dataclass(frozen=True)
class CreatedToken:
    """A token just made: its row and the secret, which is never available again."""

    row: AccessToken
    token: str


def is_personal_token(token: str) -> bool:
    """Whether a bearer token is meant as a personal access token (by its prefix)."""
    return token.startswith(TOKEN_PREFIX)


def _token_hash(token: str) -> str:
    secret = token.removeprefix(TOKEN_PREFIX)
    if (
        not is_personal_token(token)
        or len(secret) != _SECRET_LENGTH
        or not set(secret) <= _SECRET_ALPHABET
    ):
        raise InvalidToken(INVALID_TOKEN)
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _live(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(AccessToken.expires_at.is_(None), AccessToken.expires_at > now)


def create_token(
    session: Session,
    *,
    owner_id: int,
    data: AccessTokenCreate,
    now: datetime | None = None,
) -> CreatedToken:
    """Make a token for the owner; InvalidInput when they already have the most allowed."""
    now = now or utcnow()
    # The owner's row is locked so that two creations at once cannot both take the last slot.
    session.get(User, owner_id, with_for_update=True)
    # Expired tokens are pruned here: they open nothing and must not hold a slot.
    session.exec(
        sa.delete(AccessToken).where(
            AccessToken.user_id == owner_id, sa.not_(_live(now))
        )
    )
    held = session.exec(
        select(sa.func.count())
        .select_from(AccessToken)
        .where(AccessToken.user_id == owner_id)
    ).one()
    if held >= ACCESS_TOKENS_PER_USER_MAX:
        raise InvalidInput(
            f"You have {ACCESS_TOKENS_PER_USER_MAX} personal access tokens, the most an "
            "account can have: revoke one first"
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(_SECRET_BYTES)
    row = AccessToken(
        user_id=owner_id,
        name=data.name,
        scope=data.scope,
        token_hash=_token_hash(token),
        created_at=now,
        expires_at=(
            now + timedelta(days=data.expires_in_days)
            if data.expires_in_days is not None
            else None
        ),
    )
    session.add(row)
    session.flush()
    return CreatedToken(row=row, token=token)


def list_tokens(session: Session, *, owner_id: int) -> list[AccessToken]:
    """The owner's tokens, newest first (expired ones too, until the next is made)."""
    return list(
        session.exec(
            select(AccessToken)
            .where(AccessToken.user_id == owner_id)
            .order_by(AccessToken.created_at.desc(), AccessToken.id.desc())
        ).all()
    )


def revoke_token(session: Session, *, owner_id: int, token_id: int) -> None:
    """Delete one of the owner's tokens, so it stops working at once; NotFound otherwise."""
    # Ids also arrive from the browser's events: anything but a plausible id is not found.
    if (
        not isinstance(token_id, int)
        or isinstance(token_id, bool)
        or not 0 < token_id <= MAX_ID
    ):
        raise NotFound("Token not found")
    result = session.exec(
        sa.delete(AccessToken).where(
            AccessToken.id == token_id, AccessToken.user_id == owner_id
        )
    )
    if not result.rowcount:
        raise NotFound("Token not found")


def revoke_all_tokens(session: Session, *, owner_id: int) -> int:
    """Delete every token of the owner (the password changed); returns how many."""
    result = session.exec(sa.delete(AccessToken).where(AccessToken.user_id == owner_id))
    return result.rowcount or 0


def authenticate(
    session: Session,
    *,
    token: str,
    scope: TokenScope | None,
    now: datetime | None = None,
) -> User:
    """The owner of a live token allowed `scope` (None: work no personal token may do).

    InvalidToken for a malformed, unknown, revoked or expired token; Forbidden when the
    token is valid but may not do this.
    """
    now = now or utcnow()
    found = session.exec(
        select(User, AccessToken)
        .join(AccessToken, AccessToken.user_id == User.id)
        .where(AccessToken.token_hash == _token_hash(token), _live(now))
    ).first()
    if found is None:
        raise InvalidToken(INVALID_TOKEN)
    user, row = found
    if scope is None:
        raise Forbidden(SESSION_ONLY)
    if scope == TokenScope.write and row.scope != TokenScope.write:
        raise Forbidden(READ_ONLY)
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        session.add(row)
    return user
