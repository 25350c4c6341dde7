"""POST, GET /api/tasks/{id}/reminders and DELETE /api/tasks/{id}/reminders/{rid}."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


def _task(client: TestClient, headers: dict[str, str], **fields: Any) -> int:
    response = client.post(
        "/api/tasks", json={"title": "Call mom", **fields}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _dated_task(client: TestClient, headers: dict[str, str]) -> int:
    return _task(client, headers, due_date="2030-06-02", due_time="18:00")


def test_create_reminder_is_201_with_its_json(
    client: TestClient, headers: dict[str, str]
) -> None:
    task_id = _dated_task(client, headers)
    response = client.post(
        f"/api/tasks/{task_id}/reminders",
        json={"type": "before", "minutes": 60},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"id", "type", "minutes", "at", "fire_at", "status"}
    assert (body["type"], body["minutes"], body["at"], body["status"]) == (
        "before",
        60,
        None,
        "pending",
    )
    assert body["fire_at"] == "2030-06-02T17:00:00Z"  # the user's zone is UTC


def test_create_at_reminder_answers_in_utc(
    client: TestClient, headers: dict[str, str]
) -> None:
    task_id = _task(client, headers)
    response = client.post(
        f"/api/tasks/{task_id}/reminders",
        json={"type": "at", "at": "2030-12-01T10:00:00+01:00"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["at"] == response.json()["fire_at"] == "2030-12-01T09:00:00Z"


def test_list_and_delete_reminders(client: TestClient, headers: dict[str, str]) -> None:
    task_id = _dated_task(client, headers)
    url = f"/api/tasks/{task_id}/reminders"
    due = client.post(url, json={"type": "due"}, headers=headers).json()
    before = client.post(
        url, json={"type": "before", "minutes": 15}, headers=headers
    ).json()
    assert client.get(url, headers=headers).json() == [before, due]
    deleted = client.delete(f"{url}/{before['id']}", headers=headers)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert client.get(url, headers=headers).json() == [due]
    assert client.delete(f"{url}/{before['id']}", headers=headers).status_code == 404


def test_sixth_reminder_is_422_with_a_readable_detail(
    client: TestClient, headers: dict[str, str]
) -> None:
    task_id = _dated_task(client, headers)
    url = f"/api/tasks/{task_id}/reminders"
    for minutes in range(1, 6):
        body = {"type": "before", "minutes": minutes}
        assert client.post(url, json=body, headers=headers).status_code == 201
    response = client.post(url, json={"type": "due"}, headers=headers)
    assert response.status_code == 422
    assert "at most 5 reminders" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("body", [{"type": "due"}, {"type": "before", "minutes": 5}])
def test_relative_reminder_of_a_task_without_due_date_is_422(
    client: TestClient, headers: dict[str, str], body: dict[str, Any]
) -> None:
    task_id = _task(client, headers)
    response = client.post(
        f"/api/tasks/{task_id}/reminders", json=body, headers=headers
    )
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["loc"] == ["body", "type"]
    assert "needs a task with a due date" in problem["msg"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"type": "before"},
        {"type": "at", "at": "2030-12-01T09:00:00"},
        {"type": "at", "at": "2020-12-01T09:00:00Z"},
        {"type": "due", "minutes": 5},
        {"type": "before", "minutes": -5},
        {"type": "before", "minutes": "soon"},
        {"type": "due", "status": "sent"},
        {"type": "sometime"},
    ],
)
def test_invalid_reminder_is_422_never_500(
    lenient_client: TestClient, headers: dict[str, str], body: dict[str, Any]
) -> None:
    task_id = _dated_task(lenient_client, headers)
    response = lenient_client.post(
        f"/api/tasks/{task_id}/reminders", json=body, headers=headers
    )
    assert response.status_code == 422, response.text
    assert all(problem["msg"] for problem in response.json()["detail"])


def test_reminders_of_another_users_task_are_404(
    client: TestClient, headers: dict[str, str], other_headers: dict[str, str]
) -> None:
    task_id = _dated_task(client, headers)
    url = f"/api/tasks/{task_id}/reminders"
    reminder = client.post(url, json={"type": "due"}, headers=headers).json()
    assert client.get(url, headers=other_headers).status_code == 404
    assert (
        client.post(url, json={"type": "due"}, headers=other_headers).status_code == 404
    )
    gone = client.delete(f"{url}/{reminder['id']}", headers=other_headers)
    assert gone.status_code == 404
    assert client.get(url, headers=headers).json() == [reminder]


def test_reminders_without_token_are_401(client: TestClient) -> None:
    assert client.get("/api/tasks/1/reminders").status_code == 401
    assert (
        client.post("/api/tasks/1/reminders", json={"type": "due"}).status_code == 401
    )
    assert client.delete("/api/tasks/1/reminders/1").status_code == 401
