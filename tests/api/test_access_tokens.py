"""Personal access tokens over HTTP: made, listed, revoked; their scope on every route."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import PASSWORD
from tests.builders import make_access_token, make_task, make_user
from todo_app.models import ACCESS_TOKENS_PER_USER_MAX, User

CREATED_FIELDS = {"id", "name", "scope", "created_at", "expires_at", "token"}
LISTED_FIELDS = {"id", "name", "scope", "created_at", "expires_at", "last_used_at"}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _create(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    body = {"name": "Backup script", "scope": "write", **body}
    response = client.post("/api/tokens", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


# --- making, listing and revoking ---------------------------------------------------------------


def test_create_token_returns_201_with_the_token_once(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = _create(client, headers, name="Backup", scope="read", expires_in_days=30)
    assert set(body) == CREATED_FIELDS
    assert body["name"] == "Backup"
    assert body["scope"] == "read"
    assert body["token"].startswith("todo_pat_")
    created = datetime.fromisoformat(body["created_at"])
    expires = datetime.fromisoformat(body["expires_at"])
    assert expires - created == timedelta(days=30)


def test_create_token_with_null_expiry_never_expires(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = _create(client, headers, expires_in_days=None)
    assert body["expires_at"] is None


def test_list_tokens_has_last_use_and_never_the_token(
    client: TestClient, headers: dict[str, str]
) -> None:
    created = _create(client, headers)
    listed = client.get("/api/tokens", headers=headers).json()
    assert [set(row) for row in listed] == [LISTED_FIELDS]
    assert listed[0]["last_used_at"] is None
    assert created["token"] not in str(listed)
    client.get("/api/tasks", headers=_auth(created["token"]))
    used = client.get("/api/tokens", headers=headers).json()[0]
    assert used["last_used_at"] is not None


def test_revoke_token_returns_204_and_it_stops_working(
    client: TestClient, headers: dict[str, str]
) -> None:
    created = _create(client, headers)
    token = _auth(created["token"])
    assert client.get("/api/tasks", headers=token).status_code == 200
    response = client.delete(f"/api/tokens/{created['id']}", headers=headers)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get("/api/tasks", headers=token).status_code == 401
    assert client.get("/api/tokens", headers=headers).json() == []


def test_revoke_token_of_another_user_returns_404_and_keeps_it(
    client: TestClient, headers: dict[str, str], other_headers: dict[str, str]
) -> None:
    created = _create(client, headers)
    response = client.delete(f"/api/tokens/{created['id']}", headers=other_headers)
    assert response.status_code == 404
    assert client.get("/api/tasks", headers=_auth(created["token"])).status_code == 200


def test_revoke_token_unknown_id_returns_404(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert client.delete("/api/tokens/999", headers=headers).status_code == 404


@pytest.mark.parametrize("token_id", ["0", "-1", "2147483648", "99999999999999999999"])
def test_revoke_token_impossible_id_is_404_or_422_never_500(
    lenient_client: TestClient, headers: dict[str, str], token_id: str
) -> None:
    response = lenient_client.delete(f"/api/tokens/{token_id}", headers=headers)
    assert response.status_code in (404, 422)


def test_list_tokens_shows_only_your_own(
    client: TestClient, headers: dict[str, str], other_headers: dict[str, str]
) -> None:
    _create(client, headers, name="mine")
    _create(client, other_headers, name="theirs")
    names = [row["name"] for row in client.get("/api/tokens", headers=headers).json()]
    assert names == ["mine"]


def test_create_token_21st_returns_422_with_a_readable_detail(
    client: TestClient, headers: dict[str, str]
) -> None:
    for _ in range(ACCESS_TOKENS_PER_USER_MAX):
        _create(client, headers)
    response = client.post(
        "/api/tokens", json={"name": "one more", "scope": "read"}, headers=headers
    )
    assert response.status_code == 422
    assert "revoke one" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"scope": "read"},
        {"name": "", "scope": "read"},
        {"name": "   ", "scope": "read"},
        {"name": "x" * 101, "scope": "read"},
        {"name": "nul\x00", "scope": "read"},
        {"name": "\ud800", "scope": "read"},
        {"name": 5, "scope": "read"},
        {"name": "ok"},
        {"name": "ok", "scope": "admin"},
        {"name": "ok", "scope": "read", "expires_in_days": 0},
        {"name": "ok", "scope": "read", "expires_in_days": -1},
        {"name": "ok", "scope": "read", "expires_in_days": 3651},
        {"name": "ok", "scope": "read", "expires_in_days": 10**30},
        {"name": "ok", "scope": "read", "expires_in_days": "soon"},
        {"name": "ok", "scope": "read", "expires_in_days": 1.5},
        {"name": "ok", "scope": "read", "user_id": 2},
        ["ok"],
    ],
)
def test_create_token_bad_input_returns_422_with_detail(
    lenient_client: TestClient, headers: dict[str, str], body: Any
) -> None:
    # Sent escaped, as a client would send a lone surrogate ("\\ud800") that JSON allows.
    response = lenient_client.post(
        "/api/tokens",
        content=json.dumps(body),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"]


def test_create_token_without_login_returns_401(client: TestClient) -> None:
    response = client.post("/api/tokens", json={"name": "x", "scope": "read"})
    assert response.status_code == 401


# --- a token on the task routes -----------------------------------------------------------------

READ_ROUTES = [
    ("get", "/api/tasks", None),
    ("get", "/api/tasks/{id}", None),
    ("post", "/api/tasks/parse", {"text": "Call mom tomorrow"}),
    ("get", "/api/projects", None),
    ("get", "/api/stats", None),
]
WRITE_ROUTES = [
    ("post", "/api/tasks", {"title": "New"}),
    ("put", "/api/tasks/{id}", {"title": "Replaced"}),
    ("patch", "/api/tasks/{id}", {"title": "Patched"}),
    ("patch", "/api/tasks/{id}/complete", None),
    ("delete", "/api/tasks/{id}", None),
    ("post", "/api/tasks/complete-all", None),
    ("post", "/api/tasks/clear-completed", None),
    ("post", "/api/tasks/{id}/move", {"before_id": None}),
    ("post", "/api/projects", {"name": "New"}),
]


def _call(
    client: TestClient,
    route: tuple[str, str, Any],
    task_id: int,
    headers: dict[str, str],
) -> Any:
    method, path, body = route
    return client.request(method, path.format(id=task_id), json=body, headers=headers)


@pytest.mark.parametrize("route", READ_ROUTES + WRITE_ROUTES, ids=str)
def test_write_token_works_on_every_task_route(
    client: TestClient, session: Session, user: User, route: tuple[str, str, Any]
) -> None:
    task = make_task(session, user)
    token = make_access_token(session, user, scope="write")
    assert _call(client, route, task.id, _auth(token)).status_code in (200, 201, 204)


@pytest.mark.parametrize("route", READ_ROUTES, ids=str)
def test_read_token_works_on_reads(
    client: TestClient, session: Session, user: User, route: tuple[str, str, Any]
) -> None:
    task = make_task(session, user)
    token = make_access_token(session, user, scope="read")
    assert _call(client, route, task.id, _auth(token)).status_code == 200


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=str)
def test_read_token_gets_403_on_every_write(
    client: TestClient, session: Session, user: User, route: tuple[str, str, Any]
) -> None:
    task = make_task(session, user, title="Unchanged")
    token = make_access_token(session, user, scope="read")
    response = _call(client, route, task.id, _auth(token))
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]
    body = client.get(f"/api/tasks/{task.id}", headers=_auth(token)).json()
    assert (body["title"], body["completed"]) == ("Unchanged", False)


def test_token_reads_only_its_owners_tasks(
    client: TestClient, session: Session, user: User, other_user: User
) -> None:
    theirs = make_task(session, other_user)
    mine = make_task(session, user)
    token = _auth(make_access_token(session, user, scope="write"))
    assert [t["id"] for t in client.get("/api/tasks", headers=token).json()] == [
        mine.id
    ]
    assert client.get(f"/api/tasks/{theirs.id}", headers=token).status_code == 404
    assert client.delete(f"/api/tasks/{theirs.id}", headers=token).status_code == 404


def test_token_creates_tasks_for_its_owner(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    token = _auth(make_access_token(session, user, scope="write"))
    client.post("/api/tasks", json={"title": "From a script"}, headers=token)
    titles = [t["title"] for t in client.get("/api/tasks", headers=headers).json()]
    assert titles == ["From a script"]


def test_token_reads_who_it_belongs_to(
    client: TestClient, session: Session, user: User
) -> None:
    token = _auth(make_access_token(session, user, scope="read"))
    assert client.get("/api/auth/me", headers=token).json()["id"] == user.id


def test_expired_token_returns_401(
    client: TestClient, session: Session, user: User
) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=2)
    token = make_access_token(session, user, expires_in_days=1, now=long_ago)
    response = client.get("/api/tasks", headers=_auth(token))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_malformed_personal_token_returns_401(client: TestClient) -> None:
    response = client.get("/api/tasks", headers=_auth("todo_pat_nope"))
    assert response.status_code == 401


# --- what a personal token may never do ---------------------------------------------------------

SESSION_ONLY_ROUTES = [
    ("get", "/api/tokens", None),
    ("post", "/api/tokens", {"name": "child", "scope": "write"}),
    ("delete", "/api/tokens/{id}", None),
    (
        "post",
        "/api/auth/password",
        {"current_password": PASSWORD, "new_password": "x" * 12},
    ),
    ("delete", "/api/auth/me", {"password": PASSWORD}),
    ("patch", "/api/auth/me", {"name": "Renamed"}),
    ("get", "/api/auth/sessions", None),
    ("delete", "/api/auth/sessions/{id}", None),
    ("post", "/api/auth/logout", None),
    ("post", "/api/auth/logout?everywhere=true", None),
]


@pytest.mark.parametrize("route", SESSION_ONLY_ROUTES, ids=str)
def test_personal_token_gets_403_on_account_and_token_routes(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    route: tuple[str, str, Any],
) -> None:
    token = make_access_token(session, user, scope="write")
    token_id = client.get("/api/tokens", headers=headers).json()[0]["id"]
    method, path, body = route
    response = client.request(
        method, path.format(id=token_id), json=body, headers=_auth(token)
    )
    assert response.status_code == 403
    assert "personal access token" in response.json()["detail"]
    # Nothing happened: the account, its password, the tokens and sessions are as they were.
    assert client.get("/api/tokens", headers=headers).json()[0]["id"] == token_id
    assert client.get("/api/auth/me", headers=_auth(token)).json()["name"] is None


def test_password_change_revokes_personal_tokens(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    token = _auth(make_access_token(session, user))
    response = client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "another-password"},
        headers=headers,
    )
    assert response.status_code == 204
    assert client.get("/api/tasks", headers=token).status_code == 401


def test_account_deletion_revokes_personal_tokens(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    token = _auth(make_access_token(session, user))
    response = client.request(
        "DELETE", "/api/auth/me", json={"password": PASSWORD}, headers=headers
    )
    assert response.status_code == 204
    assert client.get("/api/tasks", headers=token).status_code == 401


def test_another_users_password_change_keeps_your_tokens(
    client: TestClient, session: Session, user: User
) -> None:
    token = _auth(make_access_token(session, user))
    other = make_user(session, email="carol@example.com", password=PASSWORD)
    login = client.post(
        "/api/auth/login", json={"email": other.email, "password": PASSWORD}
    ).json()
    client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "another-password"},
        headers=_auth(login["access_token"]),
    )
    assert client.get("/api/tasks", headers=token).status_code == 200
