"""An archived project in the UI: adding to it shows why not where the person acted (quick add,
the new-task form, the details dialog), and its own tasks stay editable."""

from __future__ import annotations

import pytest
import reflex as rx
from sqlmodel import Session, select

from tests.builders import make_project, make_task
from tests.state.conftest import call, fetch, open_page, shown_notice, sign_in, substate
from todo_app.models import ProjectPublic, ProjectUpdate, Task, User
from todo_app.services import projects
from todo_app.state.quick_add import QuickAddState
from todo_app.state.task_details import TaskDetailsState
from todo_app.state.tasks import TaskState

REFUSAL = "Project “Old” is archived: unarchive it to add tasks"


def _archive(db: Session, user: User, project: ProjectPublic) -> None:
    projects.update_project(
        db, owner_id=user.id, project_id=project.id, data=ProjectUpdate(archived=True)
    )
    db.commit()


@pytest.fixture
def old(db: Session, user: User) -> ProjectPublic:
    project = make_project(db, user, name="Old")
    _archive(db, user, project)
    return project


def _inbox(root: rx.State, user: User) -> TaskState:
    sign_in(root, user)
    open_page(root, "/inbox")
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    return state


def test_quick_add_into_an_archived_project_shows_why_and_adds_nothing(
    root: rx.State, user: User, db: Session, old: ProjectPublic
) -> None:
    state = _inbox(root, user)
    quick = substate(root, QuickAddState)
    line = "Dust off /old tomorrow"
    call(quick, QuickAddState.read_line, line)
    project_chip = next(chip for chip in quick.chips if chip.kind == "project")
    assert (project_chip.meaning, project_chip.warning) == (REFUSAL, True)
    form_key = state.new_task_form_key
    call(state, TaskState.add_task, {"title": line})
    assert shown_notice(root) == REFUSAL
    assert fetch(db, select(Task.title)) == []
    # The line stays typed (the form is not renewed) and its chips with it.
    assert state.new_task_form_key == form_key
    assert [chip.kind for chip in quick.chips] == ["project", "date"]


def test_a_chip_of_a_project_in_use_is_no_warning(
    root: rx.State, user: User, db: Session
) -> None:
    make_project(db, user, name="Work")
    _inbox(root, user)
    quick = substate(root, QuickAddState)
    call(quick, QuickAddState.read_line, "Send report /work")
    ((meaning, warning),) = [(chip.meaning, chip.warning) for chip in quick.chips]
    assert (meaning, warning) == ("In Work", False)


def test_the_new_task_form_into_an_archived_project_shows_why(
    root: rx.State, user: User, db: Session, old: ProjectPublic
) -> None:
    # A tab whose list of projects predates the archiving still offers it.
    state = _inbox(root, user)
    call(state, TaskState.add_task, {"title": "Dust off", "project_id": str(old.id)})
    assert shown_notice(root) == REFUSAL
    assert fetch(db, select(Task.title)) == []


def _details_form(title: str, project_id: int | None) -> dict[str, str]:
    return {
        "title": title,
        "description": "",
        "due_date": "",
        "due_time": "",
        "priority": "none",
        "tags": "",
        "recurrence": "none",
        "project_id": str(project_id or ""),
    }


def test_the_details_dialog_says_why_a_task_cannot_move_into_an_archived_project(
    root: rx.State, user: User, db: Session, old: ProjectPublic
) -> None:
    loose = make_task(db, user, title="Loose")
    _inbox(root, user)
    details = substate(root, TaskDetailsState)
    call(details, TaskDetailsState.open_details, loose.id)
    call(details, TaskDetailsState.save_details, _details_form("Loose", old.id))
    assert (details.task_id, details.error) == (loose.id, REFUSAL)  # still open
    assert fetch(db, select(Task.project_id)) == [None]


def test_the_details_dialog_saves_a_task_that_stays_in_its_archived_project(
    root: rx.State, user: User, db: Session
) -> None:
    project = make_project(db, user, name="Old")
    kept = make_task(db, user, title="Kept", project_id=project.id)
    _archive(db, user, project)
    sign_in(root, user)
    open_page(root, f"/projects/{project.id}")
    call(substate(root, TaskState), TaskState.load_page)
    details = substate(root, TaskDetailsState)
    call(details, TaskDetailsState.open_details, kept.id)
    call(
        details,
        TaskDetailsState.save_details,
        _details_form("Kept, renamed", project.id),
    )
    assert (details.task_id, details.error) == (0, "")
    assert fetch(db, select(Task.title, Task.project_id)) == [
        ("Kept, renamed", project.id)
    ]
