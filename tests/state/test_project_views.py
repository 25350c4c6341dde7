"""Project views and the project actions of the page, and the Inbox beside them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
import reflex as rx
from sqlmodel import Session, select

from tests.builders import make_project, make_task, make_user
from tests.state.conftest import (
    call,
    fetch,
    open_page,
    redirect_path,
    shown_notice,
    sign_in,
    substate,
)
from todo_app.db import session_scope
from todo_app.models import Project, ProjectUpdate, Task, TaskPatch, User
from todo_app.services import projects as projects_module
from todo_app.services import tasks as tasks_module
from todo_app.state.projects import ProjectState
from todo_app.state.tasks import TaskState


def _load(root: rx.State, path: str) -> TaskState:
    open_page(root, path)
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    return state


def _titles(state: TaskState) -> list[str]:
    return sorted(task.title for task in state.tasks)


def _shows_project_not_found(state: TaskState) -> None:
    assert (state.heading, state.project_missing, state.tasks) == (
        "Project not found",
        True,
        [],
    )


def test_inbox_holds_the_tasks_without_a_project(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home")
    make_task(db, user, title="Loose end")
    make_task(db, user, title="Fix the tap", project_id=home.id)
    sign_in(root, user)
    assert _titles(_load(root, "/inbox")) == ["Loose end"]
    assert _titles(_load(root, "/")) == ["Loose end"]


def test_a_project_view_shows_its_tasks_under_its_name(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home", color="teal")
    make_task(db, user, title="Loose end")
    make_task(db, user, title="Fix the tap", project_id=home.id)
    sign_in(root, user)
    state = _load(root, f"/projects/{home.id}")
    assert _titles(state) == ["Fix the tap"]
    assert (state.heading, state.project_color) == ("Home", "teal")
    assert [(p.name, p.open_count, p.href) for p in state.projects] == [
        ("Home", 1, f"/projects/{home.id}")
    ]


def test_another_users_project_shows_nothing_of_it(
    root: rx.State, user: User, db: Session
) -> None:
    eve = make_user(db, email="eve@example.com")
    secret = make_project(db, eve, name="Eve's plans")
    make_task(db, eve, title="Eve's task", project_id=secret.id)
    sign_in(root, user)
    state = _load(root, f"/projects/{secret.id}")
    assert (state.heading, state.tasks, state.projects) == ("Project not found", [], [])


@pytest.mark.parametrize("ref", ["abc", "999", "0"])
def test_a_project_address_that_names_none_is_a_project_not_found(
    root: rx.State, user: User, db: Session, ref: str
) -> None:
    home = make_project(db, user, name="Home")
    make_task(db, user, title="Loose end")
    sign_in(root, user)
    state = _load(root, f"/projects/{ref}")
    _shows_project_not_found(state)
    # The page says so itself: no error message stays behind for the pages after it.
    assert shown_notice(state) == ""
    assert [p.name for p in state.projects] == [home.name]


def test_a_project_found_after_a_missing_one_is_shown_again(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home")
    sign_in(root, user)
    _load(root, "/projects/999")
    state = _load(root, f"/projects/{home.id}")
    assert (state.heading, state.project_missing) == ("Home", False)


def test_a_live_change_on_a_missing_project_keeps_it_missing_quietly(
    root: rx.State, user: User, db: Session
) -> None:
    eve = make_user(db, email="eve@example.com")
    secret = make_project(db, eve, name="Eve's plans")
    sign_in(root, user)
    state = _load(root, f"/projects/{secret.id}")
    make_task(db, user, title="Added elsewhere")
    asyncio.run(state._apply_live_change(user.id))
    _shows_project_not_found(state)


def test_a_project_deleted_elsewhere_turns_its_open_page_into_not_found(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home")
    make_task(db, user, title="Fix the tap", project_id=home.id)
    sign_in(root, user)
    state = _load(root, f"/projects/{home.id}")
    with session_scope() as other_tab:
        projects_module.delete_project(other_tab, owner_id=user.id, project_id=home.id)
    asyncio.run(state._apply_live_change(user.id))
    _shows_project_not_found(state)


def test_a_task_added_in_a_project_view_is_in_the_project(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home")
    sign_in(root, user)
    state = _load(root, f"/projects/{home.id}")
    call(state, TaskState.add_task, {"title": "Paint the fence", "project_id": ""})
    assert fetch(db, select(Task.project_id)) == [home.id]
    assert _titles(state) == ["Paint the fence"]
    assert state.projects[0].open_count == 1


def test_creating_a_project_opens_it(root: rx.State, user: User, db: Session) -> None:
    sign_in(root, user)
    _load(root, "/inbox")
    dialog = substate(root, ProjectState)
    call(dialog, ProjectState.new_project)
    events = call(
        dialog, ProjectState.save_project, {"name": " Garden ", "color": "green"}
    )
    (project,) = fetch(db, select(Project))
    assert (project.name, project.color.value) == ("Garden", "green")
    assert redirect_path(events) == f"/projects/{project.id}"
    assert not dialog.project_form_open


def test_a_name_in_use_is_refused_in_the_dialog(
    root: rx.State, user: User, db: Session
) -> None:
    make_project(db, user, name="Garden")
    sign_in(root, user)
    _load(root, "/inbox")
    dialog = substate(root, ProjectState)
    call(dialog, ProjectState.new_project)
    assert call(dialog, ProjectState.save_project, {"name": "GARDEN"}) == []
    assert "already have a project" in dialog.project_error
    assert dialog.project_form_open


def test_renaming_and_recolouring_the_pages_project(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home")
    sign_in(root, user)
    state = _load(root, f"/projects/{home.id}")
    dialog = substate(root, ProjectState)
    call(dialog, ProjectState.edit_project)
    assert (dialog.project_form_id, dialog.project_form_name) == (home.id, "Home")
    call(dialog, ProjectState.save_project, {"name": "House", "color": "berry"})
    assert (state.heading, state.project_color) == ("House", "berry")
    assert state.projects[0].name == "House"


def test_archiving_hides_the_project_from_the_sidebar(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home")
    sign_in(root, user)
    state = _load(root, f"/projects/{home.id}")
    call(substate(root, ProjectState), ProjectState.toggle_archived)
    assert state.project_archived
    assert state.projects == []
    # Still reachable: under "Archived (1)", where it can be opened and restored.
    assert [project.name for project in state.archived_projects] == ["Home"]
    call(substate(root, ProjectState), ProjectState.toggle_archived)
    assert [project.name for project in state.projects] == ["Home"]
    assert state.archived_projects == []


def test_deleting_the_project_moves_its_tasks_to_the_trash(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home")
    make_task(db, user, title="Fix the tap", project_id=home.id)
    sign_in(root, user)
    _load(root, f"/projects/{home.id}")
    dialog = substate(root, ProjectState)
    call(dialog, ProjectState.ask_delete_project)
    assert dialog.confirming_project_delete
    assert dialog.project_delete_question == "Delete “Home” and its 1 task?"
    events = call(dialog, ProjectState.delete_project)
    assert redirect_path(events) == "/inbox"
    assert fetch(db, select(Project)) == []
    (deleted_at,) = fetch(db, select(Task.deleted_at))
    assert deleted_at is not None


@pytest.mark.parametrize(
    "count,question",
    [(0, "Delete “Home”?"), (4, "Delete “Home” and its 4 tasks?")],
)
def test_the_delete_question_names_the_project_and_its_task_count(
    root: rx.State, user: User, db: Session, count: int, question: str
) -> None:
    home = make_project(db, user, name="Home")
    for index in range(count):
        make_task(db, user, title=f"Task {index}", project_id=home.id)
    make_task(db, user, title="In the Inbox")
    sign_in(root, user)
    _load(root, f"/projects/{home.id}")
    dialog = substate(root, ProjectState)
    call(dialog, ProjectState.ask_delete_project)
    assert (dialog.confirming_project_delete, dialog.project_delete_question) == (
        True,
        question,
    )


def test_undo_after_archiving_brings_the_project_back_to_the_sidebar(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home")
    sign_in(root, user)
    state = _load(root, f"/projects/{home.id}")
    call(substate(root, ProjectState), ProjectState.toggle_archived)
    assert shown_notice(root) == "Archived Home"
    assert state.notice_undo
    call(state, TaskState.undo)
    assert (state.project_archived, shown_notice(root)) == (False, "Undone")
    assert [project.name for project in state.projects] == ["Home"]
    assert fetch(db, select(Project.archived)) == [False]


def test_undo_after_unarchiving_archives_the_project_again(
    root: rx.State, user: User, db: Session
) -> None:
    old = make_project(db, user, name="Old")
    projects_module.update_project(
        db, owner_id=user.id, project_id=old.id, data=ProjectUpdate(archived=True)
    )
    db.commit()
    sign_in(root, user)
    open_page(root, f"/projects/{old.id}")
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    assert state.project_archived
    call(substate(root, ProjectState), ProjectState.toggle_archived)
    assert (state.project_archived, shown_notice(root)) == (False, "Unarchived Old")
    assert state.notice_undo
    call(state, TaskState.undo)
    assert (state.project_archived, shown_notice(root)) == (True, "Undone")
    assert [project.name for project in state.archived_projects] == ["Old"]
    assert fetch(db, select(Project.archived)) == [True]


@pytest.mark.parametrize(
    "handler",
    ["edit_project", "toggle_archived", "ask_delete_project", "delete_project"],
)
def test_project_actions_outside_a_project_view_do_nothing(
    root: rx.State, user: User, db: Session, handler: str
) -> None:
    home = make_project(db, user, name="Home")
    sign_in(root, user)
    _load(root, "/inbox")
    dialog = substate(root, ProjectState)
    call(dialog, getattr(ProjectState, handler))
    assert not (dialog.project_form_open or dialog.confirming_project_delete)
    (project,) = fetch(db, select(Project))
    assert (project.id, project.archived) == (home.id, False)


def test_completed_tasks_sink_below_the_inbox(
    root: rx.State, user: User, db: Session
) -> None:
    first = make_task(db, user, title="First")
    make_task(db, user, title="Second")
    sign_in(root, user)
    state = _load(root, "/inbox")
    assert (state.sinks, state.open_rows, state.sunk_total) == (True, 2, 0)
    call(state, TaskState.toggle, first.id)
    # Completed here, the row stays in place (with Undo at hand) until the list reloads.
    assert (state.open_rows, state.sunk_total, state.kept_ids) == (2, 1, [first.id])
    assert state.completed_ids == [first.id]
    state = _load(root, "/inbox")
    assert (state.open_rows, state.sunk_total, state.kept_ids) == (1, 1, [])


def test_the_completed_filter_shows_completed_tasks_in_the_list_itself(
    root: rx.State, user: User, db: Session
) -> None:
    sign_in(root, user)
    state = _load(root, "/inbox?filter=completed")
    assert not state.sinks


def _project_rows(db: Session, user: User, *titles: str) -> tuple[int, list[int]]:
    home = make_project(db, user, name="Home")
    ids = [make_task(db, user, title=t, project_id=home.id).id for t in titles]
    return home.id, ids


def test_a_project_lists_its_tasks_in_the_owners_order_by_default(
    root: rx.State, user: User, db: Session
) -> None:
    project_id, _ids = _project_rows(db, user, "A", "B", "C")
    sign_in(root, user)
    state = _load(root, f"/projects/{project_id}")
    assert state.sort == "manual"
    assert [task.title for task in state.tasks] == ["A", "B", "C"]
    assert state.filter_hrefs["active"] == f"/projects/{project_id}?filter=active"


@pytest.mark.parametrize(
    "moved,step,order",
    [(1, -1, ["B", "A", "C"]), (1, 1, ["A", "C", "B"]), (0, 1, ["B", "A", "C"])],
)
def test_alt_up_and_down_move_a_row_one_place(
    root: rx.State, user: User, db: Session, moved: int, step: int, order: list[str]
) -> None:
    project_id, ids = _project_rows(db, user, "A", "B", "C")
    sign_in(root, user)
    state = _load(root, f"/projects/{project_id}")
    call(state, TaskState.move_by, ids[moved], step)
    assert [task.title for task in state.tasks] == order
    # Stored: the list reads the same when opened again.
    assert [
        task.title for task in _load(root, f"/projects/{project_id}").tasks
    ] == order


def test_a_drop_puts_the_row_before_the_one_named_or_last(
    root: rx.State, user: User, db: Session
) -> None:
    project_id, ids = _project_rows(db, user, "A", "B", "C")
    sign_in(root, user)
    state = _load(root, f"/projects/{project_id}")
    assert state.manual_ids == ids
    call(state, TaskState.drop_row, ids[2], ids[0])
    assert [task.title for task in state.tasks] == ["C", "A", "B"]
    assert state.manual_ids == [ids[2], ids[0], ids[1]]
    call(state, TaskState.drop_row, ids[2], None)
    assert [task.title for task in state.tasks] == ["A", "B", "C"]
    # Stored: the list reads the same when opened again.
    assert [task.title for task in _load(root, f"/projects/{project_id}").tasks] == [
        "A",
        "B",
        "C",
    ]


# Stands for the id of the list's first row.
FIRST = "first row"


@pytest.mark.parametrize(
    "task_id,before_id",
    [
        ("x", None),
        (True, None),
        (1.5, None),
        (-2, None),
        (2**31, None),
        ({"id": 1}, None),
        (None, None),
        (FIRST, "y"),
        (FIRST, True),
        (FIRST, -1),
        (FIRST, [1]),
        (FIRST, FIRST),
    ],
)
def test_a_forged_drop_moves_nothing(
    root: rx.State, user: User, db: Session, task_id: object, before_id: object
) -> None:
    project_id, ids = _project_rows(db, user, "A", "B")
    sign_in(root, user)
    state = _load(root, f"/projects/{project_id}")
    task_id, before_id = (
        ids[0] if arg == FIRST else arg for arg in (task_id, before_id)
    )
    assert call(state, TaskState.drop_row, task_id, before_id) == []
    assert [task.title for task in state.tasks] == ["A", "B"]
    assert shown_notice(root) == ""


def test_another_users_task_cannot_be_dropped_anywhere(
    root: rx.State, user: User, db: Session
) -> None:
    eve = make_user(db, email="eve@example.com")
    theirs = make_task(db, eve, title="Eve's")
    project_id, ids = _project_rows(db, user, "A", "B")
    sign_in(root, user)
    state = _load(root, f"/projects/{project_id}")
    call(state, TaskState.drop_row, theirs.id, ids[0])
    assert [task.title for task in state.tasks] == ["A", "B"]
    assert "not found" in shown_notice(root).lower()


def test_a_drop_needs_the_manual_order(root: rx.State, user: User, db: Session) -> None:
    project_id, ids = _project_rows(db, user, "A", "B")
    sign_in(root, user)
    state = _load(root, f"/projects/{project_id}?sort=title")
    assert state.manual_ids == []
    assert call(state, TaskState.drop_row, ids[1], ids[0]) == []
    assert [task.title for task in state.tasks] == ["A", "B"]


def test_moving_needs_the_manual_order(root: rx.State, user: User, db: Session) -> None:
    project_id, ids = _project_rows(db, user, "A", "B")
    sign_in(root, user)
    state = _load(root, f"/projects/{project_id}?sort=title")
    assert call(state, TaskState.move_by, ids[1], -1) == []
    assert [task.title for task in state.tasks] == ["A", "B"]


def test_undo_after_deleting_a_project_brings_it_back_with_its_tasks(
    root: rx.State, user: User, db: Session
) -> None:
    make_project(db, user, name="First")
    home = make_project(db, user, name="Home", color="teal")
    make_task(db, user, title="Fix the tap", project_id=home.id)
    sign_in(root, user)
    _load(root, f"/projects/{home.id}")
    call(substate(root, ProjectState), ProjectState.delete_project)
    assert shown_notice(root) == "Deleted Home and its 1 task"
    state = _load(root, "/inbox")
    assert [project.name for project in state.projects] == ["First"]
    events = call(state, TaskState.undo)
    assert redirect_path(events) == f"/projects/{home.id}"
    assert [project.name for project in state.projects] == ["First", "Home"]
    state = _load(root, f"/projects/{home.id}")
    assert state.heading == "Home"
    assert _titles(state) == ["Fix the tap"]


def test_an_empty_project_deleted_can_be_undone_too(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home")
    sign_in(root, user)
    _load(root, f"/projects/{home.id}")
    call(substate(root, ProjectState), ProjectState.delete_project)
    assert shown_notice(root) == "Deleted Home"
    state = _load(root, "/inbox")
    call(state, TaskState.undo)
    assert fetch(db, select(Project.name)) == ["Home"]


def test_rows_name_their_project_outside_its_own_page(
    root: rx.State, user: User, db: Session
) -> None:
    home = make_project(db, user, name="Home", color="teal")
    task = make_task(db, user, title="Fix the tap", project_id=home.id)
    make_task(db, user, title="Loose end")
    sign_in(root, user)
    state = _load(root, "/inbox?q=e")
    assert [(t.title, t.project_name) for t in state.tasks] == [("Loose end", "")]
    tasks_module.update_task(
        db,
        owner_id=user.id,
        task_id=task.id,
        data=TaskPatch(due_date=datetime.now(UTC).date()),
    )
    db.commit()
    state = _load(root, "/upcoming")
    assert [(t.title, t.project_name, t.project_dot) for t in state.tasks] == [
        ("Fix the tap", "Home", "var(--teal-9)")
    ]
    state = _load(root, f"/projects/{home.id}")
    assert [(t.title, t.project_name) for t in state.tasks] == [("Fix the tap", "")]
