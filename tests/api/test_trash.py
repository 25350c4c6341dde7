"""The trash over HTTP: DELETE moves a task there, /api/trash lists, restores and removes it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import FROZEN_NOW
from tests.builders import make_task
from todo_app.models import Task, User
from todo_app.services import tasks

MISSING_ID = 987654


def _trash(session: Session, task: Task, now: datetime = FROZEN_NOW) -> None:
    tasks.delete_task(session, owner_id=task.user_id, task_id=task.id, now=now)
    session.commit()


def _ids(items: list[dict[str, Any]]) -> list[int]:
    return [item["id"] for item in items]


# --- deleting moves to the trash ---------------------------------------------------------------


def test_delete_task_moves_it_from_the_list_to_the_trash(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    frozen_now: datetime,
) -> None:
    kept, task = make_task(session, user), make_task(session, user, tags=["a"])
    assert client.delete(f"/api/tasks/{task.id}", headers=headers).status_code == 204
    listed = client.get("/api/tasks", headers=headers)
    trash = client.get("/api/trash", headers=headers)
    assert (_ids(listed.json()), listed.headers["X-Total-Count"]) == ([kept.id], "1")
    assert client.get(f"/api/tasks/{task.id}", headers=headers).status_code == 404
    assert trash.status_code == 200
    assert trash.headers["X-Total-Count"] == "1"
    [trashed] = trash.json()
    assert (trashed["id"], trashed["tags"], trashed["deleted_at"]) == (
        task.id,
        ["a"],
        "2030-06-01T10:30:00Z",
    )


def test_trashed_task_json_is_the_task_json_and_deleted_at(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user, title="Pay rent", tags=["home"], priority="high")
    shown = client.get(f"/api/tasks/{task.id}", headers=headers).json()
    _trash(session, task)
    [trashed] = client.get("/api/trash", headers=headers).json()
    assert "deleted_at" not in shown
    # The delete is a change: the version moves on, so a copy from before it is stale.
    assert trashed["version"] == shown["version"] + 1
    assert _without(trashed, "deleted_at", "version") == _without(shown, "version")


def _without(task_json: dict[str, Any], *names: str) -> dict[str, Any]:
    return {key: value for key, value in task_json.items() if key not in names}


def test_clear_completed_moves_tasks_to_the_trash(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user)
    client.patch(f"/api/tasks/{task.id}/complete", headers=headers)
    cleared = client.post("/api/tasks/clear-completed", headers=headers)
    assert cleared.json() == {"changed": 1}
    assert _ids(client.get("/api/trash", headers=headers).json()) == [task.id]


def test_complete_all_and_clear_completed_leave_the_trash_alone(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    open_task, done = make_task(session, user), make_task(session, user)
    client.patch(f"/api/tasks/{done.id}/complete", headers=headers)
    _trash(session, open_task)
    _trash(session, done)
    assert client.post("/api/tasks/complete-all", headers=headers).json() == {
        "changed": 0
    }
    assert client.post("/api/tasks/clear-completed", headers=headers).json() == {
        "changed": 0
    }


# --- listing -----------------------------------------------------------------------------------


def test_list_trash_is_newest_first_and_pages_with_the_total(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    made = [make_task(session, user) for _ in range(3)]
    for minutes, task in enumerate(made):
        _trash(session, task, FROZEN_NOW + timedelta(minutes=minutes))
    everything = client.get("/api/trash", headers=headers)
    page = client.get("/api/trash?limit=1&offset=1", headers=headers)
    assert _ids(everything.json()) == [made[2].id, made[1].id, made[0].id]
    assert (_ids(page.json()), page.headers["X-Total-Count"]) == ([made[1].id], "3")


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=501",
        "limit=abc",
        "offset=-1",
        f"offset={2**64}",
        "status=all",
        "sort=title",
    ],
)
def test_list_trash_with_invalid_paging_or_unknown_parameter_returns_422(
    client: TestClient, headers: dict[str, str], query: str
) -> None:
    assert client.get(f"/api/trash?{query}", headers=headers).status_code == 422


def test_list_trash_without_token_returns_401(client: TestClient) -> None:
    assert client.get("/api/trash").status_code == 401


# --- restore and delete forever ----------------------------------------------------------------


def test_restore_returns_200_with_the_task_back_in_the_list(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user, title="Pay rent", tags=["home", "money"])
    shown = client.get(f"/api/tasks/{task.id}", headers=headers).json()
    _trash(session, task)
    restored = client.post(f"/api/trash/{task.id}/restore", headers=headers)
    assert restored.status_code == 200
    # Exactly as it was, two versions on (the delete and the restore).
    assert restored.json()["version"] == shown["version"] + 2
    assert _without(restored.json(), "version") == _without(shown, "version")
    assert (
        client.get(f"/api/tasks/{task.id}", headers=headers).json() == restored.json()
    )
    assert client.get("/api/trash", headers=headers).json() == []


def test_restore_of_a_task_not_in_the_trash_returns_404(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user)
    assert (
        client.post(f"/api/trash/{task.id}/restore", headers=headers).status_code == 404
    )


def test_restore_beyond_the_open_task_quota_returns_422(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tasks, "OPEN_TASKS_MAX", 1)
    task = make_task(session, user)
    _trash(session, task)
    make_task(session, user)
    response = client.post(f"/api/trash/{task.id}/restore", headers=headers)
    assert response.status_code == 422


def test_delete_forever_returns_204_and_the_task_cannot_come_back(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user)
    _trash(session, task)
    response = client.delete(f"/api/trash/{task.id}", headers=headers)
    assert (response.status_code, response.content) == (204, b"")
    assert (
        client.post(f"/api/trash/{task.id}/restore", headers=headers).status_code == 404
    )
    assert client.get("/api/trash", headers=headers).headers["X-Total-Count"] == "0"


def test_delete_forever_of_a_task_not_in_the_trash_returns_404_and_keeps_it(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user)
    assert client.delete(f"/api/trash/{task.id}", headers=headers).status_code == 404
    assert client.get(f"/api/tasks/{task.id}", headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("POST", "/restore"), ("DELETE", "")],
    ids=["restore", "delete"],
)
def test_trash_actions_without_token_return_401(
    client: TestClient, method: str, suffix: str
) -> None:
    assert client.request(method, f"/api/trash/1{suffix}").status_code == 401


def test_empty_trash_removes_only_your_trashed_tasks_for_good(
    client: TestClient,
    session: Session,
    user: User,
    other_user: User,
    headers: dict[str, str],
) -> None:
    kept = make_task(session, user, title="kept")
    trashed = [make_task(session, user, tags=["a"]) for _ in range(2)]
    theirs = make_task(session, other_user)
    for task in [*trashed, theirs]:
        _trash(session, task)
    response = client.delete("/api/trash", headers=headers)
    assert (response.status_code, response.json()) == (200, {"deleted": 2})
    assert client.get("/api/trash", headers=headers).json() == []
    assert _ids(client.get("/api/tasks", headers=headers).json()) == [kept.id]
    for task in trashed:
        restore = client.post(f"/api/trash/{task.id}/restore", headers=headers)
        assert restore.status_code == 404
    again = client.delete("/api/trash", headers=headers)
    assert again.json() == {"deleted": 0}
    session.expire_all()
    assert session.get(Task, theirs.id) is not None  # another user's trash stays


def test_empty_trash_without_token_returns_401(client: TestClient) -> None:
    assert client.delete("/api/trash").status_code == 401


# --- isolation ---------------------------------------------------------------------------------

TRASH_ACTIONS = [("POST", "/restore"), ("DELETE", "")]


def test_list_trash_never_shows_another_users_trash(
    client: TestClient,
    session: Session,
    user: User,
    other_headers: dict[str, str],
) -> None:
    _trash(session, make_task(session, user))
    response = client.get("/api/trash", headers=other_headers)
    assert (response.json(), response.headers["X-Total-Count"]) == ([], "0")


@pytest.mark.parametrize("action", TRASH_ACTIONS, ids=["restore", "delete"])
def test_another_users_trashed_task_is_answered_like_a_missing_one_and_stays(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    other_headers: dict[str, str],
    action: tuple[str, str],
) -> None:
    method, suffix = action
    task = make_task(session, user)
    _trash(session, task)
    theirs = client.request(
        method, f"/api/trash/{task.id}{suffix}", headers=other_headers
    )
    missing = client.request(
        method, f"/api/trash/{MISSING_ID}{suffix}", headers=other_headers
    )
    assert (theirs.status_code, theirs.json()) == (missing.status_code, missing.json())
    assert theirs.status_code == 404
    assert _ids(client.get("/api/trash", headers=headers).json()) == [task.id]
