"""/api/projects and the project side of /api/tasks: shapes, statuses and isolation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import FROZEN_NOW
from tests.builders import make_access_token, make_project, make_task
from todo_app.models import User

PROJECT_KEYS = {
    "id",
    "name",
    "color",
    "position",
    "archived",
    "created_at",
    "updated_at",
    "version",
    "open_count",
}
MISSING_ID = 987654


def _create(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/api/projects", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_project_returns_201_with_location(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/projects", json={"name": "Work", "color": "teal"}, headers=headers
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == PROJECT_KEYS
    assert (body["name"], body["color"], body["position"], body["open_count"]) == (
        "Work",
        "teal",
        0,
        0,
    )
    assert response.headers["Location"] == f"/api/projects/{body['id']}"
    assert client.get(response.headers["Location"], headers=headers).json() == body


def test_create_project_with_a_taken_name_is_409(
    client: TestClient, headers: dict[str, str]
) -> None:
    _create(client, headers, name="Work")
    response = client.post("/api/projects", json={"name": "wORK"}, headers=headers)
    assert response.status_code == 409
    assert response.json() == {"detail": "You already have a project named “Work”"}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "x" * 61},
        {"name": "W", "color": "pink"},
        {"name": "W", "id": 3},
    ],
    ids=["missing", "empty", "too-long", "bad-color", "extra-field"],
)
def test_create_project_with_bad_input_is_422(
    client: TestClient, headers: dict[str, str], body: dict[str, Any]
) -> None:
    response = client.post("/api/projects", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"


def test_list_projects_in_sidebar_order_with_open_counts_and_archived_on_request(
    client: TestClient, headers: dict[str, str]
) -> None:
    work = _create(client, headers, name="Work")
    old = _create(client, headers, name="Old")
    client.post(
        "/api/tasks", json={"title": "A", "project_id": work["id"]}, headers=headers
    )
    client.patch(f"/api/projects/{old['id']}", json={"archived": True}, headers=headers)
    listed = client.get("/api/projects", headers=headers).json()
    assert [(p["name"], p["open_count"]) for p in listed] == [("Work", 1)]
    everything = client.get("/api/projects?archived=true", headers=headers).json()
    assert [(p["name"], p["archived"]) for p in everything] == [
        ("Work", False),
        ("Old", True),
    ]


def test_list_projects_refuses_unknown_query_parameters(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get("/api/projects?archive=1", headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "archive"]


def test_patch_project_renames_and_recolours(
    client: TestClient, headers: dict[str, str]
) -> None:
    work = _create(client, headers, name="Work")
    response = client.patch(
        f"/api/projects/{work['id']}",
        json={"name": "Job", "color": "berry"},
        headers=headers,
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["color"]) == ("Job", "berry")


def test_patch_project_to_a_taken_name_is_409_and_null_is_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    _create(client, headers, name="Work")
    home = _create(client, headers, name="Home")
    url = f"/api/projects/{home['id']}"
    assert client.patch(url, json={"name": "work"}, headers=headers).status_code == 409
    response = client.patch(url, json={"name": None}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


def test_move_project_shifts_the_others(
    client: TestClient, headers: dict[str, str]
) -> None:
    ids = [_create(client, headers, name=name)["id"] for name in "ABC"]
    response = client.post(
        f"/api/projects/{ids[2]}/move", json={"position": 0}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["position"] == 0
    listed = client.get("/api/projects", headers=headers).json()
    assert [(p["name"], p["position"]) for p in listed] == [
        ("C", 0),
        ("A", 1),
        ("B", 2),
    ]
    bad = client.post(
        f"/api/projects/{ids[0]}/move", json={"position": -1}, headers=headers
    )
    assert bad.status_code == 422


def test_delete_project_is_204_and_its_tasks_go_to_the_trash(
    client: TestClient, headers: dict[str, str]
) -> None:
    work = _create(client, headers, name="Work")
    task = client.post(
        "/api/tasks", json={"title": "A", "project_id": work["id"]}, headers=headers
    ).json()
    response = client.delete(f"/api/projects/{work['id']}", headers=headers)
    assert response.status_code == 204
    assert client.get(f"/api/projects/{work['id']}", headers=headers).status_code == 404
    assert client.get("/api/tasks", headers=headers).json() == []
    trash = client.get("/api/trash", headers=headers).json()
    assert [t["id"] for t in trash] == [task["id"]]


def test_task_json_carries_project_id_and_position(
    client: TestClient, headers: dict[str, str]
) -> None:
    work = _create(client, headers, name="Work")
    created = client.post(
        "/api/tasks", json={"title": "A", "project_id": work["id"]}, headers=headers
    ).json()
    assert created["project_id"] == work["id"]
    assert isinstance(created["position"], int)
    replaced = client.put(
        f"/api/tasks/{created['id']}", json={"title": "A"}, headers=headers
    ).json()
    assert replaced["project_id"] is None  # PUT: what is left out takes its default
    patched = client.patch(
        f"/api/tasks/{created['id']}", json={"project_id": work["id"]}, headers=headers
    ).json()
    assert patched["project_id"] == work["id"]


def test_position_is_not_settable_by_create_or_patch(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/tasks", json={"title": "A", "position": 5}, headers=headers
    )
    assert response.status_code == 422
    task = client.post("/api/tasks", json={"title": "A"}, headers=headers).json()
    response = client.patch(
        f"/api/tasks/{task['id']}", json={"position": 5}, headers=headers
    )
    assert response.status_code == 422


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_task_in_a_project_that_is_not_yours_is_422_naming_the_field(
    client: TestClient,
    session: Session,
    headers: dict[str, str],
    user: User,
    other_user: User,
    method: str,
) -> None:
    theirs = make_project(session, other_user, name="Theirs")
    mine = make_task(session, user)
    url = "/api/tasks" if method == "post" else f"/api/tasks/{mine.id}"
    for project_id in (theirs.id, MISSING_ID):
        response = client.request(
            method, url, json={"title": "A", "project_id": project_id}, headers=headers
        )
        assert response.status_code == 422
        assert response.json() == {
            "detail": [
                {
                    "type": "value_error",
                    "loc": ["body", "project_id"],
                    "msg": "Project not found",
                }
            ]
        }


def test_list_tasks_by_project_and_inbox(
    client: TestClient, headers: dict[str, str]
) -> None:
    work = _create(client, headers, name="Work")
    in_work = client.post(
        "/api/tasks", json={"title": "A", "project_id": work["id"]}, headers=headers
    ).json()
    in_inbox = client.post("/api/tasks", json={"title": "B"}, headers=headers).json()
    by_project = client.get(f"/api/tasks?project_id={work['id']}", headers=headers)
    assert [t["id"] for t in by_project.json()] == [in_work["id"]]
    assert by_project.headers["X-Total-Count"] == "1"
    inbox = client.get("/api/tasks?inbox=true", headers=headers).json()
    assert [t["id"] for t in inbox] == [in_inbox["id"]]
    both = client.get(f"/api/tasks?inbox=true&project_id={work['id']}", headers=headers)
    assert both.status_code == 422


def test_due_views_over_the_api_use_the_users_zone(
    client: TestClient, headers: dict[str, str], frozen_now: object
) -> None:
    today = FROZEN_NOW.date()  # the user is in UTC

    def add(days: int | None) -> int:
        due = None if days is None else (today + timedelta(days=days)).isoformat()
        body = {"title": f"due {days}", "due_date": due}
        return client.post("/api/tasks", json=body, headers=headers).json()["id"]

    late, now, soon, far, undated = add(-1), add(0), add(3), add(20), add(None)

    def ids(query: str) -> list[int]:
        response = client.get(
            f"/api/tasks?{query}&sort=due_date&order=asc", headers=headers
        )
        assert response.status_code == 200, response.text
        return [t["id"] for t in response.json()]

    assert ids("due=today") == [late, now]
    assert ids("due=overdue") == [late]
    assert ids("due=upcoming") == [now, soon]
    assert ids("due=upcoming&days=30") == [now, soon, far]
    assert ids("due=none") == [undated]
    assert (
        client.get("/api/tasks?due=upcoming&days=61", headers=headers).status_code
        == 422
    )
    assert client.get("/api/tasks?due=later", headers=headers).status_code == 422


# (method, path suffix, JSON body) of every route acting on one project.
PROJECT_ACTIONS = [
    ("GET", "", None),
    ("PATCH", "", {"name": "Hijacked"}),
    ("DELETE", "", None),
    ("POST", "/move", {"position": 0}),
]


@pytest.mark.parametrize(
    "action", PROJECT_ACTIONS, ids=["read", "update", "delete", "move"]
)
def test_another_users_project_is_404_like_a_missing_one_and_unchanged(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    other_headers: dict[str, str],
    action: tuple[str, str, Any],
) -> None:
    mine = make_project(session, user, name="Mine")
    make_task(session, user, project_id=mine.id)
    method, suffix, body = action
    theirs = client.request(
        method, f"/api/projects/{mine.id}{suffix}", json=body, headers=other_headers
    )
    missing = client.request(
        method, f"/api/projects/{MISSING_ID}{suffix}", json=body, headers=other_headers
    )
    assert (theirs.status_code, theirs.json()) == (missing.status_code, missing.json())
    assert theirs.status_code == 404
    [listed] = client.get("/api/projects", headers=headers).json()
    assert (listed["name"], listed["open_count"]) == ("Mine", 1)


def test_another_users_projects_and_their_tasks_are_invisible(
    client: TestClient,
    session: Session,
    user: User,
    other_headers: dict[str, str],
) -> None:
    mine = make_project(session, user, name="Mine")
    make_task(session, user, project_id=mine.id, due_date=FROZEN_NOW.date())
    assert client.get("/api/projects?archived=true", headers=other_headers).json() == []
    for query in (f"project_id={mine.id}", "inbox=true", "due=today", "due=upcoming"):
        response = client.get(f"/api/tasks?{query}", headers=other_headers)
        assert (response.status_code, response.json()) == (200, [])


def test_project_routes_need_a_token(client: TestClient) -> None:
    assert client.get("/api/projects").status_code == 401


def test_a_read_token_reads_projects_but_cannot_change_them(
    client: TestClient, session: Session, user: User
) -> None:
    work = make_project(session, user, name="Work")
    auth = {"Authorization": f"Bearer {make_access_token(session, user, scope='read')}"}
    assert client.get(f"/api/projects/{work.id}", headers=auth).status_code == 200
    for method, suffix, body in PROJECT_ACTIONS[1:]:
        response = client.request(
            method, f"/api/projects/{work.id}{suffix}", json=body, headers=auth
        )
        assert response.status_code == 403
