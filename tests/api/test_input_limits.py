"""Hostile input: oversize, chunked, NUL bytes, non-JSON, wrong types and content types -> 4xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import make_task
from todo_app.api.limits import MAX_BODY_BYTES
from todo_app.models import User

JSON = {"content-type": "application/json"}


def _oversize_json() -> bytes:
    return b'{"title": "' + b"x" * MAX_BODY_BYTES + b'"}'


def test_create_task_over_one_mib_returns_413(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/tasks", content=_oversize_json(), headers={**headers, **JSON}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large"}


def test_register_over_one_mib_returns_413(client: TestClient) -> None:
    response = client.post("/api/auth/register", content=_oversize_json(), headers=JSON)
    assert response.status_code == 413


def test_declared_oversize_length_returns_413_before_auth(client: TestClient) -> None:
    # No token: the size is refused before anything else looks at the request.
    response = client.post("/api/tasks", content=_oversize_json(), headers=JSON)
    assert response.status_code == 413


def test_chunked_body_over_one_mib_returns_413(
    client: TestClient, headers: dict[str, str]
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"title": "'
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536
        yield b'"}'

    response = client.post("/api/tasks", content=chunks(), headers={**headers, **JSON})
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


def test_chunked_body_under_limit_is_accepted(
    client: TestClient, headers: dict[str, str]
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"title": '
        yield b'"Chunked"}'

    response = client.post("/api/tasks", content=chunks(), headers={**headers, **JSON})
    assert response.status_code == 201


def test_body_just_under_limit_is_parsed(
    client: TestClient, headers: dict[str, str]
) -> None:
    padding = b" " * (MAX_BODY_BYTES - 100)
    body = b'{"title": "Spacious"}' + padding
    response = client.post("/api/tasks", content=body, headers={**headers, **JSON})
    assert response.status_code == 201


def test_invalid_content_length_returns_400(client: TestClient) -> None:
    response = client.post(
        "/api/auth/login",
        content=b"{}",
        headers={**JSON, "content-length": "abc"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": "a\\u0000b"}',
        b'{"title": "ok", "description": "\\u0000"}',
        b'{"title": "ok", "tags": ["a\\u0000"]}',
        b'{"title": "a\\ud800b"}',
        b'{"title": "ok", "tags": ["\\udfff"]}',
        b'{"title": "ok", "\\ud800": 1}',
    ],
    ids=[
        "nul-title",
        "nul-description",
        "nul-tag",
        "surrogate-title",
        "surrogate-tag",
        "surrogate-key",
    ],
)
def test_create_task_with_unstorable_text_returns_422(
    lenient_client: TestClient, headers: dict[str, str], body: bytes
) -> None:
    response = lenient_client.post(
        "/api/tasks", content=body, headers={**headers, **JSON}
    )
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


@pytest.mark.parametrize(
    "path,body",
    [
        (
            "/api/auth/register",
            b'{"email": "a\\u0000@example.com", "password": "password123"}',
        ),
        (
            "/api/auth/register",
            b'{"email": "a@example.com", "password": "password123", "name": "\\u0000"}',
        ),
        (
            "/api/auth/login",
            b'{"email": "a\\ud800@example.com", "password": "password123"}',
        ),
        (
            "/api/auth/login",
            b'{"email": "a\\u0000@example.com", "password": "pass\\u0000word"}',
        ),
    ],
    ids=[
        "register-nul-email",
        "register-nul-name",
        "login-surrogate-email",
        "login-nul",
    ],
)
def test_auth_with_unstorable_text_returns_4xx(
    lenient_client: TestClient, path: str, body: bytes
) -> None:
    response = lenient_client.post(path, content=body, headers=JSON)
    assert 400 <= response.status_code < 500


def test_patch_task_with_nul_title_returns_422(
    lenient_client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(session, user)
    response = lenient_client.patch(
        f"/api/tasks/{task.id}",
        content=b'{"title": "\\u0000"}',
        headers={**headers, **JSON},
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"{",
        b'{"title": "x",}',
        b"\xff\xfe\x00garbage",
        b"[" * 100_000,
        b'{"title": ' + b"9" * 5000 + b"}",
        b"null",
        b"[]",
        b'"a string"',
        b"123",
    ],
    ids=[
        "empty",
        "text",
        "truncated",
        "trailing-comma",
        "invalid-utf8",
        "deep-nesting",
        "huge-number",
        "null",
        "array",
        "string",
        "number",
    ],
)
def test_create_task_with_non_object_body_returns_4xx(
    lenient_client: TestClient, headers: dict[str, str], body: bytes
) -> None:
    response = lenient_client.post(
        "/api/tasks", content=body, headers={**headers, **JSON}
    )
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/xml",
        None,
    ],
    ids=str,
)
def test_create_task_with_wrong_content_type_returns_422(
    lenient_client: TestClient, headers: dict[str, str], content_type: str | None
) -> None:
    request_headers = dict(headers)
    if content_type:
        request_headers["content-type"] = content_type
    response = lenient_client.post(
        "/api/tasks", content=b'{"title": "x"}', headers=request_headers
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": 12}',
        b'{"title": ["x"]}',
        b'{"title": {"x": 1}}',
        b'{"title": true}',
        b'{"title": "ok", "priority": 1e400}',
        b'{"title": "ok", "priority": NaN}',
        b'{"title": "ok", "tags": [1, 2]}',
        b'{"title": "ok", "tags": {"a": 1}}',
        b'{"title": "ok", "due_date": 99999999999999999}',
        b'{"title": "ok", "due_date": "10000-01-01"}',
        b'{"title": "ok", "description": null}',
    ],
    ids=[
        "int-title",
        "list-title",
        "object-title",
        "bool-title",
        "infinite-priority",
        "nan-priority",
        "int-tags",
        "object-tags",
        "huge-due-date",
        "year-10000",
        "null-description",
    ],
)
def test_create_task_with_wrong_types_returns_422(
    lenient_client: TestClient, headers: dict[str, str], body: bytes
) -> None:
    response = lenient_client.post(
        "/api/tasks", content=body, headers={**headers, **JSON}
    )
    assert response.status_code == 422


def test_validation_error_lists_type_loc_msg_only(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/tasks", json={"title": "", "priority": "urgent"}, headers=headers
    )
    detail = response.json()["detail"]
    assert {tuple(e["loc"]) for e in detail} == {
        ("body", "title"),
        ("body", "priority"),
    }
    assert all(set(e) == {"type", "loc", "msg"} for e in detail)


def test_recurring_task_due_in_year_9999_completes_without_error(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    task = make_task(
        session, user, title="Last", due_date="9999-12-31", recurrence="daily"
    )
    response = client.patch(f"/api/tasks/{task.id}/complete", headers=headers)
    assert response.status_code == 200
    assert client.get("/api/tasks", headers=headers).headers["x-total-count"] == "1"


def test_unknown_api_path_returns_404(client: TestClient) -> None:
    assert client.get("/api/nothing-here").status_code == 404
