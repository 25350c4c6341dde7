"""Bearer tokens: PyJWT HS256 with the app's secret key."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from sqlmodel import Session

from tests.builders import make_user
from todo_app.errors import InvalidToken
from todo_app.services import accounts, sessions
from todo_app.settings import get_secret_key, get_settings

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def _sign(claims: dict[str, Any], key: bytes | None = None) -> str:
    return jwt.encode(claims, key or get_secret_key(), algorithm="HS256")


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _in_an_hour() -> int:
    return int((datetime.now(UTC) + timedelta(hours=1)).timestamp())


def test_issue_token_has_sub_iat_exp_and_ver(session: Session) -> None:
    user = make_user(session)
    token = sessions.issue_token(user, now=NOW).access_token
    claims = jwt.decode(
        token,
        get_secret_key(),
        algorithms=["HS256"],
        options={"verify_exp": False, "verify_iat": False},
    )
    ttl = timedelta(minutes=get_settings().token_ttl_minutes)
    assert claims == {
        "sub": str(user.id),
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + ttl).timestamp()),
        "ver": 0,
    }


def test_issue_token_expires_in_is_the_ttl_in_seconds(session: Session) -> None:
    user = make_user(session)
    issued = sessions.issue_token(user)
    assert issued.expires_in == get_settings().token_ttl_minutes * 60


def test_user_for_token_fresh_token_returns_user(session: Session) -> None:
    user = make_user(session)
    token = sessions.issue_token(user).access_token
    assert sessions.user_for_token(session, token=token).id == user.id


def test_user_for_token_hand_made_sub_and_exp_token_returns_user(
    session: Session,
) -> None:
    user = make_user(session)
    token = _sign({"sub": str(user.id), "exp": _in_an_hour()})
    assert sessions.user_for_token(session, token=token).id == user.id


def test_user_for_token_injected_clock_accepts_token_issued_then(
    session: Session,
) -> None:
    user = make_user(session)
    token = sessions.issue_token(user, now=NOW).access_token
    found = sessions.user_for_token(
        session, token=token, now=NOW + timedelta(minutes=1)
    )
    assert found.id == user.id


def test_user_for_token_injected_clock_after_expiry_raises(session: Session) -> None:
    user = make_user(session)
    issued = sessions.issue_token(user, now=NOW)
    later = NOW + timedelta(seconds=issued.expires_in)
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=issued.access_token, now=later)


def test_user_for_token_expired_raises(session: Session) -> None:
    user = make_user(session)
    past = datetime.now(UTC) - timedelta(days=3)
    token = sessions.issue_token(user, now=past).access_token
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_user_for_token_wrong_signature_raises(session: Session) -> None:
    user = make_user(session)
    token = _sign(
        {"sub": str(user.id), "exp": _in_an_hour()},
        key=b"another-secret-key-that-is-long-enough-0123",
    )
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_user_for_token_alg_none_raises(session: Session) -> None:
    user = make_user(session)
    header = _b64({"alg": "none", "typ": "JWT"})
    token = f"{header}.{_b64({'sub': str(user.id), 'exp': _in_an_hour()})}."
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_user_for_token_missing_exp_raises(session: Session) -> None:
    user = make_user(session)
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=_sign({"sub": str(user.id)}))


def test_user_for_token_missing_exp_with_injected_clock_raises(
    session: Session,
) -> None:
    user = make_user(session)
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=_sign({"sub": str(user.id)}), now=NOW)


def test_user_for_token_non_numeric_exp_with_injected_clock_raises(
    session: Session,
) -> None:
    user = make_user(session)
    token = _sign({"sub": str(user.id), "exp": "tomorrow"})
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token, now=NOW)


def test_user_for_token_missing_sub_raises(session: Session) -> None:
    make_user(session)
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=_sign({"exp": _in_an_hour()}))


@pytest.mark.parametrize(
    "subject",
    ["abc", "", "1.0", "-1", " 1", "1 ", "0x1", "²", "١", "1" * 40],
    ids=[
        "letters",
        "empty",
        "decimal",
        "negative",
        "leading-space",
        "trailing-space",
        "hex",
        "superscript-digit",
        "arabic-indic-digit",
        "huge",
    ],
)
def test_user_for_token_non_numeric_sub_raises(session: Session, subject: str) -> None:
    make_user(session)  # user id 1 exists, so a lenient parse would find someone
    with pytest.raises(InvalidToken):
        sessions.user_for_token(
            session, token=_sign({"sub": subject, "exp": _in_an_hour()})
        )


def test_user_for_token_integer_sub_raises(session: Session) -> None:
    user = make_user(session)
    token = _sign({"sub": user.id, "exp": _in_an_hour()})
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_user_for_token_unknown_user_raises(session: Session) -> None:
    make_user(session)
    with pytest.raises(InvalidToken):
        sessions.user_for_token(
            session, token=_sign({"sub": "999999", "exp": _in_an_hour()})
        )


def test_user_for_token_revoked_version_raises(session: Session) -> None:
    user = make_user(session)
    token = sessions.issue_token(user).access_token
    sessions.revoke_tokens(session, user_id=user.id)
    session.commit()
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_user_for_token_hand_made_token_after_revocation_raises(
    session: Session,
) -> None:
    user = make_user(session)
    sessions.revoke_tokens(session, user_id=user.id)
    session.commit()
    token = _sign({"sub": str(user.id), "exp": _in_an_hour()})
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_user_for_token_deleted_user_raises(session: Session) -> None:
    user = make_user(session)
    token = sessions.issue_token(user).access_token
    accounts.delete_account(session, user_id=user.id)
    session.commit()
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


@pytest.mark.parametrize("token", ["garbage", "", "a.b.c", "..", "Bearer x"], ids=str)
def test_user_for_token_garbage_raises(session: Session, token: str) -> None:
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_user_for_token_same_message_for_every_rejection(session: Session) -> None:
    messages: set[str] = set()
    for token in ["garbage", _sign({"sub": "999999", "exp": _in_an_hour()})]:
        with pytest.raises(InvalidToken) as error:
            sessions.user_for_token(session, token=token)
        messages.add(str(error.value))
    assert len(messages) == 1


def test_user_for_token_not_yet_valid_nbf_raises(session: Session) -> None:
    user = make_user(session)
    nbf = int((NOW + timedelta(minutes=5)).timestamp())
    exp = int((NOW + timedelta(hours=1)).timestamp())
    token = _sign({"sub": str(user.id), "exp": exp, "nbf": nbf})
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token, now=NOW)
