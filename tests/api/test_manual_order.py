"""POST /api/tasks/{id}/move and sort=manual."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import make_task
from todo_app.models import User


def _ids(client: TestClient, headers: dict[str, str], query: str = "") -> list[int]:
    response = client.get(f"/api/tasks?sort=manual{query}", headers=headers)
    assert response.status_code == 200, response.text
    return [task["id"] for task in response.json()]


def _add(client: TestClient, headers: dict[str, str], title: str) -> int:
    return client.post("/api/tasks", json={"title": title}, headers=headers).json()[
        "id"
    ]


def test_sort_manual_lists_new_tasks_last(
    client: TestClient, headers: dict[str, str]
) -> None:
    ids = [_add(client, headers, title) for title in "ABC"]
    assert _ids(client, headers) == ids
    assert _ids(client, headers, "&order=desc") == ids[::-1]


def test_move_task_before_another_and_to_the_end(
    client: TestClient, headers: dict[str, str]
) -> None:
    a, b, c = (_add(client, headers, title) for title in "ABC")
    response = client.post(
        f"/api/tasks/{c}/move", json={"before_id": a}, headers=headers
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == c
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert _ids(client, headers) == [c, a, b]
    client.post(f"/api/tasks/{c}/move", json={"before_id": None}, headers=headers)
    assert _ids(client, headers) == [a, b, c]
    client.post(f"/api/tasks/{b}/move", json={}, headers=headers)
    assert _ids(client, headers) == [a, c, b]


def test_move_before_another_users_task_is_404(
    client: TestClient,
    session: Session,
    headers: dict[str, str],
    other_user: User,
) -> None:
    mine = _add(client, headers, "Mine")
    theirs = make_task(session, other_user).id
    response = client.post(
        f"/api/tasks/{mine}/move", json={"before_id": theirs}, headers=headers
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Task not found"}


def test_move_with_a_bad_before_id_is_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    mine = _add(client, headers, "Mine")
    for body in ({"before_id": 0}, {"before_id": "x"}, {"position": 1}):
        response = client.post(f"/api/tasks/{mine}/move", json=body, headers=headers)
        assert response.status_code == 422
