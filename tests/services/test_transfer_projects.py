"""Projects in export and import: they travel by name, never by another account's id."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session

from tests.builders import make_project, make_task, make_user
from todo_app.errors import InvalidFile, InvalidInput
from todo_app.models import ProjectUpdate, TaskCreate, TaskQuery, User
from todo_app.services import projects, tasks, transfer

NOW = datetime(2030, 6, 1, 10, 30, tzinfo=UTC)


def _export(session: Session, owner: User) -> dict[str, Any]:
    return transfer.export_document(session, owner_id=owner.id, now=NOW)


def _import(session: Session, owner: User, document: dict[str, Any]) -> Any:
    result = transfer.import_file(
        session,
        owner_id=owner.id,
        body=json.dumps(document).encode(),
        content_type="application/json",
        now=NOW,
    )
    session.commit()
    return result


def _projects_of_tasks(session: Session, owner: User) -> dict[str, str | None]:
    names = {
        p.id: p.name
        for p in projects.list_projects(
            session, owner_id=owner.id, include_archived=True
        )
    }
    return {
        task.title: names.get(task.project_id) if task.project_id else None
        for task in tasks.list_tasks(session, owner_id=owner.id).items
    }


def test_export_lists_projects_and_names_each_tasks_project(
    session: Session,
) -> None:
    owner = make_user(session)
    work = make_project(session, owner, name="Work", color="teal")
    old = make_project(session, owner, name="Old")
    projects.update_project(
        session, owner_id=owner.id, project_id=old.id, data=ProjectUpdate(archived=True)
    )
    session.commit()
    make_task(session, owner, title="Report", project_id=work.id)
    make_task(session, owner, title="Loose")
    document = _export(session, owner)
    assert document["projects"] == [
        {"name": "Work", "color": "teal", "position": 0, "archived": False},
        {"name": "Old", "color": "charcoal", "position": 1, "archived": True},
    ]
    by_title = {task["title"]: task for task in document["tasks"]}
    assert (by_title["Report"]["project"], by_title["Loose"]["project"]) == (
        "Work",
        None,
    )
    rows = list(
        csv.DictReader(io.StringIO(transfer.export_csv(session, owner_id=owner.id)))
    )
    assert {row["title"]: row["project"] for row in rows} == {
        "Report": "Work",
        "Loose": "",
    }


def test_an_export_imported_into_another_account_brings_its_projects(
    session: Session,
) -> None:
    owner = make_user(session)
    work = make_project(session, owner, name="Work", color="teal")
    make_task(session, owner, title="Report", project_id=work.id)
    make_task(session, owner, title="Loose")
    other = make_user(session)
    result = _import(session, other, _export(session, owner))
    assert (result.tasks, result.projects) == (2, 1)
    [copied] = projects.list_projects(session, owner_id=other.id)
    assert (copied.name, copied.color, copied.open_count) == ("Work", "teal", 1)
    assert copied.id != work.id
    assert _projects_of_tasks(session, other) == {"Report": "Work", "Loose": None}


def test_import_reuses_a_project_of_the_same_name_in_any_case(
    session: Session,
) -> None:
    owner = make_user(session)
    mine = make_project(session, owner, name="work")
    document = {
        "format": "todo_app.export",
        "version": 1,
        "projects": [{"name": "WORK"}],
        "tasks": [
            {"title": "Report", "project": "Work"},
            {"title": "New", "project": "Home"},
        ],
    }
    result = _import(session, owner, document)
    assert result.projects == 1  # Home only
    assert [p.name for p in projects.list_projects(session, owner_id=owner.id)] == [
        "work",
        "Home",
    ]
    assert _projects_of_tasks(session, owner)["Report"] == "work"
    assert (
        tasks.list_tasks(
            session, owner_id=owner.id, query=TaskQuery(project_id=mine.id)
        ).total
        == 1
    )


def test_a_project_id_in_a_file_is_ignored(session: Session) -> None:
    owner = make_user(session)
    theirs = make_project(session, make_user(session), name="Theirs")
    document = {
        "format": "todo_app.export",
        "version": 1,
        "tasks": [{"title": "Sneak", "project_id": theirs.id}],
    }
    _import(session, owner, document)
    assert _projects_of_tasks(session, owner) == {"Sneak": None}


def test_a_bad_project_in_a_file_imports_nothing(session: Session) -> None:
    owner = make_user(session)
    document = {
        "format": "todo_app.export",
        "version": 1,
        "projects": [{"name": ""}],
        "tasks": [{"title": "Kept?"}],
    }
    with pytest.raises(InvalidFile):
        _import(session, owner, document)
    session.rollback()
    assert tasks.list_tasks(session, owner_id=owner.id).total == 0


def test_import_tasks_refuses_another_users_project(session: Session) -> None:
    owner = make_user(session)
    theirs = make_project(session, make_user(session), name="Theirs")
    with pytest.raises(InvalidInput):
        tasks.import_tasks(
            session,
            owner_id=owner.id,
            items=[
                tasks.TaskImport(fields=TaskCreate(title="x", project_id=theirs.id))
            ],
        )
