"""Passwords: 8-128 characters of any script, verified exactly as typed."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.builders import log_in_user, make_user
from todo_app.errors import InvalidCredentials
from todo_app.services import passwords


@pytest.mark.parametrize(
    "password",
    [
        "пароль-секрет",  # Cyrillic
        "密码安全很重要的事情",  # Chinese
        "كلمة المرور",  # Arabic
        "🔑🐍🔒🎉🌍🚀💡🍕",  # emoji only
        "mot de passe é",
    ],
    ids=["cyrillic", "chinese", "arabic", "emoji", "accents"],
)
def test_authenticate_non_latin_password_works(session: Session, password: str) -> None:
    user = make_user(session, email="ada@example.com", password=password)
    found = log_in_user(session, email="ada@example.com", password=password)
    assert found.id == user.id


def test_verify_password_shared_first_72_bytes_does_not_match() -> None:
    prefix = "a" * 72
    password_hash = passwords.hash_password(prefix + "first")
    assert not passwords.verify_password(prefix + "second", password_hash)


def test_verify_password_shared_first_72_bytes_multibyte_does_not_match() -> None:
    prefix = "é" * 36  # 72 bytes of UTF-8
    password_hash = passwords.hash_password(prefix + "xx")
    assert not passwords.verify_password(prefix + "yy", password_hash)


def test_authenticate_128_character_password_works(session: Session) -> None:
    password = "p" * 127 + "!"
    user = make_user(session, email="ada@example.com", password=password)
    found = log_in_user(session, email="ada@example.com", password=password)
    assert found.id == user.id


def test_authenticate_128_character_password_missing_last_character_fails(
    session: Session,
) -> None:
    password = "p" * 127 + "!"
    make_user(session, email="ada@example.com", password=password)
    with pytest.raises(InvalidCredentials):
        log_in_user(session, email="ada@example.com", password=password[:-1])


def test_authenticate_very_long_password_raises_invalid_credentials(
    session: Session,
) -> None:
    make_user(session, email="ada@example.com", password="password123")
    with pytest.raises(InvalidCredentials):
        log_in_user(session, email="ada@example.com", password="x" * 1_000_000)


def test_authenticate_password_with_nul_works(session: Session) -> None:
    password = "pass\x00word123"
    user = make_user(session, email="ada@example.com", password=password)
    found = log_in_user(session, email="ada@example.com", password=password)
    assert found.id == user.id


def test_authenticate_password_truncated_at_nul_fails(session: Session) -> None:
    make_user(session, email="ada@example.com", password="pass\x00word123")
    with pytest.raises(InvalidCredentials):
        log_in_user(session, email="ada@example.com", password="pass")


def test_authenticate_password_with_lone_surrogate_raises_invalid_credentials(
    session: Session,
) -> None:
    # JSON may carry "\ud800", which decodes to a str that cannot be encoded as UTF-8.
    make_user(session, email="ada@example.com", password="password123")
    with pytest.raises(InvalidCredentials):
        log_in_user(session, email="ada@example.com", password="password\ud800")


def test_verify_password_is_case_sensitive() -> None:
    password_hash = passwords.hash_password("Password123")
    assert not passwords.verify_password("password123", password_hash)


def test_verify_password_malformed_hash_returns_false() -> None:
    assert not passwords.verify_password("password123", "not-a-bcrypt-hash")
