"""Sessions and their bearer tokens: PyJWT HS256 naming a session row that must still exist."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from sqlmodel import Session, select

from tests.builders import make_task, make_user, token_for
from todo_app.errors import InvalidToken, NotFound
from todo_app.models import Task, User, UserSession
from todo_app.services import accounts, sessions, tasks
from todo_app.settings import get_secret_key, get_settings

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def _sign(claims: dict[str, Any], key: bytes | None = None) -> str:
    return jwt.encode(claims, key or get_secret_key(), algorithm="HS256")


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _in_an_hour() -> int:
    return int((datetime.now(UTC) + timedelta(hours=1)).timestamp())


def _claims(token: str) -> dict[str, Any]:
    return jwt.decode(
        token,
        get_secret_key(),
        algorithms=["HS256"],
        options={"verify_exp": False, "verify_iat": False},
    )


def _session_id(session: Session, user: User) -> str:
    return session.exec(
        select(UserSession.id).where(UserSession.user_id == user.id)
    ).one()


# --- starting a session ------------------------------------------------------------------------


def test_start_session_token_has_sub_sid_iat_exp(session: Session) -> None:
    user = make_user(session)
    token = token_for(session, user, now=NOW)
    ttl = timedelta(minutes=get_settings().token_ttl_minutes)
    assert _claims(token) == {
        "sub": str(user.id),
        "sid": _session_id(session, user),
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + ttl).timestamp()),
    }


def test_start_session_expires_in_is_the_ttl_in_seconds(session: Session) -> None:
    user = make_user(session)
    issued = sessions.start_session(session, user_id=user.id)
    assert issued.expires_in == get_settings().token_ttl_minutes * 60


def test_start_session_stores_user_agent_and_client(session: Session) -> None:
    user = make_user(session)
    sessions.start_session(
        session, user_id=user.id, user_agent="Firefox\x00/1", client="203.0.113.4"
    )
    row = session.exec(select(UserSession)).one()
    assert (row.user_agent, row.client) == ("Firefox/1", "203.0.113.4")


def test_start_session_ids_are_random_and_distinct(session: Session) -> None:
    user = make_user(session)
    tokens = {token_for(session, user) for _ in range(5)}
    ids = {_claims(token)["sid"] for token in tokens}
    assert len(ids) == 5
    assert all(len(sid) >= 32 for sid in ids)


# --- checking a token --------------------------------------------------------------------------


def test_user_for_token_fresh_token_returns_user(session: Session) -> None:
    user = make_user(session)
    assert (
        sessions.user_for_token(session, token=token_for(session, user)).id == user.id
    )


def test_authenticate_names_the_session(session: Session) -> None:
    user = make_user(session)
    signed_in = sessions.authenticate(session, token=token_for(session, user))
    assert signed_in.session_id == _session_id(session, user)


def test_user_for_token_injected_clock_accepts_token_issued_then(
    session: Session,
) -> None:
    user = make_user(session)
    token = token_for(session, user, now=NOW)
    found = sessions.user_for_token(
        session, token=token, now=NOW + timedelta(minutes=1)
    )
    assert found.id == user.id


def test_user_for_token_injected_clock_after_expiry_raises(session: Session) -> None:
    user = make_user(session)
    token = token_for(session, user, now=NOW)
    later = NOW + timedelta(minutes=get_settings().token_ttl_minutes)
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token, now=later)


def test_token_claims_checks_expiry_on_every_use_of_a_verified_token(
    session: Session,
) -> None:
    # Signatures are verified once per token (a cache): the clock is still read each time.
    user = make_user(session)
    token = token_for(session, user, now=NOW)
    assert sessions.token_claims(token, now=NOW)[0] == user.id
    ttl = timedelta(minutes=get_settings().token_ttl_minutes)
    with pytest.raises(InvalidToken):
        sessions.token_claims(token, now=NOW + ttl)
    assert sessions.token_claims(token, now=NOW + ttl / 2)[0] == user.id


def test_token_claims_refuses_a_verified_token_once_the_key_changed(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(session)
    token = token_for(session, user, now=NOW)
    assert sessions.token_claims(token, now=NOW)[0] == user.id
    monkeypatch.setattr(sessions, "get_secret_key", lambda: "another key " * 4)
    with pytest.raises(InvalidToken):
        sessions.token_claims(token, now=NOW)


def test_user_for_token_expired_raises(session: Session) -> None:
    user = make_user(session)
    token = token_for(session, user, now=datetime.now(UTC) - timedelta(days=3))
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_authenticate_updates_last_seen_at_most_every_few_minutes(
    session: Session,
) -> None:
    user = make_user(session)
    token = token_for(session, user, now=NOW)
    sessions.authenticate(session, token=token, now=NOW + timedelta(minutes=1))
    unchanged = session.exec(select(UserSession.last_seen_at)).one()
    sessions.authenticate(session, token=token, now=NOW + timedelta(minutes=6))
    session.flush()
    changed = session.exec(select(UserSession.last_seen_at)).one()
    assert (unchanged, changed) == (NOW, NOW + timedelta(minutes=6))


def test_user_for_token_hand_made_token_without_session_raises(
    session: Session,
) -> None:
    user = make_user(session)
    token = _sign({"sub": str(user.id), "exp": _in_an_hour()})
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_user_for_token_made_up_session_id_raises(session: Session) -> None:
    user = make_user(session)
    token_for(session, user)
    token = _sign({"sub": str(user.id), "sid": "x" * 32, "exp": _in_an_hour()})
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_user_for_token_session_of_another_user_raises(session: Session) -> None:
    ada, bob = make_user(session), make_user(session)
    token_for(session, bob)
    bobs_session = _session_id(session, bob)
    token = _sign({"sub": str(ada.id), "sid": bobs_session, "exp": _in_an_hour()})
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_user_for_token_wrong_signature_raises(session: Session) -> None:
    user = make_user(session)
    real = _claims(token_for(session, user))
    token = _sign(real, key=b"another-secret-key-that-is-long-enough-0123")
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_user_for_token_alg_none_raises(session: Session) -> None:
    user = make_user(session)
    claims = _claims(token_for(session, user))
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


@pytest.mark.parametrize("missing", ["exp", "sub", "sid"])
def test_user_for_token_missing_claim_raises(session: Session, missing: str) -> None:
    user = make_user(session)
    claims = _claims(token_for(session, user))
    del claims[missing]
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=_sign(claims), now=NOW)


def test_user_for_token_non_numeric_exp_with_injected_clock_raises(
    session: Session,
) -> None:
    user = make_user(session)
    claims = {**_claims(token_for(session, user)), "exp": "tomorrow"}
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=_sign(claims), now=NOW)


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
    user = make_user(session)  # user id 1 exists, so a lenient parse would find someone
    claims = {**_claims(token_for(session, user)), "sub": subject}
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=_sign(claims))


@pytest.mark.parametrize(
    "sid", ["", "a\x00b", "é" * 10, "x" * 65, 12345, None], ids=repr
)
def test_user_for_token_malformed_session_id_raises(
    session: Session, sid: object
) -> None:
    user = make_user(session)
    claims = {**_claims(token_for(session, user)), "sid": sid}
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=_sign(claims))


def test_user_for_token_integer_sub_raises(session: Session) -> None:
    user = make_user(session)
    claims = {**_claims(token_for(session, user)), "sub": user.id}
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=_sign(claims))


def test_user_for_token_deleted_user_raises(session: Session) -> None:
    user = make_user(session)
    token = token_for(session, user)
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
    for token in ["garbage", _sign({"sub": "999999", "sid": "x" * 32, "exp": 2**40})]:
        with pytest.raises(InvalidToken) as error:
            sessions.user_for_token(session, token=token)
        messages.add(str(error.value))
    assert len(messages) == 1


def test_user_for_token_not_yet_valid_nbf_raises(session: Session) -> None:
    user = make_user(session)
    nbf = int((NOW + timedelta(minutes=5)).timestamp())
    claims = {**_claims(token_for(session, user, now=NOW)), "nbf": nbf}
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=_sign(claims), now=NOW)


# --- the account takeover through a reused id --------------------------------------------------


def test_deleted_accounts_token_never_works_for_the_next_account(
    session: Session,
) -> None:
    ada = make_user(session, email="ada@example.com")
    adas_token = token_for(session, ada)
    accounts.delete_account(session, user_id=ada.id)
    session.commit()
    bob = make_user(session, email="bob@example.com")
    make_task(session, bob, title="Bob's secret")
    assert bob.id != ada.id  # ids are never given out twice
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=adas_token)


def test_token_of_a_gone_account_fails_even_if_its_id_is_taken_again(
    session: Session,
) -> None:
    # Should an id ever come back (restored backup, manual insert), the session still differs.
    ada = make_user(session, email="ada@example.com")
    adas_token = token_for(session, ada)
    ada_id = ada.id
    accounts.delete_account(session, user_id=ada.id)
    session.commit()
    session.add(User(id=ada_id, email="bob@example.com", password_hash="x"))
    session.commit()
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=adas_token)


def test_deleted_task_id_never_comes_back(session: Session) -> None:
    user = make_user(session)
    newest = make_task(session, user)
    tasks.delete_task(session, owner_id=user.id, task_id=newest.id)
    session.commit()
    assert make_task(session, user).id > newest.id


def test_deleted_account_id_never_comes_back(session: Session) -> None:
    newest = make_user(session)
    accounts.delete_account(session, user_id=newest.id)
    session.commit()
    assert make_user(session).id > newest.id


# --- listing and ending sessions ---------------------------------------------------------------


def test_list_sessions_returns_the_users_live_sessions_newest_first(
    session: Session,
) -> None:
    user, other = make_user(session), make_user(session)
    token_for(session, user, now=NOW)
    token_for(session, user, now=NOW + timedelta(minutes=10))
    token_for(session, other, now=NOW)
    listed = sessions.list_sessions(session, user_id=user.id, now=NOW)
    assert [row.created_at for row in listed] == [
        NOW + timedelta(minutes=10),
        NOW,
    ]


def test_log_out_ends_only_that_session(session: Session) -> None:
    user = make_user(session)
    first, second = token_for(session, user), token_for(session, user)
    sessions.log_out(session, token=first)
    session.commit()
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=first)
    assert sessions.user_for_token(session, token=second).id == user.id


def test_end_all_sessions_ends_every_token_of_the_user_only(session: Session) -> None:
    user, other = make_user(session), make_user(session)
    tokens = [token_for(session, user) for _ in range(3)]
    others = token_for(session, other)
    assert sessions.end_all_sessions(session, user_id=user.id) == 3
    session.commit()
    for token in tokens:
        with pytest.raises(InvalidToken):
            sessions.user_for_token(session, token=token)
    assert sessions.user_for_token(session, token=others).id == other.id


def test_end_session_of_another_user_raises_not_found(session: Session) -> None:
    user, other = make_user(session), make_user(session)
    token = token_for(session, other)
    with pytest.raises(NotFound):
        sessions.end_session(session, user_id=user.id, session_id=_claims(token)["sid"])
    session.commit()
    assert sessions.user_for_token(session, token=token).id == other.id


@pytest.mark.parametrize("session_id", ["", "a\x00b", "é", "x" * 500], ids=repr)
def test_end_session_malformed_id_raises_not_found(
    session: Session, session_id: str
) -> None:
    user = make_user(session)
    with pytest.raises(NotFound):
        sessions.end_session(session, user_id=user.id, session_id=session_id)


def test_delete_account_removes_its_sessions_and_tasks(session: Session) -> None:
    user = make_user(session)
    token_for(session, user)
    make_task(session, user)
    accounts.delete_account(session, user_id=user.id)
    session.commit()
    assert session.exec(select(UserSession)).all() == []
    assert session.exec(select(Task)).all() == []
