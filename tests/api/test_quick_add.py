"""Quick add over HTTP: `POST /api/tasks/parse`, and `POST /api/tasks` with `{"text": ...}`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import FROZEN_NOW, bearer
from tests.builders import make_user
from todo_app.services import quick_add, tasks

PREVIEW_KEYS = {
    "title",
    "due_date",
    "due_time",
    "tags",
    "priority",
    "recurrence",
    "project_id",
    "recognised",
}
LINE = "Call mom tomorrow at 6pm #Family !1"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Pin the clock of quick add and of the task services to FROZEN_NOW (10:30 UTC, June 1)."""
    monkeypatch.setattr(quick_add, "utcnow", lambda: FROZEN_NOW)
    monkeypatch.setattr(tasks, "utcnow", lambda: FROZEN_NOW)
    return FROZEN_NOW


def _parse(client: TestClient, headers: dict[str, str], body: Any) -> Any:
    return client.post("/api/tasks/parse", json=body, headers=headers)


# --- parse -------------------------------------------------------------------------------------


def test_parse_returns_200_with_the_fields_the_line_sets(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = _parse(client, headers, {"text": LINE}).json()
    assert {key: body[key] for key in PREVIEW_KEYS - {"recognised"}} == {
        "title": "Call mom",
        "due_date": "2030-06-02",
        "due_time": "18:00",
        "tags": ["family"],
        "priority": "high",
        "recurrence": "none",
        "project_id": None,
    }


def test_parse_returns_exactly_the_documented_keys(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert set(_parse(client, headers, {"text": LINE}).json()) == PREVIEW_KEYS


def test_parse_lists_the_recognised_words_with_their_offsets(
    client: TestClient, headers: dict[str, str]
) -> None:
    recognised = _parse(client, headers, {"text": LINE}).json()["recognised"]
    assert recognised == [
        {"kind": "date", "text": "tomorrow", "start": 9, "end": 17},
        {"kind": "time", "text": "at 6pm", "start": 18, "end": 24},
        {"kind": "tag", "text": "#Family", "start": 25, "end": 32},
        {"kind": "priority", "text": "!1", "start": 33, "end": 35},
    ]


def test_parse_of_a_plain_title_gives_a_new_tasks_defaults(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = _parse(client, headers, {"text": "Buy milk"}).json()
    assert body == {
        "title": "Buy milk",
        "due_date": None,
        "due_time": None,
        "tags": [],
        "priority": "none",
        "recurrence": "none",
        "project_id": None,
        "recognised": [],
    }


def test_parse_lists_an_unsupported_repeat_and_keeps_it_in_the_title(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = _parse(client, headers, {"text": "Standup every weekday"}).json()
    assert (body["title"], body["recurrence"]) == ("Standup every weekday", "none")
    assert body["recognised"] == [
        {"kind": "unsupported", "text": "every weekday", "start": 8, "end": 21}
    ]


def test_parse_creates_nothing(client: TestClient, headers: dict[str, str]) -> None:
    _parse(client, headers, {"text": LINE})
    assert client.get("/api/tasks", headers=headers).json() == []


def test_parse_reads_today_in_the_users_zone(
    client: TestClient, session: Session
) -> None:
    # 10:30 UTC on June 1 is already June 2 in Kiritimati (UTC+14).
    user = make_user(session, timezone="Pacific/Kiritimati")
    body = _parse(client, bearer(session, user), {"text": "Call today"}).json()
    assert body["due_date"] == "2030-06-02"


def test_parse_with_nothing_left_for_the_title_returns_422_with_a_message(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = _parse(client, headers, {"text": "tomorrow #home"})
    assert response.status_code == 422
    (issue,) = response.json()["detail"]
    assert issue["loc"] == ["body", "text"]
    assert issue["msg"].startswith("Nothing is left for the title")


def test_parse_with_a_title_too_long_returns_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = _parse(client, headers, {"text": "x" * 201})
    assert response.status_code == 422
    assert "at most 200 characters" in response.json()["detail"][0]["msg"]


def test_parse_with_a_text_over_1000_characters_returns_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert _parse(client, headers, {"text": "x " * 501}).status_code == 422


def test_parse_without_a_token_returns_401(client: TestClient) -> None:
    assert _parse(client, {}, {"text": LINE}).status_code == 401


# --- create from one line ----------------------------------------------------------------------


def test_create_task_from_text_returns_201_with_the_task(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post("/api/tasks", json={"text": LINE}, headers=headers)
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["due_date"], body["due_time"]) == (
        "Call mom",
        "2030-06-02",
        "18:00",
    )
    assert (body["tags"], body["priority"]) == (["family"], "high")
    assert response.headers["location"] == f"/api/tasks/{body['id']}"


def test_create_task_from_text_creates_what_parse_previews(
    client: TestClient, headers: dict[str, str]
) -> None:
    line = "Pay rent every month on the 1st #home !high"
    preview = _parse(client, headers, {"text": line}).json()
    created = client.post("/api/tasks", json={"text": line}, headers=headers).json()
    for key in PREVIEW_KEYS - {"recognised", "project_id"}:
        assert created[key] == preview[key], key


def test_create_task_from_text_keeps_the_description(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/tasks",
        json={"text": "Pay rent tomorrow", "description": "Standing order"},
        headers=headers,
    )
    assert response.json()["description"] == "Standing order"


def test_create_task_with_text_and_title_returns_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/tasks", json={"text": "Buy milk", "title": "Buy milk"}, headers=headers
    )
    assert response.status_code == 422
    assert "either `text` or `title`, not both" in response.json()["detail"][0]["msg"]


def test_create_task_with_text_and_another_field_returns_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/tasks", json={"text": "Buy milk", "priority": "high"}, headers=headers
    )
    assert response.status_code == 422


def test_create_task_from_text_with_nothing_left_for_the_title_returns_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post("/api/tasks", json={"text": "!high"}, headers=headers)
    assert response.status_code == 422
    assert client.get("/api/tasks", headers=headers).json() == []


def test_create_task_without_title_or_text_names_title_as_before(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post("/api/tasks", json={"priority": "high"}, headers=headers)
    assert response.status_code == 422
    assert [issue["loc"] for issue in response.json()["detail"]] == [["body", "title"]]
