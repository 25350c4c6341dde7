"""Personal access tokens: made once, stored hashed, scoped, expiring, revocable, at most 20."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.builders import make_access_token, make_user
from todo_app.errors import Forbidden, InvalidInput, InvalidToken, NotFound
from todo_app.models import (
    ACCESS_TOKENS_PER_USER_MAX,
    AccessToken,
    AccessTokenCreate,
    PasswordChange,
    TokenScope,
)
from todo_app.services import access_tokens, accounts

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def _owner_of(
    session: Session,
    token: str,
    scope: TokenScope | None = TokenScope.read,
    now: datetime = NOW,
) -> int:
    return access_tokens.authenticate(session, token=token, scope=scope, now=now).id


def test_create_token_has_the_prefix_and_32_random_bytes(session: Session) -> None:
    owner = make_user(session)
    token = make_access_token(session, owner, now=NOW)
    secret = token.removeprefix("todo_pat_")
    assert token.startswith("todo_pat_")
    assert len(secret) == 43  # URL-safe base64 of 32 bytes, unpadded
    assert set(secret) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )


def test_create_token_stores_only_its_sha256(session: Session) -> None:
    owner = make_user(session)
    token = make_access_token(session, owner, now=NOW)
    row = session.exec(select(AccessToken)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(value) for value in row.model_dump().values()}


def test_create_token_tokens_differ(session: Session) -> None:
    owner = make_user(session)
    assert make_access_token(session, owner) != make_access_token(session, owner)


def test_create_token_expires_after_the_days_given(session: Session) -> None:
    owner = make_user(session)
    make_access_token(session, owner, expires_in_days=30, now=NOW)
    row = session.exec(select(AccessToken)).one()
    assert row.expires_at == NOW + timedelta(days=30)


def test_create_token_without_days_never_expires(session: Session) -> None:
    owner = make_user(session)
    token = make_access_token(session, owner, expires_in_days=None, now=NOW)
    assert session.exec(select(AccessToken)).one().expires_at is None
    far_future = NOW + timedelta(days=365 * 50)
    assert _owner_of(session, token, now=far_future) == owner.id


def test_authenticate_returns_the_owner(session: Session) -> None:
    owner = make_user(session)
    make_user(session)
    token = make_access_token(session, owner, now=NOW)
    assert _owner_of(session, token) == owner.id


def test_authenticate_records_last_use(session: Session) -> None:
    owner = make_user(session)
    token = make_access_token(session, owner, now=NOW)
    later = NOW + timedelta(hours=1)
    _owner_of(session, token, now=later)
    session.commit()
    assert session.exec(select(AccessToken)).one().last_used_at == later


def test_authenticate_expired_token_is_invalid(session: Session) -> None:
    owner = make_user(session)
    token = make_access_token(session, owner, expires_in_days=1, now=NOW)
    assert _owner_of(session, token, now=NOW + timedelta(hours=23)) == owner.id
    with pytest.raises(InvalidToken):
        _owner_of(session, token, now=NOW + timedelta(days=1))


def test_authenticate_read_token_may_not_write(session: Session) -> None:
    owner = make_user(session)
    token = make_access_token(session, owner, scope="read", now=NOW)
    assert _owner_of(session, token, scope=TokenScope.read) == owner.id
    with pytest.raises(Forbidden):
        _owner_of(session, token, scope=TokenScope.write)


def test_authenticate_write_token_may_read_and_write(session: Session) -> None:
    owner = make_user(session)
    token = make_access_token(session, owner, scope="write", now=NOW)
    assert _owner_of(session, token, scope=TokenScope.read) == owner.id
    assert _owner_of(session, token, scope=TokenScope.write) == owner.id


def test_authenticate_without_scope_refuses_every_token(session: Session) -> None:
    owner = make_user(session)
    token = make_access_token(session, owner, scope="write", now=NOW)
    with pytest.raises(Forbidden):
        _owner_of(session, token, scope=None)


def test_authenticate_refused_work_records_no_use(session: Session) -> None:
    owner = make_user(session)
    token = make_access_token(session, owner, scope="read", now=NOW)
    with pytest.raises(Forbidden):
        _owner_of(session, token, scope=TokenScope.write)
    assert session.exec(select(AccessToken)).one().last_used_at is None


@pytest.mark.parametrize(
    "token",
    [
        "",
        "todo_pat_",
        "todo_pat_" + "a" * 42,
        "todo_pat_" + "a" * 44,
        "todo_pat_" + "a" * 42 + "=",
        "todo_pat_" + "a" * 42 + "\x00",
        "todo_pat_" + "é" * 43,
        "x" * 52,
    ],
    ids=[
        "empty",
        "prefix",
        "short",
        "long",
        "padding",
        "nul",
        "non-ascii",
        "no-prefix",
    ],
)
def test_authenticate_malformed_token_is_invalid(session: Session, token: str) -> None:
    with pytest.raises(InvalidToken):
        _owner_of(session, token)


def test_authenticate_unknown_token_is_invalid(session: Session) -> None:
    owner = make_user(session)
    token = make_access_token(session, owner, now=NOW)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(InvalidToken):
        _owner_of(session, forged)


def test_revoke_token_stops_it_at_once(session: Session) -> None:
    owner = make_user(session)
    token = make_access_token(session, owner, now=NOW)
    row = session.exec(select(AccessToken)).one()
    access_tokens.revoke_token(session, owner_id=owner.id, token_id=row.id)
    with pytest.raises(InvalidToken):
        _owner_of(session, token)


def test_revoke_token_of_another_user_is_not_found(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    token = make_access_token(session, owner, now=NOW)
    row = session.exec(select(AccessToken)).one()
    with pytest.raises(NotFound):
        access_tokens.revoke_token(session, owner_id=other.id, token_id=row.id)
    assert _owner_of(session, token) == owner.id


@pytest.mark.parametrize("token_id", [0, -1, 2**31, 2**63, "1", True, None])
def test_revoke_token_impossible_id_is_not_found(
    session: Session, token_id: object
) -> None:
    owner = make_user(session)
    make_access_token(session, owner)
    with pytest.raises(NotFound):
        access_tokens.revoke_token(session, owner_id=owner.id, token_id=token_id)


def test_list_tokens_shows_only_the_owners_newest_first(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    make_access_token(session, owner, name="first", now=NOW)
    make_access_token(session, other, name="theirs", now=NOW)
    make_access_token(session, owner, name="second", now=NOW + timedelta(minutes=1))
    names = [row.name for row in access_tokens.list_tokens(session, owner_id=owner.id)]
    assert names == ["second", "first"]


def test_create_token_refuses_one_over_the_limit(session: Session) -> None:
    owner = make_user(session)
    for _ in range(ACCESS_TOKENS_PER_USER_MAX):
        make_access_token(session, owner, now=NOW)
    with pytest.raises(InvalidInput, match="at most|most an account"):
        make_access_token(session, owner, now=NOW)


def test_create_token_limit_is_per_user(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    for _ in range(ACCESS_TOKENS_PER_USER_MAX):
        make_access_token(session, owner, now=NOW)
    assert make_access_token(session, other, now=NOW)


def test_create_token_expired_ones_free_their_slot(session: Session) -> None:
    owner = make_user(session)
    for _ in range(ACCESS_TOKENS_PER_USER_MAX):
        make_access_token(session, owner, expires_in_days=1, now=NOW)
    assert make_access_token(session, owner, now=NOW + timedelta(days=2))
    assert len(access_tokens.list_tokens(session, owner_id=owner.id)) == 1


def test_create_token_revoked_ones_free_their_slot(session: Session) -> None:
    owner = make_user(session)
    for _ in range(ACCESS_TOKENS_PER_USER_MAX):
        make_access_token(session, owner, now=NOW)
    first = access_tokens.list_tokens(session, owner_id=owner.id)[-1]
    access_tokens.revoke_token(session, owner_id=owner.id, token_id=first.id)
    assert make_access_token(session, owner, now=NOW)


def test_token_create_schema_refuses_bad_input() -> None:
    for bad in (
        {"name": " ", "scope": "read"},
        {"name": "x" * 101, "scope": "read"},
        {"name": "ok", "scope": "admin"},
        {"name": "ok", "scope": "read", "expires_in_days": 0},
        {"name": "ok", "scope": "read", "expires_in_days": 3651},
        {"name": "ok", "scope": "read", "user_id": 1},
    ):
        with pytest.raises(ValueError):
            AccessTokenCreate.model_validate(bad)


def test_change_password_revokes_every_token(session: Session) -> None:
    owner = make_user(session, password="password123")
    token = make_access_token(session, owner)
    asyncio.run(
        accounts.change_password(
            user_id=owner.id,
            data=PasswordChange(
                current_password="password123", new_password="new-password-1"
            ),
        )
    )
    session.expire_all()
    with pytest.raises(InvalidToken):
        _owner_of(session, token, now=datetime.now(UTC))


def test_change_password_keeps_other_users_tokens(session: Session) -> None:
    owner = make_user(session, password="password123")
    other = make_user(session)
    token = make_access_token(session, other)
    accounts.set_password(
        session, user_id=owner.id, password_hash="x", replacing=owner.password_hash
    )
    assert _owner_of(session, token, now=datetime.now(UTC)) == other.id


def test_delete_account_deletes_its_tokens(session: Session) -> None:
    owner = make_user(session)
    token = make_access_token(session, owner)
    accounts.delete_account(session, user_id=owner.id)
    session.commit()
    assert session.exec(select(AccessToken)).all() == []
    with pytest.raises(InvalidToken):
        _owner_of(session, token, now=datetime.now(UTC))
