"""Project actions of the page: create, rename and recolour (one dialog), archive, delete."""

from __future__ import annotations

from typing import Any

import reflex as rx
from pydantic import ValidationError
from reflex.event import EventSpec
from sqlmodel import Session

from todo_app.errors import DomainError
from todo_app.models import ProjectColor, ProjectCreate, ProjectUpdate, User
from todo_app.services import projects
from todo_app.state.common import error_message
from todo_app.state.forms import form_text
from todo_app.state.tasks import TaskState


class ProjectState(TaskState):
    """A substate of the task page: the project dialog and the delete confirmation.

    Which project an action touches is the page's (`TaskState.project_id`, from the URL),
    never an argument from the browser; the services check that it is the user's.
    """

    # The dialog: open for a new project (`project_form_id` 0) or for the page's project.
    project_form_open: bool = False
    project_form_id: int = 0
    project_form_name: str = ""
    project_form_color: str = ProjectColor.charcoal.value
    project_error: str = ""
    # Bumped to render the dialog's inputs afresh from the values above.
    project_form_key: int = 0
    confirming_project_delete: bool = False
    # The confirmation's question: "Delete “Home” and its 4 tasks?".
    project_delete_question: str = ""

    @rx.event
    def new_project(self) -> None:
        """Open the dialog for a new project."""
        self._open_form(0, "", ProjectColor.charcoal.value)

    @rx.event
    async def edit_project(self) -> None:
        """Open the dialog for the project the page shows (rename, recolour)."""
        page = await self.get_state(TaskState)
        if page.list_kind == "project" and page.project_id:
            self._open_form(page.project_id, page.heading, page.project_color)

    def _open_form(self, project_id: int, name: str, color: str) -> None:
        self.project_form_id, self.project_form_name = project_id, name
        self.project_form_color, self.project_error = color, ""
        self.project_form_open = True
        self.project_form_key += 1

    @rx.event
    def project_form_open_change(self, is_open: bool) -> None:
        """Escape or a click outside closes the dialog unsaved."""
        if is_open is not True:
            self.project_form_open = False

    @rx.event
    async def save_project(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Create the project, or rename and recolour the page's; a new one opens at once."""
        name, color = form_text(form_data, "name"), form_text(form_data, "color")
        project_id = self.project_form_id
        page = await self.get_state(TaskState)
        try:
            if project_id:
                update = ProjectUpdate(name=name, color=color or None)
                if page.project_id != project_id:
                    return None
                work = lambda session, user: projects.update_project(
                    session, owner_id=user.id, project_id=project_id, data=update
                )
            else:
                create = ProjectCreate(name=name, color=color or ProjectColor.charcoal)
                work = lambda session, user: projects.create_project(
                    session, owner_id=user.id, data=create
                )
            saved = await page._as_user(work)
        except (ValidationError, DomainError) as error:
            self.project_error = error_message(error)
            return None
        if saved is None:
            return None
        self.project_form_open = False
        if not project_id:
            return rx.redirect(f"/projects/{saved.id}")
        return await page._refresh()

    @rx.event
    async def toggle_archived(self) -> EventSpec | None:
        """Archive the page's project (hidden from the sidebar, Today and Upcoming), or bring
        it back."""
        page = await self.get_state(TaskState)
        if page.list_kind != "project" or not page.project_id:
            return None
        project_id, archived = page.project_id, not page.project_archived

        def work(session: Session, user: User) -> object:
            return projects.update_project(
                session,
                owner_id=user.id,
                project_id=project_id,
                data=ProjectUpdate(archived=archived),
            )

        if await page._run(work) is None:
            return None
        page._offer_undo(
            f"{'Archived' if archived else 'Unarchived'} {page.heading}",
            {"kind": "archive", "project_id": project_id, "archived": archived},
        )
        return await page._refresh()

    @rx.event
    async def ask_delete_project(self) -> None:
        """Ask before deleting the page's project, naming it and how many tasks go with it."""
        page = await self.get_state(TaskState)
        if page.list_kind != "project" or not page.project_id:
            return
        project_id = page.project_id
        count = await page._run(
            lambda session, user: projects.count_tasks(
                session, owner_id=user.id, project_id=project_id
            )
        )
        if not isinstance(count, int):
            return
        tasks_part = (
            f" and its {count} task{'' if count == 1 else 's'}" if count else ""
        )
        self.project_delete_question = f"Delete “{page.heading}”{tasks_part}?"
        self.confirming_project_delete = True

    @rx.event
    def cancel_delete_project(self) -> None:
        """Keep the project."""
        self.confirming_project_delete = False

    @rx.event
    async def delete_project(self) -> EventSpec | None:
        """Delete the page's project; its tasks go to the trash, and Undo brings both back."""
        self.confirming_project_delete = False
        page = await self.get_state(TaskState)
        if page.list_kind != "project" or not page.project_id:
            return None
        project_id, name = page.project_id, page.heading
        deleted = await page._run(
            lambda session, user: projects.delete_project(
                session, owner_id=user.id, project_id=project_id
            )
        )
        if deleted is None or isinstance(deleted, EventSpec):
            return deleted
        count = deleted.trashed
        text = f"Deleted {name}" + (
            f" and its {count} task{'s' if count != 1 else ''}" if count else ""
        )
        # Undo puts the project back as it was, with its tasks (server-side: the browser
        # never names what undo recreates).
        page._offer_undo(
            text,
            {
                "kind": "project",
                "deleted_at": deleted.deleted_at.isoformat(),
                "trashed": count,
                "project": deleted.project.model_dump(mode="json"),
            },
        )
        page._notice_goes_to("/inbox")
        return rx.redirect("/inbox")
