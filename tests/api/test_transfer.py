"""GET /api/export and POST /api/import: files, formats, limits, tokens and isolation."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import make_access_token, make_task
from todo_app.models import User
from todo_app.services import transfer

JSON = {"content-type": "application/json"}
CSV = {"content-type": "text/csv"}
TODOIST = (
    "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\r\n"
    "task,Buy milk @errands,,4,1,,,2030-06-05,en,UTC\r\n"
    "section,Later,,,,,,,,\r\n"
    "task,Call mum,,1,1,,,,en,UTC\r\n"
)


def _document(*titles: str) -> bytes:
    return json.dumps(
        {
            "format": "todo_app.export",
            "version": 1,
            "tasks": [{"title": title} for title in titles],
        }
    ).encode()


def _pat(session: Session, user: User, scope: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_access_token(session, user, scope=scope)}"}


def _titles(client: TestClient, headers: dict[str, str]) -> list[str]:
    response = client.get("/api/tasks", headers=headers)
    return sorted(task["title"] for task in response.json())


# --- export ------------------------------------------------------------------------------------


def test_export_is_a_json_attachment_of_your_tasks(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    other_user: User,
) -> None:
    make_task(session, user, title="Mine", tags=["home"])
    make_task(session, other_user, title="Theirs")
    response = client.get("/api/export", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="todo_app-export-'
    )
    document = response.json()
    assert (document["format"], document["version"], document["projects"]) == (
        "todo_app.export",
        1,
        [],
    )
    assert [(t["title"], t["tags"]) for t in document["tasks"]] == [("Mine", ["home"])]


def test_export_csv_is_an_attachment_with_the_header_row(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    make_task(session, user, title="Mine", tags=["a", "b"])
    response = client.get("/api/export?format=csv", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == [
        "id",
        "title",
        "description",
        "completed",
        "priority",
        "due_date",
        "due_time",
        "tags",
        "recurrence",
        "project",
        "created_at",
        "completed_at",
    ]
    assert (rows[1][1], rows[1][7]) == ("Mine", "a b")


def test_export_in_another_format_is_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert client.get("/api/export?format=xml", headers=headers).status_code == 422


def test_export_needs_a_token(client: TestClient) -> None:
    assert client.get("/api/export").status_code == 401


def test_read_token_may_export_but_not_import(
    client: TestClient, session: Session, user: User
) -> None:
    read = _pat(session, user, "read")
    assert client.get("/api/export", headers=read).status_code == 200
    response = client.post(
        "/api/import", content=_document("A"), headers={**read, **JSON}
    )
    assert response.status_code == 403


def test_write_token_may_import(
    client: TestClient, session: Session, user: User, headers: dict[str, str]
) -> None:
    write = _pat(session, user, "write")
    response = client.post(
        "/api/import", content=_document("A"), headers={**write, **JSON}
    )
    assert response.status_code == 200
    assert _titles(client, headers) == ["A"]


# --- import ------------------------------------------------------------------------------------


def test_round_trip_through_the_api(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    other_headers: dict[str, str],
) -> None:
    make_task(session, user, title="One", priority="high", due_date="2030-01-02")
    exported = client.get("/api/export", headers=headers).content
    response = client.post(
        "/api/import", content=exported, headers={**other_headers, **JSON}
    )
    assert response.json() == {"imported": {"tasks": 1, "projects": 0}, "skipped": []}
    again = client.get("/api/export", headers=other_headers).json()
    assert [(t["title"], t["priority"], t["due_date"]) for t in again["tasks"]] == [
        ("One", "high", "2030-01-02")
    ]


def test_todoist_csv_imports_tasks_and_lists_skipped_rows(
    client: TestClient, headers: dict[str, str], other_headers: dict[str, str]
) -> None:
    response = client.post("/api/import", content=TODOIST, headers={**headers, **CSV})
    assert response.status_code == 200
    assert response.json()["imported"] == {"tasks": 2, "projects": 0}
    assert [entry["line"] for entry in response.json()["skipped"]] == [3]
    assert _titles(client, headers) == ["Buy milk", "Call mum"]
    assert _titles(client, other_headers) == []


def test_unknown_content_type_is_415_with_a_readable_detail(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/import",
        content=b"<tasks/>",
        headers={**headers, "content-type": "application/xml"},
    )
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]


def test_broken_file_is_422_with_lines_and_imports_nothing(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = TODOIST + 'task,"never closed,,4\r\n'
    response = client.post("/api/import", content=body, headers={**headers, **CSV})
    assert response.status_code == 422
    assert response.json()["detail"][0]["line"] == 5
    assert "reason" in response.json()["detail"][0]
    assert _titles(client, headers) == []


def test_more_than_10000_tasks_is_422_with_the_line(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = _document(*["t"] * (transfer.IMPORT_TASKS_MAX + 1))
    response = client.post("/api/import", content=body, headers={**headers, **JSON})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"line": 10_001, "reason": "more than 10,000 tasks: split the file"}]
    }


def test_file_over_one_mib_but_under_ten_is_accepted(
    client: TestClient, headers: dict[str, str]
) -> None:
    # The API's general limit is 1 MiB; the import has its own.
    padding = " " * (2 * 1024 * 1024)
    body = _document("Big file") + padding.encode()
    response = client.post("/api/import", content=body, headers={**headers, **JSON})
    assert response.status_code == 200
    assert _titles(client, headers) == ["Big file"]


@pytest.mark.parametrize("declared", [True, False])
def test_file_over_ten_mib_is_413_and_imports_nothing(
    client: TestClient, headers: dict[str, str], declared: bool
) -> None:
    body = _document("Too big") + b" " * transfer.IMPORT_BYTES_MAX

    def chunks():  # no Content-Length: counted as it streams in
        for start in range(0, len(body), 1024 * 1024):
            yield body[start : start + 1024 * 1024]

    response = client.post(
        "/api/import",
        content=body if declared else chunks(),
        headers={**headers, **JSON},
    )
    assert response.status_code == 413
    assert _titles(client, headers) == []


def test_other_routes_keep_the_one_mib_limit(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = b'{"title": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = client.post("/api/tasks", content=body, headers={**headers, **JSON})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"", "application/json"),
        (b"null", "application/json"),
        (b'"a string"', "application/json"),
        (
            b'{"format": "todo_app.export", "version": 1, "tasks": [null]}',
            "application/json",
        ),
        (
            b'{"format": "todo_app.export", "version": 1, "tasks": {}}',
            "application/json",
        ),
        (
            b'{"format": "todo_app.export", "version": "1", "tasks": []}',
            "application/json",
        ),
        (
            b'{"format": "todo_app.export", "version": 1e400, "tasks": []}',
            "application/json",
        ),
        (
            b'{"format": "todo_app.export", "version": 1, "tasks": [{"title": "\\ud800"}]}',
            "application/json",
        ),
        (
            (
                b'{"format": "todo_app.export", "version": 1, "tasks": '
                b'[{"title": "a", "reminders": [{"type": "at"}]}]}'
            ),
            "application/json",
        ),
        (b"\x00\x01\x02", "text/csv"),
        (b"TYPE,CONTENT\r\ntask,\x00\r\n", "text/csv"),
        (b"TYPE,CONTENT\r\n" + b"task," + b"x" * 200_000 + b"\r\n", "text/csv"),
        (b"", "text/csv"),
        (b"", ""),
    ],
)
def test_odd_bodies_get_a_4xx_never_a_500(
    lenient_client: TestClient, headers: dict[str, str], body: bytes, content_type: str
) -> None:
    response = lenient_client.post(
        "/api/import", content=body, headers={**headers, "content-type": content_type}
    )
    assert 200 <= response.status_code < 500
    assert response.status_code != 200 or response.json()["imported"]["tasks"] == 0
    response.json()  # readable JSON either way
