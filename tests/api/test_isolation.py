"""Another user's task is answered exactly like a missing one, and stays unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import make_task
from todo_app.models import User

MISSING_ID = 987654

# (method, path suffix, JSON body) of every endpoint that acts on one task.
TASK_ACTIONS = [
    ("GET", "", None),
    ("PUT", "", {"title": "Hijacked"}),
    ("PATCH", "", {"title": "Hijacked", "completed": True}),
    ("PATCH", "/complete", None),
    ("DELETE", "", None),
    ("POST", "/move", {"before_id": None}),
]
ACTION_IDS = ["read", "replace", "update", "toggle", "delete", "move"]


def _act(
    client: TestClient,
    headers: dict[str, str],
    action: tuple[str, str, Any],
    task_id: int,
) -> Any:
    method, suffix, body = action
    return client.request(
        method, f"/api/tasks/{task_id}{suffix}", json=body, headers=headers
    )


@pytest.mark.parametrize("action", TASK_ACTIONS, ids=ACTION_IDS)
def test_other_users_task_returns_404(
    client: TestClient,
    session: Session,
    user: User,
    other_headers: dict[str, str],
    action: tuple[str, str, Any],
) -> None:
    task = make_task(session, user, title="Mine")
    response = _act(client, other_headers, action, task.id)
    assert response.status_code == 404


@pytest.mark.parametrize("action", TASK_ACTIONS, ids=ACTION_IDS)
def test_other_users_task_answer_equals_missing_task_answer(
    client: TestClient,
    session: Session,
    user: User,
    other_headers: dict[str, str],
    action: tuple[str, str, Any],
) -> None:
    task = make_task(session, user, title="Mine")
    foreign = _act(client, other_headers, action, task.id)
    missing = _act(client, other_headers, action, MISSING_ID)
    assert foreign.status_code == missing.status_code
    assert foreign.json() == missing.json()
    assert foreign.headers.get("content-type") == missing.headers.get("content-type")


@pytest.mark.parametrize("action", TASK_ACTIONS, ids=ACTION_IDS)
def test_other_users_action_leaves_task_unchanged(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    other_headers: dict[str, str],
    action: tuple[str, str, Any],
) -> None:
    task = make_task(session, user, title="Mine", tags=["private"])
    before = client.get(f"/api/tasks/{task.id}", headers=headers).json()
    _act(client, other_headers, action, task.id)
    after = client.get(f"/api/tasks/{task.id}", headers=headers)
    assert after.status_code == 200
    assert after.json() == before


def test_list_tasks_shows_only_own_tasks(
    client: TestClient,
    session: Session,
    user: User,
    other_user: User,
    other_headers: dict[str, str],
) -> None:
    make_task(session, user, title="Mine", tags=["shared"])
    make_task(session, other_user, title="Theirs", tags=["shared"])
    response = client.get("/api/tasks?tag=shared", headers=other_headers)
    assert [t["title"] for t in response.json()] == ["Theirs"]
    assert response.headers["x-total-count"] == "1"


def test_delete_account_leaves_other_users_tasks(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    other_user: User,
    other_headers: dict[str, str],
) -> None:
    make_task(session, other_user, title="Theirs")
    client.delete("/api/auth/me", headers=headers)
    titles = [
        t["title"] for t in client.get("/api/tasks", headers=other_headers).json()
    ]
    assert titles == ["Theirs"]
