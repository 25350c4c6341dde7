"""ETags and If-Match over HTTP: a stale edit gets 412 and the task as it is now."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import request_with_if_match as _call
from tests.builders import make_task
from todo_app.models import User

# Every route that changes one task, with a body where it needs one.
CONDITIONAL_ROUTES = [
    ("put", "/api/tasks/{id}", {"title": "Mine"}),
    ("patch", "/api/tasks/{id}", {"title": "Mine"}),
    ("patch", "/api/tasks/{id}/complete", None),
    ("delete", "/api/tasks/{id}", None),
]


def _current(client: TestClient, task_id: int, headers: dict[str, str]) -> Any:
    return client.get(f"/api/tasks/{task_id}", headers=headers)


# --- version and ETag -------------------------------------------------------------------------


def test_create_task_answers_version_1_and_its_etag(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post("/api/tasks", json={"title": "New"}, headers=headers)
    assert response.json()["version"] == 1
    assert response.headers["etag"] == '"1"'


def test_create_task_from_text_answers_its_etag(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post("/api/tasks", json={"text": "Call mom"}, headers=headers)
    assert response.headers["etag"] == '"1"'


def test_read_task_answers_its_etag(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    task = make_task(session, user)
    response = _current(client, task.id, headers)
    assert response.headers["etag"] == f'"{response.json()["version"]}"'


@pytest.mark.parametrize("route", CONDITIONAL_ROUTES[:3], ids=str)
def test_change_answers_the_new_version_and_its_etag(
    client: TestClient,
    headers: dict[str, str],
    session: Session,
    user: User,
    route: tuple[str, str, Any],
) -> None:
    task = make_task(session, user)
    response = _call(client, route, task.id, headers)
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.headers["etag"] == '"2"'


def test_list_shows_each_tasks_version(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    task = make_task(session, user)
    client.patch(f"/api/tasks/{task.id}/complete", headers=headers)
    assert [t["version"] for t in client.get("/api/tasks", headers=headers).json()] == [
        2
    ]


def test_version_cannot_be_set_by_the_client(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    task = make_task(session, user)
    for method in ("post", "put", "patch"):
        path = "/api/tasks" if method == "post" else f"/api/tasks/{task.id}"
        response = client.request(
            method, path, json={"title": "x", "version": 99}, headers=headers
        )
        assert response.status_code == 422, method


def test_bulk_complete_bumps_the_version_so_old_etags_are_stale(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    task = make_task(session, user)
    client.post("/api/tasks/complete-all", headers=headers)
    response = client.patch(
        f"/api/tasks/{task.id}",
        json={"title": "Late"},
        headers={**headers, "If-Match": '"1"'},
    )
    assert response.status_code == 412
    assert response.json()["version"] == 2


# --- If-Match ---------------------------------------------------------------------------------


@pytest.mark.parametrize("route", CONDITIONAL_ROUTES, ids=str)
def test_if_match_current_version_makes_the_change(
    client: TestClient,
    headers: dict[str, str],
    session: Session,
    user: User,
    route: tuple[str, str, Any],
) -> None:
    task = make_task(session, user)
    response = _call(client, route, task.id, headers, if_match='"1"')
    assert response.status_code in (200, 204)
    after = _current(client, task.id, headers)
    assert after.status_code == 404 or after.json()["version"] == 2


@pytest.mark.parametrize("route", CONDITIONAL_ROUTES, ids=str)
def test_if_match_stale_version_returns_412_with_the_current_task(
    client: TestClient,
    headers: dict[str, str],
    session: Session,
    user: User,
    route: tuple[str, str, Any],
) -> None:
    task = make_task(session, user, title="Old")
    client.patch(f"/api/tasks/{task.id}", json={"title": "Theirs"}, headers=headers)
    response = _call(client, route, task.id, headers, if_match='"1"')
    assert response.status_code == 412
    current = _current(client, task.id, headers)
    assert response.json() == current.json()
    assert response.headers["etag"] == current.headers["etag"] == '"2"'
    assert (current.json()["title"], current.json()["completed"]) == ("Theirs", False)


@pytest.mark.parametrize("route", CONDITIONAL_ROUTES, ids=str)
def test_without_if_match_changes_as_before(
    client: TestClient,
    headers: dict[str, str],
    session: Session,
    user: User,
    route: tuple[str, str, Any],
) -> None:
    task = make_task(session, user)
    client.patch(f"/api/tasks/{task.id}", json={"title": "Theirs"}, headers=headers)
    assert _call(client, route, task.id, headers).status_code in (200, 204)


@pytest.mark.parametrize("route", CONDITIONAL_ROUTES, ids=str)
def test_if_match_star_matches_any_version(
    client: TestClient,
    headers: dict[str, str],
    session: Session,
    user: User,
    route: tuple[str, str, Any],
) -> None:
    task = make_task(session, user)
    client.patch(f"/api/tasks/{task.id}", json={"title": "Theirs"}, headers=headers)
    assert _call(client, route, task.id, headers, if_match="*").status_code in (
        200,
        204,
    )


@pytest.mark.parametrize(
    "if_match",
    [
        "1",
        "'1'",
        'W/"1"',
        '"1", "2"',
        '"abc"',
        '""',
        '"01"',
        '"12345678901"',
        "",
        '"-1"',
    ],
)
@pytest.mark.parametrize("route", CONDITIONAL_ROUTES, ids=str)
def test_malformed_if_match_returns_400_and_changes_nothing(
    lenient_client: TestClient,
    headers: dict[str, str],
    session: Session,
    user: User,
    route: tuple[str, str, Any],
    if_match: str,
) -> None:
    task = make_task(session, user, title="Old")
    response = _call(lenient_client, route, task.id, headers, if_match=if_match)
    assert response.status_code == 400
    assert "If-Match" in response.json()["detail"]
    current = _current(lenient_client, task.id, headers).json()
    assert (current["title"], current["version"]) == ("Old", 1)


@pytest.mark.parametrize("route", CONDITIONAL_ROUTES, ids=str)
def test_if_match_on_another_users_task_returns_404(
    client: TestClient,
    headers: dict[str, str],
    session: Session,
    other_user: User,
    route: tuple[str, str, Any],
) -> None:
    theirs = make_task(session, other_user)
    for if_match in ('"1"', '"2"'):
        response = _call(client, route, theirs.id, headers, if_match=if_match)
        assert response.status_code == 404
        assert "version" not in response.text


def test_if_match_on_a_missing_task_returns_404(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.patch(
        "/api/tasks/999", json={"title": "x"}, headers={**headers, "If-Match": '"1"'}
    )
    assert response.status_code == 404


def test_edit_with_the_etag_just_read_then_again_is_412(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    task = make_task(session, user)
    etag = _current(client, task.id, headers).headers["etag"]
    first = client.patch(
        f"/api/tasks/{task.id}",
        json={"title": "One"},
        headers={**headers, "If-Match": etag},
    )
    second = client.patch(
        f"/api/tasks/{task.id}",
        json={"title": "Two"},
        headers={**headers, "If-Match": etag},
    )
    assert (first.status_code, second.status_code) == (200, 412)
    assert second.json()["title"] == "One"


def test_cors_exposes_etag_and_allows_if_match(client: TestClient) -> None:
    response = client.options(
        "/api/tasks/1",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "if-match",
        },
    )
    assert response.status_code == 200
    assert "if-match" in response.headers["access-control-allow-headers"].lower()


def test_openapi_documents_if_match_and_412(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for method in ("put", "patch", "delete"):
        operation = paths["/api/tasks/{task_id}"][method]
        assert "412" in operation["responses"], method
        assert "If-Match" in {p["name"] for p in operation["parameters"]}, method


def test_concurrent_patches_with_the_same_if_match_only_one_wins(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    task = make_task(session, user)
    writers = 8
    start = Barrier(writers)

    def patch(index: int) -> int:
        start.wait()
        return client.patch(
            f"/api/tasks/{task.id}",
            json={"title": f"Writer {index}"},
            headers={**headers, "If-Match": '"1"'},
        ).status_code

    with ThreadPoolExecutor(max_workers=writers) as pool:
        statuses = sorted(pool.map(patch, range(writers)))
    assert statuses == [200] + [412] * (writers - 1)
    assert _current(client, task.id, headers).json()["version"] == 2
