"""Brute-force limits over HTTP: 429 with Retry-After, keyed on the socket peer address."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import PASSWORD
from todo_app.models import LoginFailure, User, utcnow

MAX_FAILURES = 10
TEST_CLIENT_HOST = "testclient"  # the peer address Starlette's TestClient reports


def _login(client: TestClient, email: str, password: str, **kwargs: Any) -> Any:
    return client.post(
        "/api/auth/login", json={"email": email, "password": password}, **kwargs
    )


def _fail(client: TestClient, email: str, times: int) -> list[int]:
    return [_login(client, email, "wrong-password").status_code for _ in range(times)]


def test_login_after_ten_failures_returns_429(client: TestClient, user: User) -> None:
    assert _fail(client, user.email, MAX_FAILURES) == [401] * MAX_FAILURES
    response = _login(client, user.email, "wrong-password")
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Too many failed login attempts. Try again later."
    }


def test_login_429_has_retry_after_within_window(
    client: TestClient, user: User
) -> None:
    _fail(client, user.email, MAX_FAILURES)
    response = _login(client, user.email, "wrong-password")
    assert 1 <= int(response.headers["retry-after"]) <= 15 * 60


def test_login_429_even_with_right_password(client: TestClient, user: User) -> None:
    _fail(client, user.email, MAX_FAILURES)
    assert _login(client, user.email, PASSWORD).status_code == 429


def test_login_limit_ignores_spoofed_x_forwarded_for(
    client: TestClient, user: User
) -> None:
    statuses = [
        _login(
            client,
            user.email,
            "wrong-password",
            headers={"X-Forwarded-For": f"198.51.100.{attempt}"},
        ).status_code
        for attempt in range(MAX_FAILURES + 1)
    ]
    assert statuses == [401] * MAX_FAILURES + [429]


def test_login_limit_counts_unknown_emails_too(client: TestClient) -> None:
    _fail(client, "nobody@example.com", MAX_FAILURES)
    assert _login(client, "nobody@example.com", PASSWORD).status_code == 429


def test_login_limit_counts_email_case_insensitively(
    client: TestClient, user: User
) -> None:
    _fail(client, user.email.upper(), MAX_FAILURES)
    assert _login(client, user.email, PASSWORD).status_code == 429


def test_login_limit_does_not_touch_other_accounts(
    client: TestClient, user: User, other_user: User
) -> None:
    _fail(client, user.email, MAX_FAILURES)
    assert _login(client, other_user.email, PASSWORD).status_code == 200


def test_login_failures_from_other_clients_do_not_lock_owner_out(
    client: TestClient, session: Session, user: User
) -> None:
    now = utcnow()
    for _ in range(MAX_FAILURES):
        session.add(LoginFailure(email=user.email, client="203.0.113.9", failed_at=now))
    session.commit()
    assert _login(client, user.email, PASSWORD).status_code == 200


def test_login_failures_older_than_window_do_not_count(
    client: TestClient, session: Session, user: User
) -> None:
    long_ago = utcnow() - timedelta(minutes=16)
    for _ in range(MAX_FAILURES):
        session.add(
            LoginFailure(email=user.email, client=TEST_CLIENT_HOST, failed_at=long_ago)
        )
    session.commit()
    assert _login(client, user.email, PASSWORD).status_code == 200


def test_token_form_shares_the_login_limit(client: TestClient, user: User) -> None:
    _fail(client, user.email, MAX_FAILURES)
    response = client.post(
        "/api/auth/token", data={"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "retry-after" in response.headers
