"""What forms send, made into schema input: browser input is untrusted, and all of it is text.

A task form has one input per editable field (`EDITABLE_FIELDS`), named like the field. The
new-task form and the details dialog both go through `task_fields`, and the dialog starts from
`task_form_values`, so a new field needs no line here.
"""

from __future__ import annotations

from typing import Any, get_origin

from todo_app.models import EDITABLE_FIELDS, TaskFields
from todo_app.state.task_view import TaskView, shown


def form_text(form_data: Any, field: str) -> str:
    """The text a form sent for `field` ("" when missing or not text)."""
    if not isinstance(form_data, dict):
        return ""
    value = form_data.get(field, "")
    return value if isinstance(value, str) else ""


# What a project select sends for the Inbox: a Radix select keeps "" for "nothing chosen".
INBOX_CHOICE = "inbox"


def split_tags(text: str) -> list[str]:
    """Tags typed as "home, errands" -> ["home", "errands"]; the schema normalises them."""
    return [tag for tag in (part.strip() for part in text.split(",")) if tag]


def _field_input(name: str, text: str) -> Any:
    field = TaskFields.model_fields[name]
    if name == "project_id" and text == INBOX_CHOICE:
        text = ""
    if get_origin(field.annotation) is list:
        return split_tags(text)
    if text or field.annotation is str:
        return text
    # An emptied date or an unset choice means the field's default (no date, "none").
    return field.get_default(call_default_factory=True)


def task_fields(form_data: Any) -> dict[str, Any]:
    """Every editable field a task form sent, as input for `TaskCreate` or `TaskPatch`.

    Only `EDITABLE_FIELDS` are read, so a forged `user_id` or `completed` goes nowhere.
    """
    return {
        name: _field_input(name, form_text(form_data, name)) for name in EDITABLE_FIELDS
    }


def _input_text(value: Any) -> str:
    value = shown(value)
    return ", ".join(value) if isinstance(value, list) else str(value)


def task_form_values(task: TaskView | TaskFields) -> dict[str, str]:
    """What a task form's inputs show for a task (a row, a task's JSON or the form's own
    fields), by field name: the inverse of `task_fields`."""
    return {name: _input_text(getattr(task, name)) for name in EDITABLE_FIELDS}


def _default_text(name: str) -> str:
    field = TaskFields.model_fields[name]
    return (
        ""
        if field.is_required()
        else _input_text(field.get_default(call_default_factory=True))
    )


# What the new-task form's inputs show: each field's default ("none" for the choices).
BLANK_TASK_FORM: dict[str, str] = {
    name: _default_text(name) for name in EDITABLE_FIELDS
}


_BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"))
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def describe_user_agent(user_agent: str) -> str:
    """A short name for a User-Agent header: "Firefox on Linux", "curl/8.5.0", "Unknown"."""
    if not user_agent:
        return "Unknown device"
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    if browser is None and "Safari/" in user_agent:
        browser = "Safari"
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or user_agent.split(" ", 1)[0][:40]
