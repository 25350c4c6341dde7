"""Every column of a task reaches the API's JSON and the list: none is dropped on the way.

The list and the single-task views are built from the table's columns by name (`model_construct`
skips validation, so a forgotten field would vanish silently). These tests derive what must be
there from the table itself, so a new column that the public view misses fails them.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import make_task
from todo_app.models import (
    EDITABLE_FIELDS,
    PRIVATE_TASK_COLUMNS,
    Task,
    TaskPatch,
    TaskPublic,
    User,
)
from todo_app.services import tasks


def _public_names() -> set[str]:
    columns = {column.name for column in Task.__table__.columns}
    return (columns - PRIVATE_TASK_COLUMNS) | {"tags"}


def _full_task(session: Session, owner: User) -> Task:
    return make_task(
        session,
        owner,
        title="Pay rent",
        description="Bank transfer",
        due_date="2030-01-31",
        priority="high",
        tags=["home"],
        recurrence="monthly",
    )


def test_public_view_declares_every_public_column() -> None:
    assert set(TaskPublic.model_fields) == _public_names()


def test_every_editable_field_is_stored_in_a_column_or_as_tags() -> None:
    columns = {column.name for column in Task.__table__.columns}
    assert set(EDITABLE_FIELDS) <= columns | {"tags"}


def test_patch_offers_every_editable_field_and_completion() -> None:
    assert set(TaskPatch.model_fields) == {*EDITABLE_FIELDS, "completed"}


def test_list_service_returns_every_public_column(session: Session, user: User) -> None:
    _full_task(session, user)
    item = tasks.list_tasks(session, owner_id=user.id).items[0]
    assert set(item.model_dump()) == _public_names()
    assert item.model_dump(mode="json")["tags"] == ["home"]


def test_task_json_has_every_public_column(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    task = _full_task(session, user)
    body: dict[str, Any] = client.get(f"/api/tasks/{task.id}", headers=headers).json()
    assert set(body) == _public_names()


def test_list_json_has_every_public_column_with_the_same_values_as_one_task(
    client: TestClient, headers: dict[str, str], session: Session, user: User
) -> None:
    task = _full_task(session, user)
    listed = client.get("/api/tasks", headers=headers).json()[0]
    single = client.get(f"/api/tasks/{task.id}", headers=headers).json()
    assert set(listed) == _public_names()
    assert listed == single
