"""The "Edit details" dialog: every editable field of one visible task, saved at once."""

from __future__ import annotations

from typing import Any

import reflex as rx
from pydantic import ValidationError
from reflex.event import EventSpec

from todo_app.errors import DomainError
from todo_app.models import TaskPatch
from todo_app.services import tasks
from todo_app.state.common import error_message
from todo_app.state.forms import task_fields, task_form_values
from todo_app.state.tasks import TaskState


class TaskDetailsState(TaskState):
    """A substate of the task page: open while `task_id` is set, its form starts from `values`.

    It derives from TaskState so that Reflex makes it the page's substate (loaded and reset
    with the page); the page itself is reached through `get_state(TaskState)`, so the page's
    helpers run on the page's own instance.
    """

    task_id: int = 0
    # What the form's inputs start with, by field name (`task_form_values`).
    values: dict[str, str] = rx.field(default_factory=dict)
    error: str = ""

    @rx.event
    async def open_details(self, task_id: int) -> None:
        """Open the dialog that edits every field of a visible task."""
        await self._open(task_id)

    @rx.event
    def close_details(self) -> None:
        """Close the dialog without saving."""
        self._close()

    @rx.event
    async def details_open_change(self, task_id: int, is_open: bool) -> None:
        """The row's button opens the dialog; Escape or a click outside closes it unsaved."""
        if is_open is True:
            await self._open(task_id)
        else:
            self._close()

    async def _open(self, task_id: int) -> None:
        page = await self.get_state(TaskState)
        current = page._visible_task(task_id)
        if current is None:
            return
        page.editing_id = 0
        self.task_id = current.id
        self.values = task_form_values(current)
        self.error = ""

    def _close(self) -> None:
        self.task_id = 0
        self.error = ""

    @rx.event
    async def save_details(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Save every field of the dialog; a field error is shown in the dialog."""
        task_id = self.task_id
        if not task_id:
            return None
        page = await self.get_state(TaskState)
        try:
            data = TaskPatch(**task_fields(form_data))
            # Any field may move the task in or out of the view, or elsewhere in its order.
            shown = await page._as_user(
                page._page_after(
                    lambda session, owner_id: tasks.update_task(
                        session, owner_id=owner_id, task_id=task_id, data=data
                    )
                )
            )
        except (ValidationError, DomainError) as error:
            # Shown in the dialog, which stays open with what the user typed.
            self.error = error_message(error)
            return None
        if shown is None:
            return None  # the tab resumes its session first; the dialog keeps the text
        page._show(shown)
        self._close()
        return None
