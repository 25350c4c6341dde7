"""Brute-force limits over HTTP: 429 with Retry-After for the guessing pair only.

The clock of the limits is frozen in these tests, so "a quick retry" is never slow enough to
slip past a one-second delay.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD
from todo_app.api.app import create_api_app
from todo_app.models import User
from todo_app.services import login_limits
from todo_app.settings import get_settings

FROZEN = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
PROXY = ("10.0.0.2", 4242)


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(login_limits, "utcnow", lambda: FROZEN)


@pytest.fixture
def behind_proxy(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    """A client whose requests come from a reverse proxy the app trusts."""
    monkeypatch.setenv("TODO_TRUSTED_PROXIES", "10.0.0.0/8")
    get_settings.cache_clear()
    with TestClient(create_api_app(), client=PROXY) as test_client:
        yield test_client


def _login(client: TestClient, email: str, password: str, **kwargs: Any) -> Any:
    return client.post(
        "/api/auth/login", json={"email": email, "password": password}, **kwargs
    )


def _fail(client: TestClient, email: str, times: int, **kwargs: Any) -> list[int]:
    return [
        _login(client, email, "wrong-password", **kwargs).status_code
        for _ in range(times)
    ]


def _free() -> int:
    return get_settings().login_max_failures


def test_login_after_the_free_failures_returns_429(
    client: TestClient, user: User
) -> None:
    assert _fail(client, user.email, _free()) == [401] * _free()
    response = _login(client, user.email, "wrong-password")
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Too many failed login attempts. Try again later."
    }
    assert response.headers["retry-after"] == "1"


def test_login_429_even_with_the_right_password(client: TestClient, user: User) -> None:
    _fail(client, user.email, _free())
    assert _login(client, user.email, PASSWORD).status_code == 429


def test_login_limit_ignores_forged_x_forwarded_for(
    client: TestClient, user: User
) -> None:
    statuses = [
        _login(
            client,
            user.email,
            "wrong-password",
            headers={"X-Forwarded-For": f"198.51.100.{attempt}"},
        ).status_code
        for attempt in range(_free() + 1)
    ]
    assert statuses == [401] * _free() + [429]


def test_login_limit_counts_email_case_insensitively(
    client: TestClient, user: User
) -> None:
    _fail(client, user.email.upper(), _free())
    assert _login(client, user.email, PASSWORD).status_code == 429


def test_login_limit_does_not_touch_other_accounts(
    client: TestClient, user: User, other_user: User
) -> None:
    _fail(client, user.email, _free() + 3)
    assert _login(client, other_user.email, PASSWORD).status_code == 200


def test_owner_behind_the_proxy_logs_in_while_an_attacker_guesses(
    behind_proxy: TestClient, user: User
) -> None:
    attacker = {"X-Forwarded-For": "198.51.100.66"}
    _fail(behind_proxy, user.email, _free() + 5, headers=attacker)
    assert (
        _login(behind_proxy, user.email, PASSWORD, headers=attacker).status_code == 429
    )
    owner = {"X-Forwarded-For": "203.0.113.5"}
    assert _login(behind_proxy, user.email, PASSWORD, headers=owner).status_code == 200


def test_trusted_proxy_chain_uses_the_first_untrusted_hop_from_the_right(
    behind_proxy: TestClient, user: User
) -> None:
    # The attacker prepends made-up hops; the proxy appends the address it really saw.
    forged = [f"192.0.2.{n}, 198.51.100.66" for n in range(_free() + 1)]
    statuses = [
        _login(
            behind_proxy, user.email, "wrong", headers={"X-Forwarded-For": chain}
        ).status_code
        for chain in forged
    ]
    assert statuses[-1] == 429


def test_token_form_shares_the_login_limit(client: TestClient, user: User) -> None:
    _fail(client, user.email, _free())
    response = client.post(
        "/api/auth/token", data={"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "retry-after" in response.headers
