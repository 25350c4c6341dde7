"""Task endpoints: create, read, replace, patch, toggle, delete, and their error statuses."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import make_task
from todo_app.models import User

TASK_KEYS = {
    "id",
    "title",
    "description",
    "completed",
    "completed_at",
    "priority",
    "due_date",
    "due_time",
    "tags",
    "recurrence",
    "created_at",
    "updated_at",
    "version",
    "project_id",
    "position",
}
FULL_TASK = {
    "title": "Pay rent",
    "description": "Bank transfer",
    "due_date": "2030-01-31",
    "priority": "high",
    "tags": ["Home", "money"],
    "recurrence": "monthly",
}


def _create(client: TestClient, headers: dict[str, str], **fields: Any) -> Any:
    return client.post(
        "/api/tasks", json={"title": "A task", **fields}, headers=headers
    )


# --- create ------------------------------------------------------------------------------------


def test_create_task_returns_201_with_task(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post("/api/tasks", json=FULL_TASK, headers=headers)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == TASK_KEYS
    assert body["title"] == "Pay rent"
    assert body["due_date"] == "2030-01-31"
    assert body["tags"] == ["home", "money"]
    assert body["completed"] is False
    assert body["completed_at"] is None


def test_create_task_sets_location_header(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = _create(client, headers)
    assert response.headers["location"] == f"/api/tasks/{response.json()['id']}"
    assert client.get(response.headers["location"], headers=headers).status_code == 200


def test_create_task_defaults_optional_fields(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = _create(client, headers).json()
    assert body["description"] == ""
    assert body["priority"] == "none"
    assert body["recurrence"] == "none"
    assert body["tags"] == []
    assert body["due_date"] is None


def test_create_task_timestamps_are_iso_with_offset(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = _create(client, headers).json()
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None
    assert datetime.fromisoformat(body["updated_at"]).tzinfo is not None


def test_create_task_without_token_returns_401(client: TestClient) -> None:
    response = client.post("/api/tasks", json={"title": "x"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": ""},
        {"title": "   "},
        {"title": "x" * 201},
        {"title": None},
        {"title": 5},
        {"title": "ok", "description": "x" * 5001},
        {"title": "ok", "due_date": "31/01/2030"},
        {"title": "ok", "due_date": "2030-02-30"},
        {"title": "ok", "priority": "urgent"},
        {"title": "ok", "recurrence": "hourly"},
        {"title": "ok", "tags": "home"},
        {"title": "ok", "tags": [""]},
        {"title": "ok", "tags": ["a,b"]},
        {"title": "ok", "tags": ["x" * 31]},
        {"title": "ok", "tags": [f"t{i}" for i in range(21)]},
    ],
    ids=[
        "empty",
        "empty-title",
        "blank-title",
        "long-title",
        "null-title",
        "number-title",
        "long-description",
        "bad-date-format",
        "impossible-date",
        "bad-priority",
        "bad-recurrence",
        "tags-not-list",
        "empty-tag",
        "comma-tag",
        "long-tag",
        "too-many-tags",
    ],
)
def test_create_task_invalid_body_returns_422(
    client: TestClient, headers: dict[str, str], body: dict[str, Any]
) -> None:
    response = client.post("/api/tasks", json=body, headers=headers)
    assert response.status_code == 422
    assert all({"type", "loc", "msg"} == set(e) for e in response.json()["detail"])


def test_create_task_hash_and_spaced_tags_are_stored_folded(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = _create(client, headers, tags=["#Home", "home", "to  do"])
    assert response.json()["tags"] == ["home", "to-do"]


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_task_title_over_200_characters_message_speaks_of_characters(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    method: str,
) -> None:
    path = (
        "/api/tasks"
        if method == "post"
        else f"/api/tasks/{make_task(session, user).id}"
    )
    response = client.request(method, path, json={"title": "t" * 201}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "string_too_long",
            "loc": ["body", "title"],
            "msg": "String should have at most 200 characters",
        }
    ]


@pytest.mark.parametrize(
    "field,value",
    [
        ("id", 999),
        ("user_id", 1),
        ("owner_id", 1),
        ("created_at", "2020-01-01T00:00:00Z"),
        ("updated_at", "2020-01-01T00:00:00Z"),
        ("completed", True),
        ("completed_at", "2020-01-01T00:00:00Z"),
        ("next_occurrence_created", True),
    ],
)
def test_create_task_with_server_field_returns_422(
    client: TestClient, headers: dict[str, str], field: str, value: Any
) -> None:
    response = client.post(
        "/api/tasks", json={"title": "x", field: value}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_create_task_owner_comes_from_token(
    client: TestClient,
    headers: dict[str, str],
    other_user: User,
    other_headers: dict[str, str],
) -> None:
    client.post(
        "/api/tasks", json={"title": "Mine", "user_id": other_user.id}, headers=headers
    )
    _create(client, headers, title="Mine")
    assert client.get("/api/tasks", headers=other_headers).json() == []


# --- read --------------------------------------------------------------------------------------


def test_read_task_returns_200(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user, title="Read me", tags=["x"])
    response = client.get(f"/api/tasks/{task.id}", headers=headers)
    assert response.status_code == 200
    assert response.json()["title"] == "Read me"
    assert response.json()["tags"] == ["x"]


def test_read_missing_task_returns_404(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get("/api/tasks/12345", headers=headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Task not found"}


@pytest.mark.parametrize(
    "task_id", [str(2**64), str(2**31), "0", "-1", "9" * 100], ids=str
)
def test_read_task_with_out_of_range_id_returns_404(
    client: TestClient, headers: dict[str, str], task_id: str
) -> None:
    assert client.get(f"/api/tasks/{task_id}", headers=headers).status_code == 404


@pytest.mark.parametrize("task_id", ["abc", "1.5", "1e3", "%00", "9" * 5000], ids=str)
def test_read_task_with_non_numeric_id_returns_422(
    client: TestClient, headers: dict[str, str], task_id: str
) -> None:
    assert client.get(f"/api/tasks/{task_id}", headers=headers).status_code == 422


def test_read_task_without_token_returns_401(client: TestClient) -> None:
    assert client.get("/api/tasks/1").status_code == 401


# --- replace (PUT) -----------------------------------------------------------------------------


def test_replace_task_returns_200_with_new_fields(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user, title="Old")
    response = client.put(f"/api/tasks/{task.id}", json=FULL_TASK, headers=headers)
    assert response.status_code == 200
    assert response.json()["title"] == "Pay rent"
    assert response.json()["recurrence"] == "monthly"


def test_replace_task_resets_omitted_fields(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(
        session, user, title="Old", priority="high", tags=["a"], due_date=date.today()
    )
    body = client.put(
        f"/api/tasks/{task.id}", json={"title": "New"}, headers=headers
    ).json()
    assert (body["priority"], body["tags"], body["due_date"]) == ("none", [], None)
    assert body["description"] == ""


def test_replace_task_without_title_returns_422(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user)
    response = client.put(
        f"/api/tasks/{task.id}", json={"priority": "low"}, headers=headers
    )
    assert response.status_code == 422


def test_replace_task_with_completed_returns_422(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user)
    response = client.put(
        f"/api/tasks/{task.id}", json={"title": "x", "completed": True}, headers=headers
    )
    assert response.status_code == 422


def test_replace_missing_task_returns_404(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.put("/api/tasks/999", json={"title": "x"}, headers=headers)
    assert response.status_code == 404


def test_replace_task_without_token_returns_401(client: TestClient) -> None:
    assert client.put("/api/tasks/1", json={"title": "x"}).status_code == 401


# --- patch -------------------------------------------------------------------------------------


def test_update_task_changes_only_sent_fields(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user, title="Keep", priority="high", tags=["a"])
    response = client.patch(
        f"/api/tasks/{task.id}", json={"description": "More"}, headers=headers
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["priority"], body["tags"]) == ("Keep", "high", ["a"])
    assert body["description"] == "More"


def test_update_task_marks_completed(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user)
    body = client.patch(
        f"/api/tasks/{task.id}", json={"completed": True}, headers=headers
    ).json()
    assert body["completed"] is True
    assert datetime.fromisoformat(body["completed_at"]).tzinfo is not None


def test_update_task_clears_due_date_with_null(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user, due_date=date(2030, 1, 1))
    body = client.patch(
        f"/api/tasks/{task.id}", json={"due_date": None}, headers=headers
    ).json()
    assert body["due_date"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"title": None},
        {"title": ""},
        {"priority": None},
        {"priority": "urgent"},
        {"recurrence": None},
        {"completed": "maybe"},
        {"id": 5},
        {"user_id": 5},
        {"created_at": "2020-01-01T00:00:00Z"},
    ],
    ids=[
        "null-title",
        "empty-title",
        "null-priority",
        "bad-priority",
        "null-recurrence",
        "bad-completed",
        "id",
        "user_id",
        "created_at",
    ],
)
def test_update_task_invalid_body_returns_422(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    body: dict[str, Any],
) -> None:
    task = make_task(session, user)
    response = client.patch(f"/api/tasks/{task.id}", json=body, headers=headers)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_update_missing_task_returns_404(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.patch("/api/tasks/999", json={"title": "x"}, headers=headers)
    assert response.status_code == 404


def test_update_task_without_token_returns_401(client: TestClient) -> None:
    assert client.patch("/api/tasks/1", json={"title": "x"}).status_code == 401


# --- toggle ------------------------------------------------------------------------------------


def test_toggle_task_completes_then_reopens(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user)
    first = client.patch(f"/api/tasks/{task.id}/complete", headers=headers)
    second = client.patch(f"/api/tasks/{task.id}/complete", headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json()["completed"] is True
    assert second.json()["completed"] is False
    assert second.json()["completed_at"] is None


def test_toggle_recurring_task_creates_next_occurrence(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user, due_date=date(2030, 1, 31), recurrence="monthly")
    client.patch(f"/api/tasks/{task.id}/complete", headers=headers)
    pending = client.get("/api/tasks?status=pending", headers=headers).json()
    assert [t["due_date"] for t in pending] == ["2030-02-28"]
    assert pending[0]["recurrence"] == "monthly"


def test_toggle_missing_task_returns_404(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert client.patch("/api/tasks/999/complete", headers=headers).status_code == 404


def test_toggle_task_without_token_returns_401(client: TestClient) -> None:
    assert client.patch("/api/tasks/1/complete").status_code == 401


# --- delete ------------------------------------------------------------------------------------


def test_delete_task_returns_204_and_task_is_gone(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user, tags=["a"])
    response = client.delete(f"/api/tasks/{task.id}", headers=headers)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/api/tasks/{task.id}", headers=headers).status_code == 404


def test_delete_task_twice_returns_404(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user)
    client.delete(f"/api/tasks/{task.id}", headers=headers)
    assert client.delete(f"/api/tasks/{task.id}", headers=headers).status_code == 404


def test_delete_task_without_token_returns_401(client: TestClient) -> None:
    assert client.delete("/api/tasks/1").status_code == 401


def test_unknown_method_on_task_returns_405(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert client.post("/api/tasks/1", json={}, headers=headers).status_code == 405
