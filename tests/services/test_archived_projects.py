"""An archived project is read-only for new tasks (as in Todoist): nothing is created in it or
moved into it, by any path; the tasks it holds stay editable and may leave it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from tests.builders import make_project, make_task, make_user
from todo_app.errors import InvalidInput
from todo_app.models import (
    Project,
    ProjectPublic,
    ProjectUpdate,
    Task,
    TaskCreate,
    TaskPatch,
    User,
)
from todo_app.services import projects, quick_add, tasks, transfer
from todo_app.services.quick_add import TaskFromText

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
REFUSAL = "Project “Old” is archived: unarchive it to add tasks"


@pytest.fixture
def owner(session: Session) -> User:
    return make_user(session)


def _archive(session: Session, owner: User, project: ProjectPublic) -> None:
    projects.update_project(
        session,
        owner_id=owner.id,
        project_id=project.id,
        data=ProjectUpdate(archived=True),
    )
    session.commit()


@pytest.fixture
def old(session: Session, owner: User) -> ProjectPublic:
    """The owner's project "Old", archived, holding the task "Kept"."""
    project = make_project(session, owner, name="Old")
    make_task(session, owner, title="Kept", project_id=project.id)
    _archive(session, owner, project)
    return project


def _kept(session: Session) -> Task:
    return session.exec(select(Task).where(Task.title == "Kept")).one()


def _titles(session: Session, owner: User) -> list[str]:
    titles = session.exec(
        select(Task.title).where(Task.user_id == owner.id).order_by(Task.id)
    ).all()
    session.commit()
    return list(titles)


def _refused(raised: pytest.ExceptionInfo[InvalidInput]) -> None:
    assert (raised.value.message, raised.value.field) == (REFUSAL, "project_id")


def test_create_in_an_archived_project_is_refused_naming_it(
    session: Session, owner: User, old: ProjectPublic
) -> None:
    with pytest.raises(InvalidInput) as raised:
        tasks.create_task(
            session,
            owner_id=owner.id,
            data=TaskCreate(title="New", project_id=old.id),
        )
    _refused(raised)
    session.rollback()
    assert _titles(session, owner) == ["Kept"]


def test_someone_elses_archived_project_still_reads_as_not_found(
    session: Session, owner: User
) -> None:
    other = make_user(session)
    theirs = make_project(session, other, name="Old")
    _archive(session, other, theirs)
    with pytest.raises(InvalidInput) as raised:
        tasks.create_task(
            session,
            owner_id=owner.id,
            data=TaskCreate(title="Sneak", project_id=theirs.id),
        )
    assert (raised.value.message, raised.value.field) == (
        "Project not found",
        "project_id",
    )


@pytest.mark.parametrize("how", ["replace", "update"])
def test_moving_a_task_into_an_archived_project_is_refused(
    session: Session, owner: User, old: ProjectPublic, how: str
) -> None:
    loose = make_task(session, owner, title="Loose")
    with pytest.raises(InvalidInput) as raised:
        if how == "replace":
            tasks.replace_task(
                session,
                owner_id=owner.id,
                task_id=loose.id,
                data=TaskCreate(title="Loose", project_id=old.id),
            )
        else:
            tasks.update_task(
                session,
                owner_id=owner.id,
                task_id=loose.id,
                data=TaskPatch(project_id=old.id),
            )
    _refused(raised)
    session.rollback()
    assert session.get(Task, loose.id).project_id is None  # type: ignore[union-attr]


def test_a_task_in_an_archived_project_stays_editable_there(
    session: Session, owner: User, old: ProjectPublic
) -> None:
    kept = _kept(session)
    # What the details dialog sends: every field, the project as it is.
    tasks.replace_task(
        session,
        owner_id=owner.id,
        task_id=kept.id,
        data=TaskCreate(title="Kept, renamed", project_id=old.id),
    )
    tasks.update_task(
        session,
        owner_id=owner.id,
        task_id=kept.id,
        data=TaskPatch(completed=True, project_id=old.id),
    )
    tasks.toggle_task(session, owner_id=owner.id, task_id=kept.id)
    session.commit()
    task = session.get(Task, kept.id)
    assert task is not None
    assert (task.title, task.completed, task.project_id) == (
        "Kept, renamed",
        False,
        old.id,
    )


def test_a_task_may_leave_an_archived_project(
    session: Session, owner: User, old: ProjectPublic
) -> None:
    work = make_project(session, owner, name="Work")
    kept = _kept(session)
    moved = tasks.update_task(
        session, owner_id=owner.id, task_id=kept.id, data=TaskPatch(project_id=work.id)
    )
    assert moved.project_id == work.id
    emptied = tasks.update_task(
        session, owner_id=owner.id, task_id=kept.id, data=TaskPatch(project_id=None)
    )
    assert emptied.project_id is None


def test_an_unarchived_project_takes_tasks_again(
    session: Session, owner: User, old: ProjectPublic
) -> None:
    projects.update_project(
        session,
        owner_id=owner.id,
        project_id=old.id,
        data=ProjectUpdate(archived=False),
    )
    task = make_task(session, owner, title="New", project_id=old.id)
    assert task.project_id == old.id


def test_import_into_an_archived_project_imports_nothing(
    session: Session, owner: User, old: ProjectPublic
) -> None:
    items = [
        tasks.TaskImport(fields=TaskCreate(title="First")),
        tasks.TaskImport(fields=TaskCreate(title="Second", project_id=old.id)),
    ]
    with pytest.raises(InvalidInput) as raised:
        tasks.import_tasks(session, owner_id=owner.id, items=items, now=NOW)
    _refused(raised)
    session.rollback()
    assert _titles(session, owner) == ["Kept"]


def test_quick_add_into_an_archived_project_is_refused_naming_it(
    session: Session, owner: User, old: ProjectPublic
) -> None:
    with pytest.raises(InvalidInput) as raised:
        quick_add.create_from_text(
            session,
            owner_id=owner.id,
            data=TaskFromText(text="Dust off /old tomorrow"),
            now=NOW,
        )
    _refused(raised)
    session.rollback()
    assert _titles(session, owner) == ["Kept"]


def test_the_quick_add_preview_refuses_an_archived_project_as_the_add_does(
    session: Session, owner: User, old: ProjectPublic
) -> None:
    # Not "/old" left in the title of a task for the Inbox: the words name the project.
    with pytest.raises(InvalidInput) as raised:
        quick_add.preview_task(
            session, owner_id=owner.id, text="Dust off /old tomorrow", now=NOW
        )
    _refused(raised)


def _document(session: Session, owner: User) -> dict[str, Any]:
    return transfer.export_document(session, owner_id=owner.id, now=NOW)


def _import(session: Session, owner: User, document: dict[str, Any]) -> Any:
    return transfer.import_file(
        session,
        owner_id=owner.id,
        body=json.dumps(document).encode(),
        content_type="application/json",
        now=NOW,
    )


def test_an_export_brings_its_archived_project_back_archived_with_its_tasks(
    session: Session, owner: User, old: ProjectPublic
) -> None:
    other = make_user(session)
    result = _import(session, other, _document(session, owner))
    session.commit()
    assert (result.tasks, result.projects) == (1, 1)
    (copied,) = session.exec(select(Project).where(Project.owner_id == other.id)).all()
    assert (copied.name, copied.archived) == ("Old", True)
    project_ids = session.exec(
        select(Task.project_id).where(Task.user_id == other.id)
    ).all()
    assert project_ids == [copied.id]


def test_a_file_adding_tasks_to_an_archived_project_imports_nothing(
    session: Session, owner: User, old: ProjectPublic
) -> None:
    document = {
        "format": "todo_app.export",
        "version": 1,
        "tasks": [{"title": "Loose"}, {"title": "More", "project": "OLD"}],
    }
    with pytest.raises(InvalidInput) as raised:
        _import(session, owner, document)
    _refused(raised)
    session.rollback()
    assert _titles(session, owner) == ["Kept"]
    assert session.scalar(sa.select(sa.func.count()).select_from(Project)) == 1
