"""The user's time zone over HTTP, and the task dates that follow it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import PASSWORD, bearer
from tests.builders import make_task, make_user
from todo_app.models import User


def _set_timezone(client: TestClient, headers: dict[str, str], timezone: Any) -> Any:
    return client.patch("/api/auth/me", json={"timezone": timezone}, headers=headers)


# --- the account's zone ------------------------------------------------------------------------


def test_read_me_returns_utc_by_default(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert client.get("/api/auth/me", headers=headers).json()["timezone"] == "UTC"


def test_update_me_changes_the_timezone(
    client: TestClient, headers: dict[str, str]
) -> None:
    _set_timezone(client, headers, "Europe/Paris")
    assert (
        client.get("/api/auth/me", headers=headers).json()["timezone"] == "Europe/Paris"
    )


def test_update_me_timezone_keeps_the_name(
    client: TestClient, session: Session
) -> None:
    headers = bearer(session, make_user(session, name="Ada"))
    assert _set_timezone(client, headers, "Europe/Paris").json()["name"] == "Ada"


@pytest.mark.parametrize("timezone", ["Mars/Olympus_Mons", "", None, 5, "localtime"])
def test_update_me_unknown_timezone_returns_422_naming_the_field(
    client: TestClient, headers: dict[str, str], timezone: Any
) -> None:
    response = _set_timezone(client, headers, timezone)
    assert response.status_code == 422
    assert [issue["loc"] for issue in response.json()["detail"]] == [
        ["body", "timezone"]
    ]


def test_update_me_unknown_timezone_changes_nothing(
    client: TestClient, headers: dict[str, str]
) -> None:
    _set_timezone(client, headers, "Mars/Olympus_Mons")
    assert client.get("/api/auth/me", headers=headers).json()["timezone"] == "UTC"


def test_register_with_timezone_stores_it(client: TestClient) -> None:
    response = client.post(
        "/api/auth/register",
        json={
            "email": "kiri@example.com",
            "password": PASSWORD,
            "timezone": "Pacific/Kiritimati",
        },
    )
    assert (response.status_code, response.json()["timezone"]) == (
        201,
        "Pacific/Kiritimati",
    )


def test_register_with_unknown_timezone_returns_422_naming_the_field(
    client: TestClient,
) -> None:
    response = client.post(
        "/api/auth/register",
        json={"email": "x@example.com", "password": PASSWORD, "timezone": "Nowhere"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "timezone"]


# --- task dates in the user's zone -------------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "today"),
    [("Pacific/Kiritimati", "2030-06-02"), ("Pacific/Pago_Pago", "2030-05-31")],
)
def test_create_task_repeating_without_due_date_is_due_on_the_users_today(
    client: TestClient,
    headers: dict[str, str],
    frozen_now: datetime,
    timezone: str,
    today: str,
) -> None:
    _set_timezone(client, headers, timezone)
    response = client.post(
        "/api/tasks", json={"title": "Stretch", "recurrence": "daily"}, headers=headers
    )
    assert response.json()["due_date"] == today


def test_update_task_setting_a_repeat_without_due_date_sets_the_users_today(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    frozen_now: datetime,
) -> None:
    _set_timezone(client, headers, "Pacific/Kiritimati")
    task = make_task(session, user)
    response = client.patch(
        f"/api/tasks/{task.id}", json={"recurrence": "weekly"}, headers=headers
    )
    assert response.json()["due_date"] == "2030-06-02"


@pytest.mark.parametrize(
    ("timezone", "today"),
    [("Pacific/Kiritimati", "2030-06-02"), ("Pacific/Pago_Pago", "2030-05-31")],
)
def test_toggle_overdue_daily_task_is_next_due_on_the_users_today(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    frozen_now: datetime,
    timezone: str,
    today: str,
) -> None:
    _set_timezone(client, headers, timezone)
    task = make_task(session, user, due_date=date(2030, 5, 1), recurrence="daily")
    client.patch(f"/api/tasks/{task.id}/complete", headers=headers)
    pending = client.get("/api/tasks?status=pending", headers=headers).json()
    assert [t["due_date"] for t in pending] == [today]


def test_toggle_monthly_task_on_the_31st_keeps_its_anchor(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    frozen_now: datetime,
) -> None:
    make_task(session, user, due_date=date(2030, 8, 31), recurrence="monthly")
    for _ in range(2):
        newest = client.get("/api/tasks?status=pending", headers=headers).json()[0]
        client.patch(f"/api/tasks/{newest['id']}/complete", headers=headers)
    listed = client.get("/api/tasks?sort=due_date&order=asc", headers=headers).json()
    assert [t["due_date"] for t in listed] == ["2030-08-31", "2030-09-30", "2030-10-31"]


def test_toggle_reopening_a_repeating_task_removes_its_untouched_occurrence(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    frozen_now: datetime,
) -> None:
    task = make_task(session, user, due_date=date(2030, 6, 1), recurrence="daily")
    client.patch(f"/api/tasks/{task.id}/complete", headers=headers)
    client.patch(f"/api/tasks/{task.id}/complete", headers=headers)
    listed = client.get("/api/tasks", headers=headers).json()
    assert [(t["id"], t["completed"]) for t in listed] == [(task.id, False)]
