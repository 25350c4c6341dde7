"""A project's ETag and If-Match over HTTP, as for tasks: a stale edit, move or deletion gets
412 and the project as it is now."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import request_with_if_match as _call
from tests.builders import make_project
from todo_app.models import User

# Every route that changes one project, with its body. The project is the second of two, so
# a move to 0 changes its place.
CONDITIONAL_ROUTES = [
    ("patch", "/api/projects/{id}", {"name": "Mine"}),
    ("post", "/api/projects/{id}/move", {"position": 0}),
    ("delete", "/api/projects/{id}", None),
]


def _current(client: TestClient, project_id: int, headers: dict[str, str]) -> Any:
    return client.get(f"/api/projects/{project_id}", headers=headers)


def _second_project(session: Session, user: User, **fields: Any) -> int:
    make_project(session, user)
    return make_project(session, user, **fields).id


# --- version and ETag -------------------------------------------------------------------------


def test_create_project_answers_version_1_and_its_etag(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post("/api/projects", json={"name": "Work"}, headers=headers)
    assert response.json()["version"] == 1
    assert response.headers["etag"] == '"1"'


def test_read_project_answers_its_etag(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    project_id = _second_project(session, user)
    response = _current(client, project_id, headers)
    assert response.headers["etag"] == '"1"' == f'"{response.json()["version"]}"'


@pytest.mark.parametrize("route", CONDITIONAL_ROUTES[:2], ids=str)
def test_change_answers_the_new_version_and_its_etag(
    client: TestClient,
    headers: dict[str, str],
    session: Session,
    user: User,
    route: tuple[str, str, Any],
) -> None:
    project_id = _second_project(session, user)
    response = _call(client, route, project_id, headers)
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.headers["etag"] == '"2"'


def test_list_shows_each_projects_version(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    project_id = _second_project(session, user)
    client.patch(
        f"/api/projects/{project_id}", json={"archived": True}, headers=headers
    )
    listed = client.get("/api/projects?archived=true", headers=headers).json()
    assert [p["version"] for p in listed] == [1, 2]


def test_version_cannot_be_set_by_the_client(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    project_id = _second_project(session, user)
    for method, path in (
        ("post", "/api/projects"),
        ("patch", f"/api/projects/{project_id}"),
    ):
        response = client.request(
            method, path, json={"name": "x", "version": 99}, headers=headers
        )
        assert response.status_code == 422, method


def test_a_move_of_another_project_keeps_this_ones_etag(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    first = make_project(session, user)
    second = make_project(session, user)
    client.post(
        f"/api/projects/{second.id}/move", json={"position": 0}, headers=headers
    )
    response = client.patch(
        f"/api/projects/{first.id}",
        json={"name": "Still mine"},
        headers={**headers, "If-Match": '"1"'},
    )
    assert response.status_code == 200
    assert (response.json()["position"], response.json()["version"]) == (1, 2)


# --- If-Match ---------------------------------------------------------------------------------


@pytest.mark.parametrize("route", CONDITIONAL_ROUTES, ids=str)
def test_if_match_current_version_makes_the_change(
    client: TestClient,
    headers: dict[str, str],
    session: Session,
    user: User,
    route: tuple[str, str, Any],
) -> None:
    project_id = _second_project(session, user)
    response = _call(client, route, project_id, headers, if_match='"1"')
    assert response.status_code in (200, 204)
    after = _current(client, project_id, headers)
    assert after.status_code == 404 or after.json()["version"] == 2


@pytest.mark.parametrize("route", CONDITIONAL_ROUTES, ids=str)
def test_if_match_stale_version_returns_412_with_the_current_project(
    client: TestClient,
    headers: dict[str, str],
    session: Session,
    user: User,
    route: tuple[str, str, Any],
) -> None:
    project_id = _second_project(session, user, name="Old")
    client.patch(
        f"/api/projects/{project_id}", json={"name": "Theirs"}, headers=headers
    )
    response = _call(client, route, project_id, headers, if_match='"1"')
    assert response.status_code == 412
    current = _current(client, project_id, headers)
    assert response.json() == current.json()
    assert response.headers["etag"] == current.headers["etag"] == '"2"'
    assert (current.json()["name"], current.json()["position"]) == ("Theirs", 1)


@pytest.mark.parametrize("route", CONDITIONAL_ROUTES, ids=str)
def test_without_if_match_changes_as_before(
    client: TestClient,
    headers: dict[str, str],
    session: Session,
    user: User,
    route: tuple[str, str, Any],
) -> None:
    project_id = _second_project(session, user)
    client.patch(
        f"/api/projects/{project_id}", json={"name": "Theirs"}, headers=headers
    )
    assert _call(client, route, project_id, headers).status_code in (200, 204)


@pytest.mark.parametrize("route", CONDITIONAL_ROUTES, ids=str)
def test_if_match_star_matches_any_version(
    client: TestClient,
    headers: dict[str, str],
    session: Session,
    user: User,
    route: tuple[str, str, Any],
) -> None:
    project_id = _second_project(session, user)
    client.patch(
        f"/api/projects/{project_id}", json={"name": "Theirs"}, headers=headers
    )
    response = _call(client, route, project_id, headers, if_match="*")
    assert response.status_code in (200, 204)


@pytest.mark.parametrize("if_match", ["1", 'W/"1"', '"1", "2"', '"abc"', ""])
@pytest.mark.parametrize("route", CONDITIONAL_ROUTES, ids=str)
def test_malformed_if_match_returns_400_and_changes_nothing(
    lenient_client: TestClient,
    headers: dict[str, str],
    session: Session,
    user: User,
    route: tuple[str, str, Any],
    if_match: str,
) -> None:
    project_id = _second_project(session, user, name="Old")
    response = _call(lenient_client, route, project_id, headers, if_match=if_match)
    assert response.status_code == 400
    assert "If-Match" in response.json()["detail"]
    current = _current(lenient_client, project_id, headers).json()
    assert (current["name"], current["position"], current["version"]) == ("Old", 1, 1)


@pytest.mark.parametrize("route", CONDITIONAL_ROUTES, ids=str)
def test_if_match_on_another_users_project_returns_404(
    client: TestClient,
    headers: dict[str, str],
    session: Session,
    other_user: User,
    route: tuple[str, str, Any],
) -> None:
    theirs = _second_project(session, other_user)
    for if_match in ('"1"', '"2"'):
        response = _call(client, route, theirs, headers, if_match=if_match)
        assert response.status_code == 404
        assert "version" not in response.text


def test_edit_with_the_etag_just_read_then_again_is_412(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    project_id = _second_project(session, user)
    etag = _current(client, project_id, headers).headers["etag"]
    first = client.patch(
        f"/api/projects/{project_id}",
        json={"name": "One"},
        headers={**headers, "If-Match": etag},
    )
    second = client.patch(
        f"/api/projects/{project_id}",
        json={"name": "Two"},
        headers={**headers, "If-Match": etag},
    )
    assert (first.status_code, second.status_code) == (200, 412)
    assert second.json()["name"] == "One"


def test_openapi_documents_if_match_etag_and_412_with_a_project(
    client: TestClient,
) -> None:
    openapi = client.get("/openapi.json").json()
    paths = openapi["paths"]
    for method, path in (
        ("patch", "/api/projects/{project_id}"),
        ("delete", "/api/projects/{project_id}"),
        ("post", "/api/projects/{project_id}/move"),
    ):
        operation = paths[path][method]
        assert "If-Match" in {p["name"] for p in operation["parameters"]}, method
        schema = operation["responses"]["412"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ProjectPublic"}, method
    assert "ETag" in paths["/api/projects/{project_id}"]["get"]["responses"]["200"].get(
        "headers", {}
    )
