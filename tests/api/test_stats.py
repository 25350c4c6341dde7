"""GET /api/stats: completions per day in the user's zone, the streak, open and overdue."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import FROZEN_NOW
from tests.builders import make_task
from todo_app.models import User
from todo_app.services import stats, tasks


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The stats clock at FROZEN_NOW (10:30 UTC on 2030-06-01)."""
    monkeypatch.setattr(stats, "utcnow", lambda: FROZEN_NOW)
    return FROZEN_NOW


def _complete(session: Session, user: User, at: datetime) -> None:
    task = make_task(session, user)
    tasks.toggle_task(session, owner_id=user.id, task_id=task.id, now=at)
    session.commit()


def test_stats_shape_and_defaults(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    pinned: datetime,
) -> None:
    _complete(session, user, pinned - timedelta(days=1))
    _complete(session, user, pinned)
    _complete(session, user, pinned)
    make_task(session, user, due_date=date(2030, 5, 1))
    response = client.get("/api/stats", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"days", "streak", "overdue", "open"}
    assert len(body["days"]) == 30
    assert body["days"][0] == {"date": "2030-05-03", "completed": 0}
    assert body["days"][-2:] == [
        {"date": "2030-05-31", "completed": 1},
        {"date": "2030-06-01", "completed": 2},
    ]
    assert (body["streak"], body["overdue"], body["open"]) == (2, 1, 1)


def test_stats_days_follow_the_users_zone(
    client: TestClient,
    session: Session,
    user: User,
    headers: dict[str, str],
    pinned: datetime,
) -> None:
    client.patch(
        "/api/auth/me", json={"timezone": "Pacific/Kiritimati"}, headers=headers
    )
    _complete(session, user, pinned)
    body = client.get("/api/stats?days=2", headers=headers).json()
    assert body["days"] == [
        {"date": "2030-06-01", "completed": 0},
        {"date": "2030-06-02", "completed": 1},
    ]


@pytest.mark.parametrize("days", ["0", "366", "x"])
def test_stats_days_out_of_range_is_422(
    client: TestClient, headers: dict[str, str], days: str
) -> None:
    response = client.get(f"/api/stats?days={days}", headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "days"]


def test_stats_count_only_the_callers_tasks(
    client: TestClient,
    session: Session,
    other_user: User,
    headers: dict[str, str],
    pinned: datetime,
) -> None:
    _complete(session, other_user, pinned)
    body = client.get("/api/stats?days=365", headers=headers).json()
    assert len(body["days"]) == 365
    assert sum(day["completed"] for day in body["days"]) == 0
    assert (body["streak"], body["open"]) == (0, 0)


def test_stats_need_a_token(client: TestClient) -> None:
    assert client.get("/api/stats").status_code == 401
