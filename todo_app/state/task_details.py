"""The "Edit details" dialog: every editable field of one visible task, saved at once."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from pydantic import ValidationError
from reflex.event import EventSpec
from sqlmodel import Session

from todo_app.errors import DomainError, NotFound, VersionConflict
from todo_app.models import EDITABLE_FIELDS, ReminderPublic, TaskPatch, TaskPublic, User
from todo_app.services import reminders, tasks
from todo_app.state.common import FIELD_LABELS, error_message
from todo_app.state.forms import task_fields, task_form_values
from todo_app.state.reminder_view import (
    REMINDER_TYPES,
    ReminderRow,
    reminder_input,
    reminder_row,
)
from todo_app.state.task_view import task_view
from todo_app.state.tasks import TaskState, user_today


@dataclasses.dataclass
class ConflictRow:
    """A field that differs between the task as it is now and what the dialog would save."""

    field: str
    theirs: str
    mine: str


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
    # Bumped to render the form afresh from `values` while the dialog stays open.
    form_key: int = 0
    # The task changed elsewhere since the dialog opened: what differs, until the person
    # keeps theirs or takes the other.
    conflict: list[ConflictRow] = rx.field(default_factory=list)
    # The task's reminders, added and removed at once (not with Save), and the add form's error.
    reminders: list[ReminderRow] = rx.field(default_factory=list)
    reminder_error: str = ""
    # What the add form asks for: "before" (how long), "due" (nothing more) or "at" (when).
    reminder_type: str = "before"
    # Bumped after a reminder was added: the add form starts afresh.
    reminder_form_key: int = 0
    # Opened by the task's own URL (/tasks/<id>): shown by the page's dialog rather than a
    # row's (the task may be on no page of the list); closing it leaves that URL.
    from_url: bool = False
    # Server only: the version the dialog opened (saves send it as If-Match does), and on a
    # conflict what the person wanted to save and the task as it is now.
    _opened_version: int = 0
    _mine: dict[str, Any] = rx.field(default_factory=dict)
    _theirs: dict[str, str] = rx.field(default_factory=dict)
    _theirs_version: int = 0

    @rx.event
    async def open_details(self, task_id: int) -> None:
        """Open the dialog that edits every field of a visible task."""
        await self._open(task_id)

    @rx.event
    def close_details(self) -> EventSpec | None:
        """Close the dialog without saving."""
        return self._close()

    @rx.event
    async def details_open_change(
        self, task_id: int, is_open: bool
    ) -> EventSpec | None:
        """The row's button opens the dialog; Escape or a click outside closes it unsaved."""
        if is_open is True:
            await self._open(task_id)
            return None
        return self._close()

    @rx.event
    def url_dialog_open_change(self, is_open: bool) -> EventSpec | None:
        """The dialog of /tasks/<id> closes (Escape, a click outside): back to the list."""
        return None if is_open is True else self._close()

    async def _open_from_url(self, task_id: int) -> None:
        """Open the dialog of any task of the user (named by /tasks/<id>), on the page or not."""
        await self._open(task_id, visible_only=False)
        if self.task_id:
            self.from_url = True
        else:
            (await self.get_state(TaskState))._notify(
                "That task was not found.", "error"
            )

    async def _open(self, task_id: int, *, visible_only: bool = True) -> None:
        page = await self.get_state(TaskState)
        if visible_only and page._visible_task(task_id) is None:
            return

        def read(
            session: Session, user: User
        ) -> tuple[dict[str, str], int, list[ReminderRow]]:
            # The task as it is now (the row may lag behind a change elsewhere), its version.
            task = tasks.get_task(session, owner_id=user.id, task_id=task_id)
            shown = task_view(TaskPublic.of(task), user_today(user))
            return (
                task_form_values(shown),
                task.version,
                _reminder_rows(session, user, task_id),
            )

        try:
            opened = await page._as_user(read)
        except DomainError:
            return  # gone meanwhile: the list follows with the live update
        if opened is None:
            return
        page.editing_id = 0
        self.task_id = task_id
        self.values, self._opened_version, self.reminders = opened
        self.error = ""
        self.conflict = []
        self.reminder_error = ""

    def _close(self) -> EventSpec | None:
        self.task_id = 0
        self.error = ""
        self.conflict = []
        self.reminders = []
        self.reminder_error = ""
        self.reminder_type = "before"
        if not self.from_url:
            return None
        # The task's own URL would open it again on reload: the list's URL replaces it.
        self.from_url = False
        self._notice_goes_to("/inbox")
        return rx.redirect("/inbox", replace=True)

    @rx.event
    def choose_reminder_type(self, value: str) -> None:
        """The add form's kind changed: it shows the inputs that kind needs."""
        if value in REMINDER_TYPES:
            self.reminder_type = value

    @rx.event
    async def add_reminder(self, form_data: dict[str, Any]) -> None:
        """Add the reminder the dialog's form describes to the open task (checked by the service)."""
        task_id = self.task_id
        if not task_id:
            return
        page = await self.get_state(TaskState)

        def add(session: Session, user: User) -> list[ReminderRow]:
            data = reminder_input(form_data, user.timezone)
            reminders.create_reminder(
                session, owner_id=user.id, task_id=task_id, data=data
            )
            return _reminder_rows(session, user, task_id)

        try:
            rows = await page._as_user(add)
        except (ValidationError, DomainError) as error:
            self.reminder_error = error_message(error)
            return
        if rows is None:
            return  # the tab resumes its session first
        self.reminders, self.reminder_error = rows, ""
        self.reminder_form_key += 1

    @rx.event
    async def remove_reminder(self, reminder_id: int) -> None:
        """Remove one reminder of the open task."""
        task_id = self.task_id
        if not task_id:
            return
        page = await self.get_state(TaskState)

        def remove(session: Session, user: User) -> list[ReminderRow]:
            if not isinstance(reminder_id, int) or isinstance(reminder_id, bool):
                raise NotFound(reminders.REMINDER_NOT_FOUND)
            reminders.delete_reminder(
                session, owner_id=user.id, task_id=task_id, reminder_id=reminder_id
            )
            return _reminder_rows(session, user, task_id)

        try:
            rows = await page._as_user(remove)
        except DomainError as error:
            self.reminder_error = error_message(error)
            return
        if rows is not None:
            self.reminders, self.reminder_error = rows, ""

    @rx.event
    async def save_details(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Save every field of the dialog; a field error is shown in the dialog, and so is a
        change made elsewhere since it opened (keep mine, or take the other)."""
        if not self.task_id:
            return None
        try:
            data = TaskPatch(**task_fields(form_data))
        except ValidationError as error:
            self.error = error_message(error)
            return None
        return await self._save(
            data.model_dump(exclude_unset=True), self._opened_version
        )

    @rx.event
    async def keep_mine(self) -> EventSpec | None:
        """After a conflict: save what the dialog holds over the task as it is now."""
        if not self.conflict:
            return None
        return await self._save(self._mine, self._theirs_version)

    @rx.event
    def take_theirs(self) -> None:
        """After a conflict: show the task as it is now in the form, to edit from there."""
        if not self.conflict:
            return
        self.values, self._opened_version = self._theirs, self._theirs_version
        self.conflict = []
        self.form_key += 1

    async def _save(self, fields: dict[str, Any], version: int) -> EventSpec | None:
        task_id = self.task_id
        page = await self.get_state(TaskState)
        try:
            data = TaskPatch(**fields)
            # Any field may move the task in or out of the view, or elsewhere in its order.
            shown = await page._as_user(
                page._page_after(
                    lambda session, owner_id: tasks.update_task(
                        session,
                        owner_id=owner_id,
                        task_id=task_id,
                        data=data,
                        expected_version=version or None,
                    )
                )
            )
        except VersionConflict as conflict:
            if self._show_conflict(data, conflict):
                return None
            # Saved elsewhere with the very same values: nothing to choose between.
            return await self._save(fields, conflict.version)
        except (ValidationError, DomainError) as error:
            # Shown in the dialog, which stays open with what the user typed.
            self.error = error_message(error)
            return None
        if shown is None:
            return None  # the tab resumes its session first; the dialog keeps the text
        page._show(shown)
        return self._close()

    def _show_conflict(self, mine: TaskPatch, conflict: VersionConflict) -> bool:
        """Show what differs between the task now and what the dialog would save (if any)."""
        theirs = task_form_values(conflict.current)
        wanted = task_form_values(mine)
        self.error = ""
        self._mine, self._theirs = mine.model_dump(exclude_unset=True), theirs
        self._theirs_version = conflict.version
        self.conflict = [
            ConflictRow(
                field=FIELD_LABELS[name],
                theirs=self._readable(name, theirs[name]),
                mine=self._readable(name, wanted[name]),
            )
            for name in EDITABLE_FIELDS
            if theirs[name] != wanted[name]
        ]
        return bool(self.conflict)

    def _readable(self, name: str, text: str) -> str:
        """A form value as the person knows it: a project by its name, not its id."""
        if name != "project_id":
            return text
        if not text:
            return "Inbox"
        names = {
            str(project.id): project.name
            for project in [*self.projects, *self.archived_projects]
        }
        return names.get(text, text)


def _reminder_rows(session: Session, user: User, task_id: int) -> list[ReminderRow]:
    return [
        reminder_row(ReminderPublic.of(reminder), user.timezone)
        for reminder in reminders.list_reminders(
            session, owner_id=user.id, task_id=task_id
        )
    ]
