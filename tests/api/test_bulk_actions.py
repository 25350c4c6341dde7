"""POST /api/tasks/complete-all and /api/tasks/clear-completed: exactly what the filters match."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import make_task
from todo_app.models import Task, User
from todo_app.services import tasks

ACTIONS = ["/api/tasks/complete-all", "/api/tasks/clear-completed"]


def _completed_titles(client: TestClient, headers: dict[str, str]) -> list[str]:
    listed = client.get("/api/tasks?status=completed&sort=title", headers=headers)
    return sorted(t["title"] for t in listed.json())


def _complete(session: Session, task: Task) -> None:
    tasks.toggle_task(session, owner_id=task.user_id, task_id=task.id)
    session.commit()


def test_complete_all_completes_only_tasks_matching_the_filters(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    make_task(session, user, title="Milk", tags=["home"], priority="high")
    make_task(session, user, title="Bread", tags=["home"], priority="low")
    make_task(session, user, title="Report", tags=["work"], priority="high")
    response = client.post(
        "/api/tasks/complete-all?tag=%23Home&priority=high", headers=headers
    )
    assert (response.status_code, response.json()) == (200, {"changed": 1})
    assert _completed_titles(client, headers) == ["Milk"]


def test_complete_all_without_filters_completes_every_pending_task(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    for title in ("A", "B", "C"):
        make_task(session, user, title=title)
    response = client.post("/api/tasks/complete-all", headers=headers)
    assert response.json() == {"changed": 3}


def test_complete_all_leaves_the_created_occurrences_pending(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    frozen_now: datetime,
) -> None:
    make_task(session, user, due_date=date(2030, 6, 1), recurrence="daily")
    client.post("/api/tasks/complete-all", headers=headers)
    pending = client.get("/api/tasks?status=pending", headers=headers).json()
    assert [t["due_date"] for t in pending] == ["2030-06-02"]


def test_complete_all_leaves_other_users_tasks(
    client: TestClient,
    session: Session,
    other_user: User,
    headers: dict[str, str],
    other_headers: dict[str, str],
) -> None:
    make_task(session, other_user)
    assert client.post("/api/tasks/complete-all", headers=headers).json() == {
        "changed": 0
    }
    assert _completed_titles(client, other_headers) == []


def test_clear_completed_deletes_only_completed_tasks_matching_the_filters(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    for title, tags in (("Milk", ["home"]), ("Report", ["work"])):
        _complete(session, make_task(session, user, title=title, tags=tags))
    make_task(session, user, title="Bread", tags=["home"])
    response = client.post("/api/tasks/clear-completed?tag=home", headers=headers)
    assert (response.status_code, response.json()) == (200, {"changed": 1})
    listed = client.get("/api/tasks?sort=title&order=asc", headers=headers).json()
    assert [t["title"] for t in listed] == ["Bread", "Report"]


def test_clear_completed_with_search_deletes_only_matching_tasks(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    for title in ("Buy milk", "Walk the dog"):
        _complete(session, make_task(session, user, title=title))
    client.post("/api/tasks/clear-completed?q=milk", headers=headers)
    assert _completed_titles(client, headers) == ["Walk the dog"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    "query", ["limit=1", "offset=1", "sort=title", "status=maybe", "owner_id=2"]
)
def test_bulk_action_with_paging_sort_or_unknown_parameter_returns_422(
    client: TestClient, headers: dict[str, str], action: str, query: str
) -> None:
    assert client.post(f"{action}?{query}", headers=headers).status_code == 422


@pytest.mark.parametrize("action", ACTIONS)
def test_bulk_action_without_token_returns_401(client: TestClient, action: str) -> None:
    assert client.post(action).status_code == 401
