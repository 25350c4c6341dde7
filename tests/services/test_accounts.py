"""Accounts: registration, profile, password change, deletion, revocation, login."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.builders import log_in_user, make_task, make_user, token_for
from todo_app.db import get_engine
from todo_app.errors import (
    EmailTaken,
    IncorrectPassword,
    InvalidCredentials,
    InvalidInput,
    InvalidToken,
    NotFound,
    TooManyAttempts,
)
from todo_app.models import (
    PasswordChange,
    Task,
    TaskTag,
    ThrottleEvent,
    ThrottleKind,
    User,
    UserCreate,
    UserUpdate,
)
from todo_app.services import accounts, passwords, sessions, tasks
from todo_app.settings import get_settings


def change_password(session: Session, user_id: int, data: PasswordChange) -> User:
    """Change the password as the API and the UI do, in their own transactions."""
    session.commit()
    changed = asyncio.run(accounts.change_password(user_id=user_id, data=data))
    session.expire_all()
    return changed


def test_register_stores_email_trimmed_and_lower_cased(session: Session) -> None:
    user = make_user(session, email="  Ada.Lovelace@Example.COM ")
    assert user.email == "ada.lovelace@example.com"


def test_register_same_email_in_other_case_raises_email_taken(
    session: Session,
) -> None:
    make_user(session, email="ada@example.com")
    with pytest.raises(EmailTaken):
        accounts.register(
            session,
            data=UserCreate(email="ADA@Example.com", password="password123"),
            password_hash=passwords.hash_password("password123"),
        )


def test_register_without_name_stores_none(session: Session) -> None:
    user = make_user(session, name=None)
    assert user.name is None


def test_register_with_name_stores_it(session: Session) -> None:
    user = make_user(session, name="Ada Lovelace")
    assert session.get(User, user.id).name == "Ada Lovelace"


def test_register_stores_a_hash_not_the_password(session: Session) -> None:
    user = make_user(session, password="password123")
    assert "password123" not in user.password_hash
    assert passwords.verify_password("password123", user.password_hash)


def test_register_name_of_100_characters_is_stored(session: Session) -> None:
    user = make_user(session, name="n" * 100)
    session.expire_all()
    assert session.get(User, user.id).name == "n" * 100


def test_update_profile_changes_name(session: Session) -> None:
    user = make_user(session, name="Old")
    accounts.update_profile(session, user_id=user.id, data=UserUpdate(name=" New "))
    session.commit()
    session.expire_all()
    assert session.get(User, user.id).name == "New"


def test_update_profile_empty_name_clears_it(session: Session) -> None:
    user = make_user(session, name="Old")
    accounts.update_profile(session, user_id=user.id, data=UserUpdate(name="  "))
    session.commit()
    session.expire_all()
    assert session.get(User, user.id).name is None


def test_update_profile_without_name_field_keeps_the_name(session: Session) -> None:
    # PATCH /me with {} changes nothing; only a name that is sent (even null) changes it.
    user = make_user(session, name="Ada")
    accounts.update_profile(session, user_id=user.id, data=UserUpdate())
    session.commit()
    session.expire_all()
    assert session.get(User, user.id).name == "Ada"


def test_update_profile_null_name_clears_it(session: Session) -> None:
    user = make_user(session, name="Ada")
    accounts.update_profile(session, user_id=user.id, data=UserUpdate(name=None))
    session.commit()
    session.expire_all()
    assert session.get(User, user.id).name is None


def test_register_stores_utc_as_the_default_timezone(session: Session) -> None:
    assert make_user(session).timezone == "UTC"


def test_register_stores_the_timezone_given(session: Session) -> None:
    user = make_user(session, timezone="Pacific/Kiritimati")
    session.expire_all()
    assert session.get(User, user.id).timezone == "Pacific/Kiritimati"


def test_update_profile_changes_the_timezone(session: Session) -> None:
    user = make_user(session)
    accounts.update_profile(
        session, user_id=user.id, data=UserUpdate(timezone="Europe/Paris")
    )
    session.commit()
    session.expire_all()
    assert session.get(User, user.id).timezone == "Europe/Paris"


def test_update_profile_without_timezone_keeps_it(session: Session) -> None:
    user = make_user(session, timezone="Europe/Paris")
    accounts.update_profile(session, user_id=user.id, data=UserUpdate(name="Ada"))
    session.commit()
    session.expire_all()
    assert session.get(User, user.id).timezone == "Europe/Paris"


def test_set_timezone_stores_the_iana_name(session: Session) -> None:
    user = make_user(session)
    accounts.set_timezone(session, user_id=user.id, timezone="america/new_york")
    assert user.timezone == "America/New_York"


def test_set_timezone_unknown_raises_invalid_input_naming_the_field(
    session: Session,
) -> None:
    user = make_user(session)
    with pytest.raises(InvalidInput) as error:
        accounts.set_timezone(session, user_id=user.id, timezone="Mars/Olympus_Mons")
    assert error.value.field == "timezone"


def test_adopt_browser_timezone_replaces_the_default(session: Session) -> None:
    user = make_user(session)
    accounts.adopt_browser_timezone(
        session, user_id=user.id, timezone="Pacific/Pago_Pago"
    )
    assert user.timezone == "Pacific/Pago_Pago"


def test_adopt_browser_timezone_keeps_a_zone_the_user_chose(session: Session) -> None:
    user = make_user(session, timezone="Europe/Paris")
    accounts.adopt_browser_timezone(
        session, user_id=user.id, timezone="Pacific/Pago_Pago"
    )
    assert user.timezone == "Europe/Paris"


def test_timezone_or_default_unknown_zone_is_utc() -> None:
    assert accounts.timezone_or_default("Mars/Olympus_Mons") == "UTC"


def test_timezone_or_default_known_zone_is_its_iana_name() -> None:
    assert accounts.timezone_or_default("europe/paris") == "Europe/Paris"


def test_timezones_are_sorted_iana_names_without_the_servers_own() -> None:
    assert list(accounts.TIMEZONES) == sorted(accounts.TIMEZONES)
    assert {"Europe/Paris", "Pacific/Kiritimati", "UTC"} <= set(accounts.TIMEZONES)
    assert "localtime" not in accounts.TIMEZONES


def test_update_profile_unknown_user_raises_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        accounts.update_profile(session, user_id=999_999, data=UserUpdate(name="x"))


def test_change_password_wrong_current_raises_incorrect_password(
    session: Session,
) -> None:
    user = make_user(session, password="password123")
    with pytest.raises(IncorrectPassword):
        change_password(
            session,
            user.id,
            PasswordChange(
                current_password="wrong-password", new_password="new-password-1"
            ),
        )


def test_change_password_new_password_authenticates(session: Session) -> None:
    user = make_user(session, email="ada@example.com", password="password123")
    change_password(
        session,
        user.id,
        PasswordChange(current_password="password123", new_password="new-password-1"),
    )
    session.commit()
    assert (
        log_in_user(session, email="ada@example.com", password="new-password-1").id
        == user.id
    )


def test_change_password_old_password_is_rejected(session: Session) -> None:
    user = make_user(session, email="ada@example.com", password="password123")
    change_password(
        session,
        user.id,
        PasswordChange(current_password="password123", new_password="new-password-1"),
    )
    session.commit()
    with pytest.raises(InvalidCredentials):
        log_in_user(session, email="ada@example.com", password="password123")


def test_change_password_rejects_tokens_issued_before(session: Session) -> None:
    user = make_user(session, password="password123")
    token = token_for(session, user)
    change_password(
        session,
        user.id,
        PasswordChange(current_password="password123", new_password="new-password-1"),
    )
    session.commit()
    with pytest.raises(InvalidToken):
        sessions.user_for_token(session, token=token)


def test_change_password_sessions_started_after_work(session: Session) -> None:
    user = make_user(session, password="password123")
    change_password(
        session,
        user.id,
        PasswordChange(current_password="password123", new_password="new-password-1"),
    )
    token = token_for(session, user)
    assert sessions.user_for_token(session, token=token).id == user.id


def test_change_password_wrong_current_counts_as_a_failed_login(
    session: Session,
) -> None:
    user = make_user(session, password="password123")
    with pytest.raises(IncorrectPassword):
        change_password(
            session,
            user.id,
            PasswordChange(current_password="guess-1234", new_password="whatever-123"),
        )
    kinds = session.exec(select(ThrottleEvent.kind, ThrottleEvent.account)).all()
    assert kinds == [(ThrottleKind.failed_password, user.email)]


def test_change_password_guessing_is_throttled_like_logins(session: Session) -> None:
    user = make_user(session, password="password123")
    guess = PasswordChange(current_password="guess-1234", new_password="whatever-123")
    for _ in range(get_settings().login_max_failures):
        with pytest.raises(IncorrectPassword):
            change_password(session, user.id, guess)
    with pytest.raises(TooManyAttempts):
        change_password(
            session,
            user.id,
            PasswordChange(
                current_password="password123", new_password="new-password-1"
            ),
        )


def _rows(session: Session, model: Any, user_id: int) -> list[Any]:
    session.expire_all()
    return list(session.exec(select(model).where(model.user_id == user_id)).all())


def test_delete_account_removes_the_user(session: Session) -> None:
    user = make_user(session)
    accounts.delete_account(session, user_id=user.id)
    session.commit()
    session.expire_all()
    assert session.get(User, user.id) is None


def test_delete_account_removes_their_tasks_and_tags(session: Session) -> None:
    user = make_user(session)
    make_task(session, user, tags=["home", "work"])
    make_task(session, user, tags=["home"])
    accounts.delete_account(session, user_id=user.id)
    session.commit()
    assert _rows(session, Task, user.id) == []
    assert _rows(session, TaskTag, user.id) == []


def test_delete_account_leaves_other_users_untouched(session: Session) -> None:
    user = make_user(session)
    other = make_user(session)
    make_task(session, user, tags=["home"])
    kept = make_task(session, other, title="Keep me", tags=["home"])
    accounts.delete_account(session, user_id=user.id)
    session.commit()
    assert session.get(User, other.id) is not None
    assert [t.id for t in tasks.list_tasks(session, owner_id=other.id).items] == [
        kept.id
    ]
    assert tasks.list_tags(session, owner_id=other.id) == ["home"]


def test_delete_account_unknown_user_raises_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        accounts.delete_account(session, user_id=999_999)


def test_authenticate_correct_password_returns_user(session: Session) -> None:
    user = make_user(session, email="ada@example.com", password="password123")
    found = log_in_user(session, email="ada@example.com", password="password123")
    assert found.id == user.id


def test_authenticate_email_in_other_case_returns_user(session: Session) -> None:
    user = make_user(session, email="ada@example.com", password="password123")
    found = log_in_user(session, email=" ADA@Example.com ", password="password123")
    assert found.id == user.id


def test_authenticate_wrong_password_raises_invalid_credentials(
    session: Session,
) -> None:
    make_user(session, email="ada@example.com", password="password123")
    with pytest.raises(InvalidCredentials):
        log_in_user(session, email="ada@example.com", password="password124")


def test_authenticate_unknown_email_raises_invalid_credentials(
    session: Session,
) -> None:
    with pytest.raises(InvalidCredentials):
        log_in_user(session, email="nobody@example.com", password="password123")


def test_authenticate_unknown_email_and_wrong_password_give_same_message(
    session: Session,
) -> None:
    make_user(session, email="ada@example.com", password="password123")
    with pytest.raises(InvalidCredentials) as wrong_password:
        log_in_user(session, email="ada@example.com", password="password124")
    with pytest.raises(InvalidCredentials) as unknown_email:
        log_in_user(session, email="nobody@example.com", password="password123")
    assert str(unknown_email.value) == str(wrong_password.value)


def test_authenticate_unknown_email_still_verifies_a_hash(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_verify = passwords.verify_password

    def spy(password: str, password_hash: str) -> bool:
        calls.append(password)
        return real_verify(password, password_hash)

    monkeypatch.setattr(passwords, "verify_password", spy)
    with pytest.raises(InvalidCredentials):
        log_in_user(session, email="nobody@example.com", password="password123")
    assert calls == ["password123"]


def test_authenticate_wrong_password_records_a_failure(session: Session) -> None:
    make_user(session, email="ada@example.com", password="password123")
    with pytest.raises(InvalidCredentials):
        log_in_user(
            session, email="ada@example.com", password="password124", client="1.2.3.4"
        )
    failures = session.exec(select(ThrottleEvent)).all()
    assert [(f.kind, f.account, f.client) for f in failures] == [
        (ThrottleKind.failed_password, "ada@example.com", "1.2.3.4")
    ]


def _spy_on_bcrypt(
    monkeypatch: pytest.MonkeyPatch, database_url: str, name: str
) -> list[int]:
    """Connections checked out of the pool each time bcrypt function `name` runs."""
    checked_out: list[int] = []
    real = getattr(passwords, name)

    def spy(*args: Any) -> Any:
        checked_out.append(get_engine(database_url).pool.checkedout())
        return real(*args)

    monkeypatch.setattr(passwords, name, spy)
    monkeypatch.setattr(accounts, name, spy)
    return checked_out


def test_sign_up_hashes_the_password_outside_any_database_session(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked_out = _spy_on_bcrypt(monkeypatch, database_url, "hash_password")
    user = asyncio.run(
        accounts.sign_up(UserCreate(email="ada@example.com", password="password123"))
    )
    assert user.id is not None
    assert checked_out == [0]


def test_change_password_runs_bcrypt_outside_any_database_session(
    session: Session, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(session, password="password123")
    verified = _spy_on_bcrypt(monkeypatch, database_url, "verify_password")
    hashed = _spy_on_bcrypt(monkeypatch, database_url, "hash_password")
    change_password(
        session,
        user.id,
        PasswordChange(current_password="password123", new_password="new-password-1"),
    )
    assert (verified, hashed) == ([0], [0])


def test_set_password_refuses_when_another_change_won_meanwhile(
    session: Session,
) -> None:
    user = make_user(session, password="password123")
    with pytest.raises(IncorrectPassword):
        accounts.set_password(
            session,
            user_id=user.id,
            password_hash=passwords.hash_password("new-password-1"),
            replacing="a hash read before another change",
        )


def test_sign_up_with_a_taken_email_spends_the_same_bcrypt_work(
    session: Session, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(session, email="ada@example.com")
    session.commit()
    hashed = _spy_on_bcrypt(monkeypatch, database_url, "hash_password")
    with pytest.raises(EmailTaken):
        asyncio.run(
            accounts.sign_up(
                UserCreate(email="ada@example.com", password="password123"),
                client="198.51.100.1",
            )
        )
    assert hashed == [0]  # one hash, as for a new account: timing does not tell


def test_sign_up_counts_taken_emails_towards_the_hourly_limit(
    session: Session,
) -> None:
    make_user(session, email="ada@example.com")
    session.commit()
    probe = UserCreate(email="ada@example.com", password="password123")
    for _ in range(get_settings().signups_per_hour):
        with pytest.raises(EmailTaken):
            asyncio.run(accounts.sign_up(probe, client="198.51.100.1"))
    with pytest.raises(TooManyAttempts):
        asyncio.run(accounts.sign_up(probe, client="198.51.100.1"))
