"""GET /api/tasks: filters, sorting, paging, X-Total-Count and refused query values."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import make_task
from todo_app.models import User


def _titles(client: TestClient, headers: dict[str, str], query: str = "") -> list[str]:
    response = client.get(f"/api/tasks{query}", headers=headers)
    assert response.status_code == 200, response.text
    return [task["title"] for task in response.json()]


@pytest.fixture
def three_tasks(session: Session, user: User) -> None:
    """Milk (low, home, due Jan 10), Rent (high, money, due Jan 31, done), Call mum (none)."""
    make_task(
        session,
        user,
        title="Milk",
        priority="low",
        tags=["home"],
        due_date=date(2030, 1, 10),
    )
    rent = make_task(
        session,
        user,
        title="Rent",
        priority="high",
        tags=["money"],
        due_date=date(2030, 1, 31),
    )
    make_task(session, user, title="Call mum", description="about the milk order")
    rent.completed = True
    session.add(rent)
    session.commit()


def test_list_tasks_empty_returns_empty_array(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get("/api/tasks", headers=headers)
    assert response.status_code == 200
    assert response.json() == []
    assert response.headers["x-total-count"] == "0"


def test_list_tasks_newest_first_by_default(
    client: TestClient, headers: dict[str, str], three_tasks: None
) -> None:
    assert _titles(client, headers) == ["Call mum", "Rent", "Milk"]


def test_list_tasks_total_count_is_before_paging(
    client: TestClient, headers: dict[str, str], three_tasks: None
) -> None:
    response = client.get("/api/tasks?limit=1&offset=1", headers=headers)
    assert [t["title"] for t in response.json()] == ["Rent"]
    assert response.headers["x-total-count"] == "3"


@pytest.mark.parametrize(
    "query,expected",
    [
        ("?status=all", ["Call mum", "Rent", "Milk"]),
        ("?status=pending", ["Call mum", "Milk"]),
        ("?status=completed", ["Rent"]),
        ("?priority=high", ["Rent"]),
        ("?priority=none", ["Call mum"]),
        ("?tag=home", ["Milk"]),
        ("?tag=HOME", ["Milk"]),
        ("?tag=%23Home", ["Milk"]),
        ("?q=milk", ["Call mum", "Milk"]),
        ("?q=%25", []),
        ("?due_before=2030-01-31", ["Milk"]),
        ("?due_after=2030-01-10", ["Rent"]),
        ("?sort=title&order=asc", ["Call mum", "Milk", "Rent"]),
        ("?sort=title&order=desc", ["Rent", "Milk", "Call mum"]),
        ("?sort=due_date&order=asc", ["Milk", "Rent", "Call mum"]),
        ("?sort=priority&order=desc", ["Rent", "Milk", "Call mum"]),
        ("?sort=created&order=asc", ["Milk", "Rent", "Call mum"]),
        ("?status=pending&sort=title&order=asc&limit=1", ["Call mum"]),
        ("?limit=500", ["Call mum", "Rent", "Milk"]),
        ("?offset=3", []),
        ("?q=", ["Call mum", "Rent", "Milk"]),
    ],
    ids=str,
)
def test_list_tasks_filters_and_sorts(
    client: TestClient,
    headers: dict[str, str],
    three_tasks: None,
    query: str,
    expected: list[str],
) -> None:
    assert _titles(client, headers, query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "status=done",
        "status=",
        "priority=urgent",
        "sort=owner",
        "sort=id",
        "order=up",
        "limit=0",
        "limit=501",
        "limit=-1",
        "limit=abc",
        f"limit={2**64}",
        "offset=-1",
        "offset=abc",
        f"offset={2**64}",
        "due_before=tomorrow",
        "due_after=2030-13-01",
        "tag=" + "x" * 31,
        "q=" + "x" * 201,
        "q=%00",
        "tag=a%00b",
        "user_id=1",
        "owner_id=1",
        "page=2",
    ],
    ids=str,
)
def test_list_tasks_invalid_query_returns_422(
    client: TestClient, headers: dict[str, str], query: str
) -> None:
    response = client.get(f"/api/tasks?{query}", headers=headers)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_list_tasks_without_token_returns_401(client: TestClient) -> None:
    response = client.get("/api/tasks")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
