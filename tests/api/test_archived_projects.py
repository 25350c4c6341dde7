"""An archived project over HTTP: no task created in it or moved into it (422 naming it), its
own tasks still editable; quick add and its preview say the same."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import make_project, make_task
from todo_app.models import ProjectPublic, ProjectUpdate, User
from todo_app.services import projects

REFUSAL = {
    "detail": [
        {
            "type": "value_error",
            "loc": ["body", "project_id"],
            "msg": "Project “Old” is archived: unarchive it to add tasks",
        }
    ]
}


def _archived(session: Session, owner: User, name: str) -> ProjectPublic:
    project = make_project(session, owner, name=name)
    projects.update_project(
        session,
        owner_id=owner.id,
        project_id=project.id,
        data=ProjectUpdate(archived=True),
    )
    session.commit()
    return project


@pytest.fixture
def old(session: Session, user: User) -> ProjectPublic:
    return _archived(session, user, "Old")


def _titles(client: TestClient, headers: dict[str, str]) -> list[str]:
    listed = client.get("/api/tasks", headers=headers)
    return sorted(task["title"] for task in listed.json())


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_a_task_into_an_archived_project_is_422_naming_it(
    client: TestClient,
    session: Session,
    headers: dict[str, str],
    user: User,
    old: ProjectPublic,
    method: str,
) -> None:
    loose = make_task(session, user, title="Loose")
    url = "/api/tasks" if method == "post" else f"/api/tasks/{loose.id}"
    response = client.request(
        method, url, json={"title": "New", "project_id": old.id}, headers=headers
    )
    assert (response.status_code, response.json()) == (422, REFUSAL)
    assert (
        client.get(f"/api/tasks/{loose.id}", headers=headers).json()["project_id"]
        is None
    )
    assert _titles(client, headers) == ["Loose"]


def test_someone_elses_archived_project_is_still_not_found(
    client: TestClient, session: Session, headers: dict[str, str], other_user: User
) -> None:
    theirs = _archived(session, other_user, "Old")
    response = client.post(
        "/api/tasks", json={"title": "Sneak", "project_id": theirs.id}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Project not found"


def test_a_task_in_an_archived_project_stays_editable_over_http(
    client: TestClient,
    session: Session,
    headers: dict[str, str],
    user: User,
) -> None:
    project = make_project(session, user, name="Old")
    kept = make_task(session, user, title="Kept", project_id=project.id)
    projects.update_project(
        session,
        owner_id=user.id,
        project_id=project.id,
        data=ProjectUpdate(archived=True),
    )
    session.commit()
    url = f"/api/tasks/{kept.id}"
    # A full replace sends the project it is in again: no move, no refusal.
    replaced = client.put(
        url, json={"title": "Kept, renamed", "project_id": project.id}, headers=headers
    )
    assert replaced.status_code == 200, replaced.text
    completed = client.patch(url, json={"completed": True}, headers=headers)
    assert completed.status_code == 200
    moved_out = client.patch(url, json={"project_id": None}, headers=headers)
    assert (moved_out.status_code, moved_out.json()["project_id"]) == (200, None)


def test_quick_add_into_an_archived_project_is_422_naming_it(
    client: TestClient, headers: dict[str, str], old: ProjectPublic
) -> None:
    response = client.post(
        "/api/tasks", json={"text": "Dust off /old tomorrow"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == REFUSAL["detail"][0]["msg"]
    assert _titles(client, headers) == []


def test_the_preview_of_a_line_naming_an_archived_project_is_the_same_422(
    client: TestClient, headers: dict[str, str], old: ProjectPublic
) -> None:
    created = client.post(
        "/api/tasks", json={"text": "Dust off /old tomorrow"}, headers=headers
    )
    previewed = client.post(
        "/api/tasks/parse", json={"text": "Dust off /old tomorrow"}, headers=headers
    )
    assert (previewed.status_code, previewed.json()) == (422, created.json())


def test_an_import_into_an_archived_project_is_422_and_imports_nothing(
    client: TestClient, headers: dict[str, str], old: ProjectPublic
) -> None:
    document: dict[str, Any] = {
        "format": "todo_app.export",
        "version": 1,
        "tasks": [{"title": "Loose"}, {"title": "More", "project": "Old"}],
    }
    response = client.post(
        "/api/import",
        content=json.dumps(document),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "Project “Old” is archived" in response.text
    assert _titles(client, headers) == []
