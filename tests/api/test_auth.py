"""Accounts over HTTP: register, log in, the token form, me, password change, logout."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import PASSWORD, bearer
from tests.builders import make_task
from todo_app.models import User
from todo_app.settings import get_settings

NEW_USER = {
    "email": "Grace@Example.com",
    "password": "s3cret-password",
    "name": "Grace",
}


def _login(client: TestClient, email: str, password: str) -> Any:
    return client.post("/api/auth/login", json={"email": email, "password": password})


def _delete_me(client: TestClient, headers: dict[str, str], password: str) -> Any:
    return client.request(
        "DELETE", "/api/auth/me", json={"password": password}, headers=headers
    )


# --- register ----------------------------------------------------------------------------------


def test_register_returns_201_and_public_user(client: TestClient) -> None:
    response = client.post("/api/auth/register", json=NEW_USER)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "email", "name", "timezone", "created_at"}
    assert body["email"] == "grace@example.com"
    assert body["name"] == "Grace"
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None


def test_register_response_holds_no_password(client: TestClient) -> None:
    response = client.post("/api/auth/register", json=NEW_USER)
    assert NEW_USER["password"] not in response.text
    assert "hash" not in response.text


def test_register_without_name_returns_null_name(client: TestClient) -> None:
    response = client.post(
        "/api/auth/register", json={"email": "x@example.com", "password": PASSWORD}
    )
    assert response.status_code == 201
    assert response.json()["name"] is None


def test_register_taken_email_returns_409(client: TestClient, user: User) -> None:
    response = client.post(
        "/api/auth/register", json={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "An account with this email already exists"}


def test_register_taken_email_in_other_case_returns_409(
    client: TestClient, user: User
) -> None:
    response = client.post(
        "/api/auth/register", json={"email": user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-email", "password": PASSWORD},
        {"email": "", "password": PASSWORD},
        {"email": "a@example.com", "password": "short"},
        {"email": "a@example.com", "password": "x" * 129},
        {"email": "a@example.com"},
        {"password": PASSWORD},
        {"email": "a@example.com", "password": PASSWORD, "name": "x" * 101},
        {"email": "a@example.com", "password": PASSWORD, "id": 7},
        {"email": "a@example.com", "password": PASSWORD, "token_version": 9},
        {"email": "a@example.com", "password": PASSWORD, "password_hash": "x"},
        {"email": "a@example.com", "password": PASSWORD, "created_at": "2020-01-01"},
    ],
    ids=[
        "invalid-email",
        "empty-email",
        "short-password",
        "long-password",
        "no-password",
        "no-email",
        "long-name",
        "id",
        "token_version",
        "password_hash",
        "created_at",
    ],
)
def test_register_invalid_body_returns_422(
    client: TestClient, body: dict[str, Any]
) -> None:
    response = client.post("/api/auth/register", json=body)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_register_password_of_128_chars_is_accepted(client: TestClient) -> None:
    response = client.post(
        "/api/auth/register", json={"email": "long@example.com", "password": "p" * 128}
    )
    assert response.status_code == 201


def test_register_validation_error_does_not_echo_password(client: TestClient) -> None:
    response = client.post(
        "/api/auth/register", json={"email": "a@example.com", "password": "tiny"}
    )
    assert response.status_code == 422
    assert "tiny" not in response.text


# --- login -------------------------------------------------------------------------------------


def test_login_returns_bearer_token(client: TestClient, user: User) -> None:
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] > 0
    me = client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json()["id"] == user.id


def test_login_email_is_case_insensitive(client: TestClient, user: User) -> None:
    response = _login(client, "  ADA@Example.COM ", PASSWORD)
    assert response.status_code == 200


def test_login_wrong_password_returns_401(client: TestClient, user: User) -> None:
    response = _login(client, user.email, "wrong-password")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_login_unknown_email_returns_same_401_as_wrong_password(
    client: TestClient, user: User
) -> None:
    unknown = _login(client, "nobody@example.com", PASSWORD)
    wrong = _login(client, user.email, "wrong-password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json() == {"detail": "Incorrect email or password"}


@pytest.mark.parametrize(
    "body",
    [{"email": "a@example.com"}, {"password": "x"}, {"email": 1, "password": "x"}, []],
    ids=["no-password", "no-email", "email-not-string", "array"],
)
def test_login_invalid_body_returns_422(client: TestClient, body: Any) -> None:
    response = client.post("/api/auth/login", json=body)
    assert response.status_code == 422


def test_login_email_with_nul_returns_401(client: TestClient, user: User) -> None:
    response = _login(client, "ada\x00@example.com", PASSWORD)
    assert response.status_code == 401


# --- token form (the Authorize button of /docs) ------------------------------------------------


def test_token_form_returns_bearer_token(client: TestClient, user: User) -> None:
    response = client.post(
        "/api/auth/token",
        data={"grant_type": "password", "username": user.email, "password": PASSWORD},
    )
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"


def test_token_form_wrong_password_returns_401(client: TestClient, user: User) -> None:
    response = client.post(
        "/api/auth/token", data={"username": user.email, "password": "wrong-password"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_token_form_without_password_returns_422(client: TestClient) -> None:
    response = client.post("/api/auth/token", data={"username": "a@example.com"})
    assert response.status_code == 422


def test_token_form_sent_as_json_returns_422(client: TestClient, user: User) -> None:
    response = client.post(
        "/api/auth/token", json={"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 422


# --- me ----------------------------------------------------------------------------------------


def test_read_me_returns_user(
    client: TestClient, user: User, headers: dict[str, str]
) -> None:
    response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert set(response.json()) == {"id", "email", "name", "timezone", "created_at"}


def test_read_me_without_token_returns_401(client: TestClient) -> None:
    response = client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_update_me_changes_name(client: TestClient, headers: dict[str, str]) -> None:
    response = client.patch("/api/auth/me", json={"name": "Ada L."}, headers=headers)
    assert response.status_code == 200
    assert response.json()["name"] == "Ada L."
    assert client.get("/api/auth/me", headers=headers).json()["name"] == "Ada L."


def test_update_me_email_field_returns_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.patch(
        "/api/auth/me", json={"email": "evil@example.com"}, headers=headers
    )
    assert response.status_code == 422


def test_delete_me_returns_204_and_token_stops_working(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = _delete_me(client, headers, PASSWORD)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_delete_me_deletes_tasks_and_frees_email(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    make_task(session, user, title="Secret")
    _delete_me(client, headers, PASSWORD)
    client.post("/api/auth/register", json={"email": user.email, "password": PASSWORD})
    token = _login(client, user.email, PASSWORD).json()["access_token"]
    tasks = client.get("/api/tasks", headers={"Authorization": f"Bearer {token}"})
    assert tasks.json() == []


def test_delete_me_without_token_returns_401(client: TestClient) -> None:
    assert _delete_me(client, {}, PASSWORD).status_code == 401


def test_delete_me_with_wrong_password_returns_403_and_keeps_account(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = _delete_me(client, headers, "not-my-password")
    assert response.status_code == 403
    assert response.json() == {"detail": "The password is incorrect"}
    assert client.get("/api/auth/me", headers=headers).status_code == 200


def test_delete_me_without_password_returns_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.delete("/api/auth/me", headers=headers)
    assert response.status_code == 422
    assert client.get("/api/auth/me", headers=headers).status_code == 200


def test_delete_me_wrong_passwords_are_throttled_like_logins(
    client: TestClient, headers: dict[str, str]
) -> None:
    statuses = [
        _delete_me(client, headers, "guess").status_code
        for _ in range(get_settings().login_max_failures + 1)
    ]
    assert statuses[-1] == 429
    assert set(statuses[:-1]) == {403}


# --- password change ---------------------------------------------------------------------------


def test_change_password_returns_204_with_empty_body(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "a-new-password"},
        headers=headers,
    )
    assert response.status_code == 204
    assert response.content == b""


def test_change_password_revokes_older_tokens(
    client: TestClient, headers: dict[str, str]
) -> None:
    client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "a-new-password"},
        headers=headers,
    )
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_change_password_new_password_logs_in(
    client: TestClient, user: User, headers: dict[str, str]
) -> None:
    client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "a-new-password"},
        headers=headers,
    )
    assert _login(client, user.email, PASSWORD).status_code == 401
    assert _login(client, user.email, "a-new-password").status_code == 200


def test_change_password_wrong_current_returns_400(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/auth/password",
        json={"current_password": "not-my-password", "new_password": "a-new-password"},
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The current password is incorrect"}
    assert client.get("/api/auth/me", headers=headers).status_code == 200


def test_change_password_short_new_password_returns_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "short"},
        headers=headers,
    )
    assert response.status_code == 422


def test_change_password_without_token_returns_401(client: TestClient) -> None:
    response = client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "a-new-password"},
    )
    assert response.status_code == 401


# --- logout everywhere -------------------------------------------------------------------------


def test_logout_ends_only_the_calling_session(
    client: TestClient, session: Session, user: User
) -> None:
    first, second = bearer(session, user), bearer(session, user)
    response = client.post("/api/auth/logout", headers=first)
    assert response.status_code == 204
    assert client.get("/api/auth/me", headers=first).status_code == 401
    assert client.get("/api/auth/me", headers=second).status_code == 200


def test_logout_everywhere_ends_every_session(
    client: TestClient, session: Session, user: User
) -> None:
    first, second = bearer(session, user), bearer(session, user)
    response = client.post("/api/auth/logout?everywhere=true", headers=first)
    assert response.status_code == 204
    assert client.get("/api/auth/me", headers=first).status_code == 401
    assert client.get("/api/auth/me", headers=second).status_code == 401


def test_logout_token_replayed_after_logout_is_refused_everywhere(
    client: TestClient, user: User
) -> None:
    token = _login(client, user.email, PASSWORD).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    client.post("/api/auth/logout", headers=auth)
    assert client.get("/api/tasks", headers=auth).status_code == 401
    assert (
        client.post("/api/tasks", json={"title": "x"}, headers=auth).status_code == 401
    )


def test_logout_without_token_returns_401(client: TestClient) -> None:
    assert client.post("/api/auth/logout").status_code == 401


# --- sessions ----------------------------------------------------------------------------------


def test_list_sessions_shows_each_login_and_marks_the_current_one(
    client: TestClient, user: User
) -> None:
    tokens = [
        client.post(
            "/api/auth/login",
            json={"email": user.email, "password": PASSWORD},
            headers={"User-Agent": f"agent-{n}"},
        ).json()["access_token"]
        for n in range(2)
    ]
    response = client.get(
        "/api/auth/sessions", headers={"Authorization": f"Bearer {tokens[1]}"}
    )
    assert response.status_code == 200
    listed = response.json()
    assert sorted(item["user_agent"] for item in listed) == ["agent-0", "agent-1"]
    assert [item["current"] for item in listed if item["user_agent"] == "agent-1"] == [
        True
    ]
    assert set(listed[0]) == {
        "id",
        "created_at",
        "last_seen_at",
        "expires_at",
        "user_agent",
        "client",
        "current",
    }


def test_end_session_by_id_makes_its_token_fail(
    client: TestClient, session: Session, user: User
) -> None:
    mine, other = bearer(session, user), bearer(session, user)
    listed = client.get("/api/auth/sessions", headers=mine).json()
    other_id = next(item["id"] for item in listed if not item["current"])
    response = client.delete(f"/api/auth/sessions/{other_id}", headers=mine)
    assert response.status_code == 204
    assert client.get("/api/auth/me", headers=other).status_code == 401
    assert client.get("/api/auth/me", headers=mine).status_code == 200


def test_end_session_of_another_user_returns_404(
    client: TestClient,
    headers: dict[str, str],
    other_headers: dict[str, str],
) -> None:
    others = client.get("/api/auth/sessions", headers=other_headers).json()
    response = client.delete(f"/api/auth/sessions/{others[0]['id']}", headers=headers)
    assert response.status_code == 404
    assert client.get("/api/auth/me", headers=other_headers).status_code == 200


@pytest.mark.parametrize("session_id", ["%00", "x" * 300, "%C3%A9"], ids=str)
def test_end_session_with_malformed_id_returns_422(
    client: TestClient, headers: dict[str, str], session_id: str
) -> None:
    response = client.delete(f"/api/auth/sessions/{session_id}", headers=headers)
    assert response.status_code == 422


def test_sessions_without_token_return_401(client: TestClient) -> None:
    assert client.get("/api/auth/sessions").status_code == 401
    assert client.delete("/api/auth/sessions/abc").status_code == 401


# --- sign-up limits ----------------------------------------------------------------------------


def _register(client: TestClient, n: int, **headers: str) -> Any:
    return client.post(
        "/api/auth/register",
        json={"email": f"new{n}@example.com", "password": PASSWORD},
        headers=headers,
    )


def test_register_eleventh_account_in_an_hour_from_one_address_returns_429(
    client: TestClient,
) -> None:
    limit = get_settings().signups_per_hour
    statuses = [_register(client, n).status_code for n in range(limit + 1)]
    assert statuses == [201] * limit + [429]
    refused = _register(client, 99)
    assert 1 <= int(refused.headers["retry-after"]) <= 3600


def test_register_taken_emails_count_towards_the_limit(
    client: TestClient, user: User
) -> None:
    limit = get_settings().signups_per_hour
    probes = [
        client.post(
            "/api/auth/register", json={"email": user.email, "password": PASSWORD}
        ).status_code
        for _ in range(limit + 1)
    ]
    assert probes == [409] * limit + [429]


def test_register_limit_ignores_forged_x_forwarded_for(client: TestClient) -> None:
    limit = get_settings().signups_per_hour
    statuses = [
        _register(client, n, **{"X-Forwarded-For": f"198.51.100.{n}"}).status_code
        for n in range(limit + 1)
    ]
    assert statuses[-1] == 429
