"""The task page: one page of the signed-in user's tasks, its filters (kept in the URL) and actions."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlencode

import reflex as rx
from pydantic import ValidationError
from reflex.event import EventSpec
from sqlmodel import Session

from todo_app.errors import DomainError
from todo_app.models import (
    TAG_MAX,
    TITLE_MAX,
    Priority,
    SortField,
    SortOrder,
    TaskCreate,
    TaskPatch,
    TaskPublic,
    TaskQuery,
    TaskStatus,
)
from todo_app.services import auth, tasks
from todo_app.state.auth import AuthState, form_text
from todo_app.state.common import error_message, in_session
from todo_app.state.live import hub

T = TypeVar("T")

PAGE_SIZE = 50
MAX_PAGE = 100_000
# The one place where the URL's "active" (TodoMVC's word) becomes the service's "pending".
STATUS_BY_FILTER = {
    "all": TaskStatus.all,
    "active": TaskStatus.pending,
    "completed": TaskStatus.completed,
}
DEFAULT_VIEW = {
    "filter": "all",
    "priority": "",
    "tag": "",
    "q": "",
    "sort": SortField.created.value,
    "order": SortOrder.desc.value,
    "page": "1",
}


@dataclasses.dataclass
class TaskView:
    """A task as one row of the list shows it: display-ready text, nothing private.

    Completion is not part of the row: it lives in `TaskState.completed_ids`, so completing a
    task sends a few ids instead of the whole list.
    """

    id: int
    title: str
    description: str
    priority: str
    due_date: str
    due_state: str
    tags: list[str]
    recurrence: str


def due_state(due: date | None, today: date) -> str:
    """How urgent a due date looks: "overdue", "today", "upcoming", or "" without one.

    The row shows a completed task's date as upcoming whatever this says.
    """
    if due is None:
        return ""
    if due > today:
        return "upcoming"
    return "today" if due == today else "overdue"


def task_view(task: TaskPublic, today: date | None = None) -> TaskView:
    """The row view of a task."""
    return TaskView(
        id=task.id,
        title=task.title,
        description=task.description,
        priority=task.priority.value,
        due_date=task.due_date.isoformat() if task.due_date else "",
        due_state=due_state(task.due_date, today or date.today()),
        tags=list(task.tags),
        recurrence=task.recurrence.value,
    )


def _choice(value: str, allowed: list[str], default: str) -> str:
    return value if value in allowed else default


def parse_view(params: Any) -> dict[str, str]:
    """The list view named by URL query parameters; anything unknown falls back to the default."""
    params = params if hasattr(params, "get") else {}

    def text(name: str) -> str:
        value = params.get(name, DEFAULT_VIEW[name])
        return value.strip() if isinstance(value, str) else DEFAULT_VIEW[name]

    page = text("page")
    return {
        "filter": _choice(text("filter"), list(STATUS_BY_FILTER), "all"),
        "priority": _choice(text("priority"), [p.value for p in Priority], ""),
        "tag": text("tag").lower()[:TAG_MAX],
        "q": text("q")[:TITLE_MAX],
        "sort": _choice(text("sort"), [s.value for s in SortField], "created"),
        "order": _choice(text("order"), [o.value for o in SortOrder], "desc"),
        "page": str(min(int(page), MAX_PAGE))
        if page.isdigit() and int(page) > 0
        else "1",
    }


def view_href(view: dict[str, str]) -> str:
    """The task page URL of a list view; default values are left out."""
    params = {
        key: value
        for key, value in view.items()
        if value and value != DEFAULT_VIEW[key]
    }
    return f"/?{urlencode(params)}" if params else "/"


def split_tags(text: str) -> list[str]:
    """Tags typed as "home, errands" -> ["home", "errands"]; the schema normalises them."""
    return [tag for tag in (part.strip() for part in text.split(",")) if tag]


class TaskState(AuthState):
    """The visible page of tasks and the counts around it; everything loaded after the user check."""

    tasks: list[TaskView] = rx.field(default_factory=list)
    # Ids of the visible tasks that are completed; rows read their checkbox from it.
    completed_ids: list[int] = rx.field(default_factory=list)
    total: int = 0
    pending_count: int = 0
    completed_count: int = 0
    tags: list[str] = rx.field(default_factory=list)
    user_name: str = ""
    loading: bool = True
    # The list view, mirrored from the URL by `load_page`.
    filter: str = "all"
    priority: str = ""
    tag: str = ""
    search: str = ""
    sort: str = "created"
    order: str = "desc"
    page: int = 1
    # Inline editing lives apart from `tasks`, so entering edit mode does not resend the list.
    editing_id: int = 0
    # Shown beside the inline edit box when the task being edited changed elsewhere meanwhile.
    edit_notice: str = ""
    confirm_delete_id: int = 0
    confirm_delete_title: str = ""
    # The "Edit details" dialog: open while `details_id` is set; its form starts from these.
    details_id: int = 0
    details_title: str = ""
    details_description: str = ""
    details_due_date: str = ""
    details_priority: str = "none"
    details_recurrence: str = "none"
    details_tags: str = ""
    details_error: str = ""

    # --- derived values -----------------------------------------------------------------------

    @rx.var
    def items_left_label(self) -> str:
        """ "1 item left" / "N items left"."""
        noun = "item" if self.pending_count == 1 else "items"
        return f"{self.pending_count} {noun} left"

    @rx.var
    def has_tasks(self) -> bool:
        """Whether the user has any task at all (decides between the two empty states)."""
        return self.pending_count + self.completed_count > 0

    @rx.var
    def all_completed(self) -> bool:
        """Whether every task is completed (the toggle-all control's state)."""
        return self.pending_count == 0 and self.completed_count > 0

    @rx.var
    def page_count(self) -> int:
        """How many pages the current filter has."""
        return max(1, math.ceil(self.total / PAGE_SIZE))

    @rx.var
    def filter_hrefs(self) -> dict[str, str]:
        """The URL of each status filter, keeping the other filters."""
        view = self._view()
        return {
            name: view_href({**view, "filter": name, "page": "1"})
            for name in STATUS_BY_FILTER
        }

    @rx.var
    def previous_page_href(self) -> str:
        """The URL of the previous page."""
        return view_href({**self._view(), "page": str(max(1, self.page - 1))})

    @rx.var
    def next_page_href(self) -> str:
        """The URL of the next page."""
        return view_href({**self._view(), "page": str(self.page + 1)})

    # --- helpers (not callable from the browser) ----------------------------------------------

    def _view(self) -> dict[str, str]:
        return {
            "filter": self.filter,
            "priority": self.priority,
            "tag": self.tag,
            "q": self.search,
            "sort": self.sort,
            "order": self.order,
            "page": str(self.page),
        }

    def _query(self) -> TaskQuery:
        return TaskQuery(
            status=STATUS_BY_FILTER.get(self.filter, TaskStatus.all),
            priority=Priority(self.priority) if self.priority else None,
            tag=self.tag or None,
            q=self.search or None,
            sort=SortField(self.sort),
            order=SortOrder(self.order),
            limit=PAGE_SIZE,
            offset=(self.page - 1) * PAGE_SIZE,
        )

    def _navigate(self, **changes: str) -> EventSpec:
        # Filters live in the URL; `load_page` (on_load) reads them back and loads the list.
        return rx.redirect(view_href({**self._view(), "page": "1", **changes}))

    async def _reload(self, owner_id: int) -> None:
        query = self._query()

        def work(session: Session) -> tuple[Any, ...]:
            page = tasks.list_tasks(session, owner_id=owner_id, query=query)
            counts = tasks.count_tasks(session, owner_id=owner_id)
            user = auth.get_user(session, user_id=owner_id)
            return (
                page,
                counts,
                tasks.list_tags(session, owner_id=owner_id),
                user.name or user.email,
            )

        page, counts, tags, name = await in_session(work)
        today = date.today()
        self._assign(
            tasks=[task_view(item, today) for item in page.items],
            completed_ids=[item.id for item in page.items if item.completed],
            total=page.total,
            pending_count=counts.pending,
            completed_count=counts.completed,
            tags=tags,
            user_name=name,
            loading=False,
        )

    def _assign(self, **values: Any) -> None:
        # Reflex resends every var assigned, equal or not: a reload that finds what the page
        # already shows (the live echo of this tab's own change) then sends nothing.
        for name, value in values.items():
            if self.get_value(name) != value:
                setattr(self, name, value)

    async def _change(
        self, change: Callable[[Session, int], T]
    ) -> tuple[int, T] | EventSpec:
        """Run one service change for the verified user: (user id, result), or the event to show."""
        try:
            owner_id = await self._user_id()
            if owner_id is None:
                return rx.redirect("/login")
            result = await in_session(lambda session: change(session, owner_id))
        except (ValidationError, DomainError) as error:
            return rx.toast.error(error_message(error))
        return owner_id, result

    async def _change_and_reload(
        self, change: Callable[[Session, int], object]
    ) -> EventSpec | None:
        outcome = await self._change(change)
        if not isinstance(outcome, tuple):
            return outcome
        return await self._reload_or_toast(outcome[0])

    async def _reload_or_toast(self, owner_id: int) -> EventSpec | None:
        try:
            await self._reload(owner_id)
        except DomainError as error:
            return rx.toast.error(error_message(error))
        return None

    # --- loading ------------------------------------------------------------------------------

    @rx.event
    async def load_page(self) -> EventSpec | None:
        """On load (and when the query string changes): check the user, then load the list."""
        view = parse_view(self.router.url.query_parameters)
        self.filter, self.priority, self.tag = (
            view["filter"],
            view["priority"],
            view["tag"],
        )
        self.search, self.sort, self.order = view["q"], view["sort"], view["order"]
        self.page = int(view["page"])
        self.editing_id = 0
        self.details_id = 0
        return await self._refresh()

    @rx.event
    async def refresh(self) -> EventSpec | None:
        """Reload the visible page and the counts (also the hook for live updates)."""
        return await self._refresh()

    async def _refresh(self) -> EventSpec | None:
        try:
            owner_id = await self._user_id()
            if owner_id is None:
                self.reset()
                return rx.redirect("/login")
            await self._reload(owner_id)
            hub.watch(owner_id, self.router.session.client_token)
            if self.page > self.page_count:
                return self._navigate(page=str(self.page_count))
        except DomainError as error:
            self.loading = False
            return rx.toast.error(error_message(error))
        return None

    async def _apply_live_change(self, user_id: int) -> None:
        """Reload after `user_id`'s tasks changed elsewhere (called by the live hub, not a browser).

        An inline edit in progress keeps the user's typed text (the edit box is uncontrolled);
        a notice says when the task under edit changed or went away.
        """
        owner_id = await self._user_id()
        if owner_id is None:
            self.reset()
            hub.forget(self.router.session.client_token)
            return
        if owner_id != user_id:
            return
        before = self._editing_task()
        position = self.tasks.index(before) if before is not None else 0
        await self._reload(owner_id)
        after = self._editing_task()
        if before is None or after == before:
            return
        if after is None:
            # Keep the row (and so the edit box with the user's text) on screen.
            self.tasks.insert(min(position, len(self.tasks)), before)
            self.edit_notice = "This task was deleted elsewhere."
        else:
            self.edit_notice = (
                "This task was changed elsewhere; saving overwrites that change."
            )

    def _editing_task(self) -> TaskView | None:
        if not self.editing_id:
            return None
        return next((task for task in self.tasks if task.id == self.editing_id), None)

    # --- filters (navigation only: they change the URL, `load_page` does the rest) -----------

    @rx.event
    def set_priority_filter(self, value: str) -> EventSpec:
        """Show only tasks of one priority ("any" for all)."""
        return self._navigate(priority="" if value == "any" else str(value))

    @rx.event
    def set_tag_filter(self, value: str) -> EventSpec:
        """Show only tasks with one tag ("any" for all)."""
        return self._navigate(tag="" if value == "any" else str(value))

    @rx.event
    def set_sort(self, value: str) -> EventSpec:
        """Sort by created, title, due_date or priority."""
        return self._navigate(sort=str(value))

    @rx.event
    def toggle_order(self) -> EventSpec:
        """Flip between ascending and descending."""
        return self._navigate(order="asc" if self.order == "desc" else "desc")

    @rx.event
    def set_search(self, value: str) -> EventSpec:
        """Search titles and descriptions (the input is debounced)."""
        self.search = str(value)[:TITLE_MAX]
        return rx.redirect(
            view_href({**self._view(), "q": self.search.strip(), "page": "1"}),
            replace=True,
        )

    # --- changes ------------------------------------------------------------------------------

    @rx.event
    async def add_task(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Add a task from the new-task form; an empty title does nothing."""
        title = form_text(form_data, "title").strip()
        if not title:
            return None
        try:
            data = TaskCreate(
                title=title,
                description=form_text(form_data, "description"),
                due_date=form_text(form_data, "due_date") or None,
                priority=form_text(form_data, "priority") or "none",
                tags=split_tags(form_text(form_data, "tags")),
                recurrence=form_text(form_data, "recurrence") or "none",
            )
        except ValidationError as error:
            return rx.toast.error(error_message(error))
        return await self._change_and_reload(
            lambda session, owner_id: tasks.create_task(
                session, owner_id=owner_id, data=data
            )
        )

    @rx.event
    async def toggle(self, task_id: int) -> EventSpec | None:
        """Complete or reopen one task."""

        def work(session: Session, owner_id: int) -> tuple[bool, tasks.TaskCounts]:
            task = tasks.toggle_task(session, owner_id=owner_id, task_id=task_id)
            return task.completed, tasks.count_tasks(session, owner_id=owner_id)

        outcome = await self._change(work)
        if not isinstance(outcome, tuple):
            return outcome
        owner_id, (completed, counts) = outcome
        known_total = self.pending_count + self.completed_count
        stays = self.filter == "all" and any(task.id == task_id for task in self.tasks)
        if not stays or counts.pending + counts.completed != known_total:
            # The row leaves this view, or the list grew (a recurring task's next occurrence).
            return await self._reload_or_toast(owner_id)
        # The row stays where it is: only its checkbox and the counts change.
        done = set(self.completed_ids) - {task_id} | ({task_id} if completed else set())
        self._assign(
            completed_ids=[task.id for task in self.tasks if task.id in done],
            pending_count=counts.pending,
            completed_count=counts.completed,
        )
        return None

    @rx.event
    async def toggle_all(self) -> EventSpec | None:
        """Complete every task, or reopen them all when all are completed."""
        completed = not self.all_completed
        return await self._change_and_reload(
            lambda session, owner_id: tasks.set_all_completed(
                session, owner_id=owner_id, completed=completed
            )
        )

    @rx.event
    async def clear_completed(self) -> EventSpec | None:
        """Delete every completed task."""
        return await self._change_and_reload(
            lambda session, owner_id: tasks.clear_completed(session, owner_id=owner_id)
        )

    @rx.event
    async def delete(self, task_id: int) -> EventSpec | None:
        """Delete one task."""
        return await self._delete(task_id)

    async def _delete(self, task_id: int) -> EventSpec | None:
        self.confirm_delete_id, self.confirm_delete_title = 0, ""
        if self.editing_id == task_id:
            self.editing_id = 0
        return await self._change_and_reload(
            lambda session, owner_id: tasks.delete_task(
                session, owner_id=owner_id, task_id=task_id
            )
        )

    @rx.event
    def start_edit(self, task_id: int) -> None:
        """Edit a visible task's title inline."""
        if any(task.id == task_id for task in self.tasks):
            self.editing_id = task_id
            self.edit_notice = ""

    @rx.event
    def cancel_edit(self) -> None:
        """Leave inline editing without saving."""
        self.editing_id = 0
        self.edit_notice = ""

    @rx.event
    def edit_key_down(self, key: str, _modifiers: Any = None) -> None:
        """Escape cancels the inline edit (Enter submits its form)."""
        if key == "Escape":
            self.editing_id = 0
            self.edit_notice = ""

    @rx.event
    async def submit_edit(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Save the inline edit when Enter submits it."""
        return await self._save_edit(form_text(form_data, "title"))

    @rx.event
    async def save_edit(self, title: str) -> EventSpec | None:
        """Save the inline edit (Enter or blur); an emptied title asks to delete the task."""
        return await self._save_edit(title)

    async def _save_edit(self, title: str) -> EventSpec | None:
        task_id = self.editing_id
        if not task_id:
            return None
        self.editing_id = 0
        self.edit_notice = ""
        title = title.strip() if isinstance(title, str) else ""
        current = next((task for task in self.tasks if task.id == task_id), None)
        if not title:
            self.confirm_delete_id = task_id
            self.confirm_delete_title = current.title if current else ""
            return None
        if current is not None and current.title == title:
            return None
        try:
            data = TaskPatch(title=title)
        except ValidationError as error:
            return rx.toast.error(error_message(error))
        outcome = await self._change(
            lambda session, owner_id: task_view(
                TaskPublic.of(
                    tasks.update_task(
                        session, owner_id=owner_id, task_id=task_id, data=data
                    )
                )
            )
        )
        if not isinstance(outcome, tuple):
            return outcome
        # A one-task change: swap that row in place instead of querying the page again.
        updated = outcome[1]
        self.tasks = [updated if task.id == task_id else task for task in self.tasks]
        return None

    @rx.event
    def ask_delete(self, task_id: int) -> None:
        """Open the delete confirmation for a visible task."""
        current = next((task for task in self.tasks if task.id == task_id), None)
        if current is not None:
            self.confirm_delete_id, self.confirm_delete_title = (
                current.id,
                current.title,
            )

    @rx.event
    def cancel_delete(self) -> None:
        """Close the delete confirmation, keeping the task."""
        self.confirm_delete_id, self.confirm_delete_title = 0, ""

    @rx.event
    async def confirm_delete(self) -> EventSpec | None:
        """Delete the task the confirmation is about."""
        return await self._delete(self.confirm_delete_id)

    # --- the "Edit details" dialog ------------------------------------------------------------

    @rx.event
    def open_details(self, task_id: int) -> None:
        """Open the dialog that edits every field of a visible task."""
        self._open_details(task_id)

    def _open_details(self, task_id: int) -> None:
        current = next((task for task in self.tasks if task.id == task_id), None)
        if current is None:
            return
        self.editing_id = 0
        self.details_id = current.id
        self.details_title = current.title
        self.details_description = current.description
        self.details_due_date = current.due_date
        self.details_priority = current.priority
        self.details_recurrence = current.recurrence
        self.details_tags = ", ".join(current.tags)
        self.details_error = ""

    @rx.event
    def close_details(self) -> None:
        """Close the dialog without saving."""
        self._close_details()

    @rx.event
    def details_open_change(self, task_id: int, is_open: bool) -> None:
        """The row's button opens the dialog; Escape or a click outside closes it unsaved."""
        if is_open is True:
            self._open_details(task_id)
        else:
            self._close_details()

    def _close_details(self) -> None:
        self.details_id = 0
        self.details_error = ""

    @rx.event
    async def save_details(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Save every field of the dialog; a field error is shown in the dialog."""
        task_id = self.details_id
        if not task_id:
            return None
        try:
            data = TaskPatch(
                title=form_text(form_data, "title"),
                description=form_text(form_data, "description"),
                due_date=form_text(form_data, "due_date") or None,
                priority=form_text(form_data, "priority") or "none",
                tags=split_tags(form_text(form_data, "tags")),
                recurrence=form_text(form_data, "recurrence") or "none",
            )
            owner_id = await self._user_id()
            if owner_id is None:
                return rx.redirect("/login")
            await in_session(
                lambda session: tasks.update_task(
                    session, owner_id=owner_id, task_id=task_id, data=data
                )
            )
        except (ValidationError, DomainError) as error:
            self.details_error = error_message(error)
            return None
        self._close_details()
        # Any field may move the task in or out of the view, or elsewhere in its order.
        return await self._reload_or_toast(owner_id)
