"""What every state module shares: running service calls off the event loop, error messages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from pydantic import ValidationError
from sqlmodel import Session

from todo_app.db import run_in_session
from todo_app.errors import DomainError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# How a schema field is called on screen: the task form's labels and validation messages.
FIELD_LABELS = {
    "title": "Title",
    "description": "Description",
    "due_date": "Due date",
    "due_time": "Time",
    "priority": "Priority",
    "tags": "Tags",
    "recurrence": "Repeat",
    "project_id": "Project",
    "email": "Email",
    "name": "Name",
    "password": "Password",
    "current_password": "Current password",
    "new_password": "New password",
    "timezone": "Time zone",
}


async def in_session(work: Callable[[Session], T]) -> T:
    """Run `work` in a database session on a worker thread, so the event loop stays free."""
    return await run_in_session(work)


def _validation_message(error: ValidationError) -> str:
    first = error.errors()[0]
    location = [str(part) for part in first.get("loc", ()) if isinstance(part, str)]
    label = (
        FIELD_LABELS.get(location[0], location[0].replace("_", " ").capitalize())
        if location
        else ""
    )
    kind = first.get("type", "")
    context = first.get("ctx") or {}
    if kind in ("string_too_short", "too_short") and context.get("min_length") == 1:
        text = "must not be empty"
    elif kind == "string_too_short":
        text = f"must be at least {context.get('min_length')} characters"
    elif kind in ("string_too_long", "too_long") and location[0:1] == ["tags"]:
        text = f"must be at most {context.get('max_length')} tags"
    elif kind in ("string_too_long", "too_long"):
        text = f"must be at most {context.get('max_length')} characters"
    elif kind == "value_error" and location and location[0] == "email":
        text = "must be a valid email address"
    elif kind.startswith("date"):
        text = "must be a valid date"
    elif kind == "enum":
        text = "has an unknown value"
    else:
        text = str(first.get("msg", "is invalid")).removeprefix("Value error, ")
    return f"{label} {text}".strip()


def error_message(error: ValidationError | DomainError) -> str:
    """The readable text shown for a validation or domain error (the one place for UI messages)."""
    if isinstance(error, ValidationError):
        return _validation_message(error)
    logger.info("%s: %s", type(error).__name__, error.message)
    return error.message
