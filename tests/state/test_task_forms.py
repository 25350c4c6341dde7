"""The task form: one helper turns what it sends into fields, for new tasks and the details dialog."""

from __future__ import annotations

import re
from datetime import date

import reflex as rx
from sqlmodel import Session, select

from tests.builders import make_task
from tests.state.conftest import call, fetch, sign_in, substate
from todo_app.components.task_form import (
    TITLE_COUNTER_FROM,
    new_task_form,
    task_details_content,
    task_field_inputs,
)
from todo_app.components.task_list import task_list
from todo_app.models import (
    EDITABLE_FIELDS,
    TITLE_MAX,
    Priority,
    Recurrence,
    Task,
    TaskPatch,
    TaskPublic,
    User,
)
from todo_app.state import forms, task_details, tasks
from todo_app.state.forms import (
    BLANK_TASK_FORM,
    INBOX_CHOICE,
    task_fields,
    task_form_values,
)
from todo_app.state.task_details import TaskDetailsState
from todo_app.state.task_view import task_view
from todo_app.state.tasks import TaskState

FILLED_FORM = {
    "title": "Water plants",
    "description": "The big ones too",
    "due_date": "2030-05-01",
    "due_time": "18:30",
    "priority": "medium",
    "tags": "Home, garden,home",
    "recurrence": "weekly",
    "project_id": "",
}


def editable(task: Task) -> dict[str, object]:
    """The editable fields of a stored task, by name."""
    return {name: getattr(task, name) for name in EDITABLE_FIELDS}


def test_task_fields_reads_every_editable_field_and_nothing_else() -> None:
    assert set(FILLED_FORM) == set(EDITABLE_FIELDS)
    fields = task_fields({**FILLED_FORM, "user_id": 2, "completed": "on"})
    assert fields == {
        "title": "Water plants",
        "description": "The big ones too",
        "due_date": "2030-05-01",
        "due_time": "18:30",
        "priority": "medium",
        "tags": ["Home", "garden", "home"],
        "recurrence": "weekly",
        "project_id": None,
    }


def test_task_fields_reads_the_project_selects_inbox_choice_as_no_project() -> None:
    # A Radix select cannot send "" (its "nothing chosen"): the Inbox has a name of its own.
    assert (
        task_fields({**FILLED_FORM, "project_id": INBOX_CHOICE})["project_id"] is None
    )
    assert task_fields({**FILLED_FORM, "project_id": "7"})["project_id"] == "7"


def test_task_fields_turns_empty_inputs_into_defaults() -> None:
    fields = task_fields({name: "" for name in EDITABLE_FIELDS})
    assert fields == {
        "title": "",
        "description": "",
        "due_date": None,
        "due_time": None,
        "priority": Priority.none,
        "tags": [],
        "recurrence": Recurrence.none,
        "project_id": None,
    }
    assert task_fields("not a form") == fields


def test_new_task_form_and_details_dialog_share_one_form_helper(
    root: rx.State, user: User, db: Session
) -> None:
    assert tasks.task_fields is task_details.task_fields is forms.task_fields
    existing = make_task(db, user, title="Buy milk")
    sign_in(root, user)
    page = substate(root, TaskState)
    call(page, TaskState.load_page)

    call(page, TaskState.add_task, FILLED_FORM)
    details = substate(root, TaskDetailsState)
    call(details, TaskDetailsState.open_details, existing.id)
    assert call(details, TaskDetailsState.save_details, FILLED_FORM) == []

    db.expire_all()  # `existing` is cached in this session since it was made
    added, edited = fetch(db, select(Task).order_by(Task.id.desc()))
    assert editable(added) == editable(edited)
    assert editable(edited)["tags"] == ["garden", "home"]


def test_the_details_dialog_starts_from_values_that_save_the_task_unchanged(
    user: User, db: Session
) -> None:
    task = make_task(
        db,
        user,
        title="Pay rent",
        description="Standing order",
        due_date=date(2030, 1, 31),
        priority="high",
        tags=["money", "home"],
        recurrence="monthly",
    )
    values = task_form_values(task_view(TaskPublic.of(task), date(2030, 1, 1)))
    assert set(values) == set(EDITABLE_FIELDS)
    assert TaskPatch(**task_fields(values)).model_dump() == {
        **editable(task),
        "completed": None,
    }


def test_both_task_forms_render_an_input_for_every_editable_field() -> None:
    rendered = str(task_field_inputs("new", BLANK_TASK_FORM))
    names = set(re.findall(r'name:"(\w+)"', rendered))
    # The title is each form's own input; everything else comes from this one function.
    assert names == set(EDITABLE_FIELDS) - {"title"}


def test_title_inputs_count_long_titles_instead_of_cutting_them() -> None:
    # The new-task input, the inline edit (in the list) and the details dialog.
    for component in (new_task_form(), task_list(), task_details_content()):
        rendered = str(component)
        assert "maxLength" not in rendered
        assert f">= {TITLE_COUNTER_FROM})" in rendered
        assert f'"/{TITLE_MAX}"' in rendered
