"""The details dialog saves only over the version it opened: a change made elsewhere meanwhile
is shown, and the person keeps theirs or takes the other."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from tests.builders import make_project, make_task
from tests.state.conftest import call, open_page, sign_in, substate
from todo_app.models import Task, TaskPatch, User
from todo_app.services import tasks
from todo_app.state.task_details import TaskDetailsState
from todo_app.state.tasks import TaskState


def _opened(root: rx.State, user: User, task_id: int) -> TaskDetailsState:
    sign_in(root, user)
    open_page(root, "/")
    call(substate(root, TaskState), TaskState.load_page)
    details = substate(root, TaskDetailsState)
    call(details, TaskDetailsState.open_details, task_id)
    return details


def _form(**changes: str) -> dict[str, str]:
    return {
        "title": "Buy milk",
        "description": "",
        "due_date": "",
        "due_time": "",
        "priority": "none",
        "tags": "",
        "recurrence": "none",
        **changes,
    }


def _changed_elsewhere(db: Session, user: User, task_id: int, **fields: object) -> None:
    tasks.update_task(db, owner_id=user.id, task_id=task_id, data=TaskPatch(**fields))
    db.commit()


def _stored(db: Session, task_id: int) -> Task:
    db.expire_all()
    task = db.get(Task, task_id)
    db.commit()
    assert task is not None
    return task


def test_a_save_over_a_change_made_elsewhere_shows_what_differs(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    details = _opened(root, user, task.id)
    _changed_elsewhere(db, user, task.id, title="Buy oat milk", priority="high")
    call(details, TaskDetailsState.save_details, _form(description="Two litres"))
    assert details.task_id == task.id  # still open
    assert [(row.field, row.theirs, row.mine) for row in details.conflict] == [
        ("Title", "Buy oat milk", "Buy milk"),
        ("Description", "", "Two litres"),
        ("Priority", "high", "none"),
    ]
    assert _stored(db, task.id).title == "Buy oat milk"  # nothing overwritten


def test_keep_mine_saves_the_dialog_over_the_other_change(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    details = _opened(root, user, task.id)
    _changed_elsewhere(db, user, task.id, title="Buy oat milk")
    call(details, TaskDetailsState.save_details, _form(description="Two litres"))
    call(details, TaskDetailsState.keep_mine)
    stored = _stored(db, task.id)
    assert (stored.title, stored.description) == ("Buy milk", "Two litres")
    assert details.task_id == 0 and details.conflict == []


def test_take_theirs_puts_the_task_as_it_is_now_into_the_form(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    details = _opened(root, user, task.id)
    key = details.form_key
    _changed_elsewhere(db, user, task.id, title="Buy oat milk")
    call(details, TaskDetailsState.save_details, _form(description="Two litres"))
    call(details, TaskDetailsState.take_theirs)
    assert details.values["title"] == "Buy oat milk"
    assert details.conflict == [] and details.form_key == key + 1
    # Saving from there is a save over the version now shown: no conflict.
    call(
        details,
        TaskDetailsState.save_details,
        _form(title="Buy oat milk", tags="dairy"),
    )
    stored = _stored(db, task.id)
    assert (stored.title, stored.tags) == ("Buy oat milk", ["dairy"])


def test_a_change_elsewhere_to_the_same_values_saves_without_asking(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    details = _opened(root, user, task.id)
    _changed_elsewhere(db, user, task.id, priority="high")
    call(details, TaskDetailsState.save_details, _form(priority="high"))
    assert details.conflict == [] and details.task_id == 0
    assert _stored(db, task.id).priority.value == "high"


def test_the_dialog_opens_with_the_task_as_it_is_now(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    sign_in(root, user)
    open_page(root, "/")
    call(substate(root, TaskState), TaskState.load_page)
    _changed_elsewhere(db, user, task.id, title="Changed before opening")
    details = substate(root, TaskDetailsState)
    call(details, TaskDetailsState.open_details, task.id)
    assert details.values["title"] == "Changed before opening"


def test_keep_mine_and_take_theirs_without_a_conflict_do_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    details = _opened(root, user, task.id)
    call(details, TaskDetailsState.keep_mine)
    call(details, TaskDetailsState.take_theirs)
    assert _stored(db, task.id).title == "Buy milk"
    assert details.task_id == task.id


def test_a_task_moved_to_a_project_elsewhere_is_a_conflict_row_with_its_name(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    home = make_project(db, user, name="Home")
    details = _opened(root, user, task.id)
    _changed_elsewhere(db, user, task.id, project_id=home.id)
    call(details, TaskDetailsState.save_details, _form(project_id="", priority="high"))
    assert [(row.field, row.theirs, row.mine) for row in details.conflict] == [
        ("Priority", "none", "high"),
        ("Project", "Home", "Inbox"),
    ]
