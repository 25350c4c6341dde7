"""The task page: one page of the signed-in user's tasks, its filters (kept in the URL) and actions.

Every handler that needs the user does its database work in one hop with the session check
(`AuthState._as_user`); a change and the page read after it share that hop.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Collection
from datetime import date, datetime
from typing import Any, TypeVar

import reflex as rx
from pydantic import ValidationError
from reflex.event import EventSpec
from sqlmodel import Session

from todo_app.errors import DomainError, NotFound
from todo_app.models import (
    TITLE_MAX,
    ProjectPublic,
    ProjectUpdate,
    TaskCreate,
    TaskPage,
    TaskPatch,
    TaskPublic,
    TaskQuery,
    TaskStats,
    TaskStatus,
    User,
    utcnow,
)
from todo_app.services import projects, quick_add, reminders, stats, tasks
from todo_app.state.auth import AuthState
from todo_app.state.chart_scale import axis_ticks
from todo_app.state.common import error_message
from todo_app.state.forms import form_text, task_fields
from todo_app.state.live import hub
from todo_app.state.preferences import PreferencesState
from todo_app.state.project_view import ProjectEntry, project_entry
from todo_app.state.quick_add import QuickAddState
from todo_app.state.readable_dates import MONTHS, day_heading
from todo_app.state.reminder_view import ReminderView, reminder_view, toast_reminder
from todo_app.state.task_view import (
    DATED_KINDS,
    NATURAL_ORDER,
    PAGE_SIZE,
    SINKING_KINDS,
    STATUS_BY_FILTER,
    VIEW_TITLES,
    ListQuery,
    TaskView,
    dated_by_heading,
    defaults_for,
    focus_after_delete,
    list_view,
    page_place,
    row_id,
    shows_everything,
    task_view,
    today_heading,
    view_href,
    with_sections,
)

# The Completed view's chart covers the last 30 days; "Show more" adds 30 days of history.
CHART_DAYS = 30
HISTORY_STEP_DAYS = 30
HISTORY_MAX_DAYS = 365

# Lists that show tasks of one status only: a row completed (or reopened) there leaves it.
KINDS_BY_STATUS = ("today", "upcoming", "completed")

T = TypeVar("T")


def user_today(user: User) -> date:
    """The date on the user's calendar now: what "today", "overdue" and "tomorrow" mean."""
    return tasks.local_today(user.timezone, utcnow())


@dataclasses.dataclass(frozen=True)
class ViewCounts:
    """The tasks of the view (every page): what its bulk actions act on."""

    # Every task the view matches: what "Clear completed" deletes.
    matching: tasks.TaskCounts
    # The same without the occurrences the last "Mark all as complete" created, which that
    # click left pending on purpose: what decides whether the control shows "all done".
    actionable: tasks.TaskCounts
    # The view's open tasks whatever its status filter (All / Active / Completed) shows, as
    # TodoMVC counts them: "N items left".
    pending: int


def count_view(
    session: Session,
    owner_id: int,
    query: TaskQuery,
    excluding: Collection[int],
    counts: tasks.TaskCounts,
) -> ViewCounts:
    """The view's counts; `counts` (the user's) serve when the view shows every task."""
    matching = (
        counts
        if shows_everything(query)
        else tasks.count_matching(session, owner_id=owner_id, query=query)
    )
    actionable = (
        tasks.count_matching(
            session, owner_id=owner_id, query=query, excluding=excluding
        )
        if excluding
        else matching
    )
    return ViewCounts(
        matching=matching,
        actionable=actionable,
        pending=pending_in_view(session, owner_id, query, matching, counts),
    )


def pending_in_view(
    session: Session,
    owner_id: int,
    query: TaskQuery,
    matching: tasks.TaskCounts,
    counts: tasks.TaskCounts,
) -> int:
    """How many open tasks the view holds whatever its status filter; a query of its own only
    when the view shows completed tasks alone (otherwise `matching` has the number)."""
    if query.status != TaskStatus.completed:
        return matching.pending
    any_status = query.model_copy(update={"status": TaskStatus.all})
    if shows_everything(any_status):
        return counts.pending
    return tasks.count_matching(session, owner_id=owner_id, query=any_status).pending


# The counts of a project view whose project is not found: it shows nothing.
NOTHING_SHOWN = ViewCounts(
    matching=tasks.TaskCounts(pending=0, completed=0),
    actionable=tasks.TaskCounts(pending=0, completed=0),
    pending=0,
)


@dataclasses.dataclass(frozen=True)
class LoadedPage:
    """What showing the page reads: its tasks, the counts and tags around them, the user."""

    owner_id: int
    user_name: str
    today: date
    timezone: str
    items: list[TaskPublic]
    total: int
    counts: tasks.TaskCounts
    view: ViewCounts
    tags: list[str]
    # The bell: reminders that fired or were missed lately, newest first.
    reminders: list[ReminderView]
    toast: ReminderView | None
    # The sidebar's projects, and the project the page shows (a project view only).
    projects: list[ProjectPublic]
    project: ProjectPublic | None
    # The Completed view's chart: completions per day and the streak.
    chart: TaskStats | None = None
    # The Completed view: whether "Show more" would add older completed tasks.
    more_history: bool = False
    # A task address (/tasks/<ref>) that names none of the user's tasks.
    task_missing: bool = False


def read_page(
    session: Session, user: User, asked: ListQuery, excluding: Collection[int] = ()
) -> LoadedPage:
    """Read one page of `user`'s tasks and what the page shows around it."""
    today = user_today(user)
    query = asked.at(today)
    project = None
    if asked.kind == "project":
        try:
            project = projects.get_project(
                session, owner_id=user.id, project_id=asked.project_id
            )
        except NotFound:
            pass  # gone, never there, or another user's: the page says so, reads none of it
    task_missing = asked.task_id is not None and not names_task(
        session, user.id, asked.task_id
    )
    missing = (asked.kind == "project" and project is None) or task_missing
    now = utcnow()
    chart, more_history = None, False
    if missing:
        page = TaskPage(items=[], total=0)
    elif asked.kind == "completed":
        # The history by day of completion (the latest first), and its chart.
        history = stats.completed_history(
            session, owner_id=user.id, days=asked.history_days, now=now, query=query
        )
        items = [task for day in history for task in day.tasks]
        page = TaskPage(items=items, total=len(items))
        chart = stats.task_stats(session, owner_id=user.id, days=CHART_DAYS, now=now)
        more_history = asked.history_days < HISTORY_MAX_DAYS and (
            stats.has_earlier_history(
                session,
                owner_id=user.id,
                days=asked.history_days,
                reach=HISTORY_MAX_DAYS,
                now=now,
                query=query,
            )
        )
    else:
        page = tasks.list_tasks(session, owner_id=user.id, query=query)
    counts = tasks.count_tasks(session, owner_id=user.id)
    fired = reminders.recent_reminders(
        session, owner_id=user.id, now=now + reminders.clock_ahead()
    )
    toast = toast_reminder(fired)
    return LoadedPage(
        owner_id=user.id,
        user_name=user.name or user.email,
        today=today,
        timezone=user.timezone,
        items=page.items,
        total=page.total,
        counts=counts,
        view=NOTHING_SHOWN
        if missing
        else count_view(session, user.id, query, excluding, counts),
        # One page of tags at most (an account may have hundreds): the most used, and the
        # one the view filters by.
        tags=tasks.list_tags(
            session, owner_id=user.id, limit=PAGE_SIZE, including=query.tag
        ),
        reminders=[reminder_view(item, user.timezone, now) for item in fired],
        toast=reminder_view(toast, user.timezone, now) if toast else None,
        projects=projects.list_projects(
            session, owner_id=user.id, include_archived=True
        ),
        project=project,
        task_missing=task_missing,
        chart=chart,
        more_history=more_history,
    )


def names_task(session: Session, owner_id: int, task_id: int) -> bool:
    """Whether a task address names one of the owner's tasks (0: a reference naming none);
    a missing task and another user's get the same answer."""
    if not task_id:
        return False
    try:
        tasks.get_task(session, owner_id=owner_id, task_id=task_id)
    except NotFound:
        return False
    return True


def placed(
    session: Session, owner_id: int, data: TaskCreate, kind: str, project_id: int
) -> TaskCreate:
    """A new task as the list it is added in places it: in a project view it is in that
    project, in Today it is due today."""
    if kind == "project" and data.project_id is None:
        return data.model_copy(update={"project_id": project_id})
    if kind == "today" and data.due_date is None:
        owner = session.get(User, owner_id)
        if owner is not None:
            return data.model_copy(update={"due_date": user_today(owner)})
    return data


def list_holds(
    session: Session, owner_id: int, task_id: int, kind: str, project_id: int
) -> bool:
    """Whether the list of `kind` (whatever its filters, search and page) holds the task."""
    owner = session.get(User, owner_id)
    today = user_today(owner) if owner is not None else utcnow().date()
    query = ListQuery(defaults_for(kind), kind, project_id).at(today)
    return tasks.view_holds(session, owner_id=owner_id, query=query, task_id=task_id)


def page_holding(
    session: Session, owner_id: int, task_id: int, asked: ListQuery
) -> int | None:
    """The page of the list `asked` describes (its filters and order) that shows the task,
    or None when the list does not hold it."""
    owner = session.get(User, owner_id)
    today = user_today(owner) if owner is not None else utcnow().date()
    place = tasks.place_in_view(
        session, owner_id=owner_id, query=asked.at(today), task_id=task_id
    )
    return None if place is None else place // PAGE_SIZE + 1


def sidebar_projects(loaded: list[ProjectPublic]) -> dict[str, list[ProjectEntry]]:
    """The sidebar's entries: the projects in use, and the archived ones apart."""
    return {
        "projects": [project_entry(item) for item in loaded if not item.archived],
        "archived_projects": [project_entry(item) for item in loaded if item.archived],
    }


def page_rows(page: LoadedPage, kind: str) -> list[TaskView]:
    """The rows of a page, under day headings in the lists grouped by day, each naming its
    project outside that project's page."""
    rows = [task_view(item, page.today) for item in page.items]
    if kind != "project":
        entries = {project.id: project_entry(project) for project in page.projects}
        rows = [
            dataclasses.replace(
                row,
                project_name=entries[row.project_id].name,
                project_dot=entries[row.project_id].dot,
            )
            if row.project_id in entries
            else row
            for row in rows
        ]
    if kind in DATED_KINDS:
        rows = [dated_by_heading(row) for row in rows]
    if kind == "today":
        headings = [today_heading(item.due_date, page.today) for item in page.items]
    elif kind == "upcoming":
        headings = [
            day_heading(item.due_date, page.today) if item.due_date else ""
            for item in page.items
        ]
    elif kind == "completed":
        headings = [
            day_heading(tasks.local_today(page.timezone, item.completed_at), page.today)
            if item.completed_at
            else "Earlier"
            for item in page.items
        ]
    else:
        return rows
    return with_sections(rows, headings)


class TaskState(AuthState):
    """The visible page of tasks and the counts around it; everything loaded after the user check."""

    tasks: list[TaskView] = rx.field(default_factory=list)
    # Ids of the visible tasks that are completed; rows read their checkbox from it.
    completed_ids: list[int] = rx.field(default_factory=list)
    # Inbox and projects: how many completed tasks the list has (every page); the page's
    # completed rows sink into a collapsed section below the others (`sinks`).
    sunk_total: int = 0
    # Rows this tab completed since the list loaded: they stay where they are (under the
    # pointer or the keyboard's focus, with "Undo" at hand) until the list is opened again.
    kept_ids: list[int] = rx.field(default_factory=list)
    # The visible rows in that section (server only; `_assign` keeps it): what `open_rows` and
    # `manual_ids` read, so a checkbox that sinks no row (the row is kept) resends neither.
    _sunk_ids: list[int] = rx.field(default_factory=list)
    # The Completed view: how many days of history it shows, and its chart.
    history_days: int = HISTORY_STEP_DAYS
    chart_days: list[dict[str, Any]] = rx.field(default_factory=list)
    chart_total: int = 0
    # The value axis's ticks, set by the server so they are whole and evenly spaced.
    chart_ticks: list[int] = rx.field(default_factory=lambda: axis_ticks(0))
    streak: int = 0
    more_history: bool = False
    total: int = 0
    # The user's tasks, whatever the view shows.
    pending_count: int = 0
    completed_count: int = 0
    # The view's tasks on every page (`ViewCounts`): "N items left", the bulk actions' labels
    # and state.
    view_pending_count: int = 0
    view_completed_count: int = 0
    can_toggle_all: bool = False
    all_completed: bool = False
    tags: list[str] = rx.field(default_factory=list)
    user_name: str = ""
    loading: bool = True
    # Which list the page shows (`task_view.list_place`): its kind, project, path and heading.
    list_kind: str = "inbox"
    project_id: int = 0
    # "" until the tab has loaded a list: none to go back to (`current_href`).
    list_path: str = ""
    heading: str = "Inbox"
    # A project view whose project is gone, never was, or is another user's.
    project_missing: bool = False
    # A task address (/tasks/<ref>) naming no task of the user's: no list is shown under it.
    task_missing: bool = False
    # The task a task address names (server only): None on a list's own address.
    _named_task: int | None = None
    # The page's project (a project view), and the sidebar's projects.
    project_color: str = ""
    project_archived: bool = False
    projects: list[ProjectEntry] = rx.field(default_factory=list)
    # Archived projects: out of the way under "Archived (N)", still reachable.
    archived_projects: list[ProjectEntry] = rx.field(default_factory=list)
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
    # Bumped once the server has stored a new task: the new-task form starts afresh (its key).
    # Until then it keeps what was typed, also while the connection is down.
    new_task_form_key: int = 0
    # The occurrences the last "Mark all as complete" of this view created (server only).
    _created_by_complete_all: list[int] = rx.field(default_factory=list)
    # What the "Undo" of the message on screen puts back (server only): {"kind": "restore",
    # "deleted_at": iso} or {"kind": "completion", "ids": [...], "completed": bool}.
    _undo: dict[str, Any] = rx.field(default_factory=dict)
    # A new task sent on a connection the tab had not proven yet (typed offline, sent on
    # reconnecting): added once the tab has resumed its session.
    _pending_task: dict[str, Any] = rx.field(default_factory=dict)
    # The bell and the reminder toast (`reminder_view`), read with every page load, so a
    # reminder fired on any worker reaches the tab through the live updates' one path.
    reminders: list[ReminderView] = rx.field(default_factory=list)
    bell_count: int = 0
    toast_id: int = 0
    toast_task_id: int = 0
    toast_title: str = ""

    # --- derived values -----------------------------------------------------------------------

    @rx.var
    def items_left_label(self) -> str:
        """ "1 item left" / "N items left": the open tasks of the view shown."""
        noun = "item" if self.view_pending_count == 1 else "items"
        return f"{self.view_pending_count} {noun} left"

    @rx.var
    def sinks(self) -> bool:
        """Whether completed rows sink into the "Completed (N)" section (Inbox, projects)."""
        return self.list_kind in SINKING_KINDS and self.filter == "all"

    @rx.var
    def open_rows(self) -> int:
        """How many rows the list shows above the completed section."""
        sunk = set(self._sunk_ids)
        return sum(1 for task in self.tasks if task.id not in sunk)

    @rx.var
    def manual_ids(self) -> list[int]:
        """Sort: Manual: the ids of the list's rows in their order (the drag handles' list)."""
        return self._ordered_rows() if self.sort == "manual" else []

    @rx.var
    def has_tasks(self) -> bool:
        """Whether the user has any task at all (decides between the two empty states)."""
        return self.pending_count + self.completed_count > 0

    @rx.var
    def page_count(self) -> int:
        """How many pages the current filter has."""
        return max(1, math.ceil(self.total / PAGE_SIZE))

    @rx.var
    def filter_hrefs(self) -> dict[str, str]:
        """The URL of each status filter, keeping the other filters."""
        view = self._view()
        return {
            name: view_href(
                {**view, "filter": name, "page": "1"}, self.list_path, self._defaults()
            )
            for name in STATUS_BY_FILTER
        }

    @rx.var
    def previous_page_href(self) -> str:
        """The URL of the previous page."""
        return view_href(
            {**self._view(), "page": str(max(1, self.page - 1))},
            self.list_path,
            self._defaults(),
        )

    @rx.var
    def next_page_href(self) -> str:
        """The URL of the next page."""
        return view_href(
            {**self._view(), "page": str(self.page + 1)},
            self.list_path,
            self._defaults(),
        )

    @rx.var
    def current_href(self) -> str:
        """The URL of the list as it is shown: where "Back to tasks" returns to; before any
        list "/", where the person's own start page and order apply."""
        if not self.list_path:
            return "/"
        return view_href(self._view(), self.list_path, self._defaults())

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

    def _navigate(self, **changes: str) -> EventSpec:
        # Filters live in the URL; `load_page` (on_load) reads them back and loads the list.
        return rx.redirect(
            view_href(
                {**self._view(), "page": "1", **changes},
                self.list_path,
                self._defaults(),
            )
        )

    def _visible_task(self, task_id: int) -> TaskView | None:
        return next((task for task in self.tasks if task.id == task_id), None)

    def _show(self, page: LoadedPage) -> None:
        self._assign(
            tasks=page_rows(page, self.list_kind),
            completed_ids=[item.id for item in page.items if item.completed],
            total=page.total,
            tags=page.tags,
            user_name=page.user_name,
            loading=False,
            reminders=page.reminders,
            bell_count=sum(item.unread for item in page.reminders),
            toast_id=page.toast.id if page.toast else 0,
            toast_task_id=page.toast.task_id if page.toast else 0,
            toast_title=page.toast.title if page.toast else "",
            **sidebar_projects(page.projects),
        )
        if page.chart is not None:
            self._assign(
                chart_days=[
                    {
                        "day": f"{day.date.day} {MONTHS[day.date.month - 1]}",
                        "done": day.completed,
                    }
                    for day in page.chart.days
                ],
                chart_total=sum(day.completed for day in page.chart.days),
                chart_ticks=axis_ticks(
                    max((day.completed for day in page.chart.days), default=0)
                ),
                streak=page.chart.streak,
                more_history=page.more_history,
            )
        self._assign(
            project_missing=self.list_kind == "project" and page.project is None,
            task_missing=page.task_missing,
        )
        if self.project_missing:
            self._assign(heading="Project not found")
        elif self.task_missing:
            self._assign(heading="Task not found")
        elif page.project is not None:
            self._assign(
                heading=page.project.name,
                project_color=page.project.color.value,
                project_archived=page.project.archived,
            )
        self._show_counts(page.counts, page.view)

    def _show_counts(self, counts: tasks.TaskCounts, view: ViewCounts) -> None:
        actionable = view.actionable
        self._assign(
            pending_count=counts.pending,
            completed_count=counts.completed,
            view_pending_count=view.pending,
            view_completed_count=view.matching.completed,
            can_toggle_all=actionable.pending + actionable.completed > 0,
            all_completed=actionable.pending == 0 and actionable.completed > 0,
            sunk_total=view.matching.completed if self.sinks else 0,
        )

    def _assign(self, **values: Any) -> None:
        # Reflex resends every var assigned, equal or not: a reload that finds what the page
        # already shows (the live echo of this tab's own change) then sends nothing.
        for name, value in values.items():
            if self.get_value(name) != value:
                setattr(self, name, value)
        # Kept here, with every assignment, rather than computed from `completed_ids`: a
        # computed var is resent whenever a var it reads was assigned, equal or not.
        sunk = (
            sorted(set(self.completed_ids) - set(self.kept_ids)) if self.sinks else []
        )
        if self._sunk_ids != sunk:
            self._sunk_ids = sunk

    async def _run(self, work: Callable[[Session, User], T]) -> T | EventSpec | None:
        """`work` for the signed-in user: its result, or None when it did not run (an error is
        shown; a tab not signed in on this connection resumes its session, see AuthState)."""
        try:
            result = await self._as_user(work)
        except (ValidationError, DomainError) as error:
            self._notify(error_message(error), "error")
            return None
        return result

    def _defaults(self) -> dict[str, str]:
        return defaults_for(self.list_kind)

    def _query(self) -> ListQuery:
        return ListQuery(
            self._view(),
            self.list_kind,
            self.project_id,
            self.history_days,
            self._named_task,
        )

    def _excluded(self) -> tuple[int, ...]:
        # Left out of "all done" (`ViewCounts.actionable`); a tuple, safe to use off the loop.
        return tuple(self._created_by_complete_all)

    def _page_after(
        self, change: Callable[[Session, int], object]
    ) -> Callable[[Session, User], LoadedPage]:
        """The work of a change that may move any row: `change(session, owner_id)`, then the
        page read after it, in the same hop."""
        query, excluding = self._query(), self._excluded()

        def work(session: Session, user: User) -> LoadedPage:
            change(session, user.id)
            return read_page(session, user, query, excluding)

        return work

    async def _change(
        self, change: Callable[[Session, int], object]
    ) -> LoadedPage | EventSpec | None:
        """Run a change that may move any row and show the page after it: the page shown, or
        None when it did not run (an error shown, or the tab signed out)."""
        page = await self._run(self._page_after(change))
        if isinstance(page, LoadedPage):
            self._show(page)
        return page

    # --- loading ------------------------------------------------------------------------------

    @rx.event
    async def load_page(self) -> EventSpec | None:
        """On load (and when the query string changes): check the user, then load the list."""
        place = page_place(self.router.url.path)
        if self.router.url.path.strip("/") == "":
            start = (await self.get_state(PreferencesState))._start()
            if start != "inbox":
                query = self.router.url.query
                return rx.redirect(
                    f"/{start}?{query}" if query else f"/{start}", replace=True
                )
        self.list_kind, self.project_id = place.kind, place.project_id
        self.list_path = place.path
        self._named_task = place.task_id
        self.heading = VIEW_TITLES.get(place.kind, "")
        view = list_view(self.router.url.query_parameters, place.kind)
        self.filter, self.priority, self.tag = (
            view["filter"],
            view["priority"],
            view["tag"],
        )
        self.search, self.sort, self.order = view["q"], view["sort"], view["order"]
        self.page = int(view["page"])
        self.editing_id = 0
        self._assign(kept_ids=[])
        self.history_days = HISTORY_STEP_DAYS
        # Another view, or the page opened again: its "Mark all as complete" starts afresh.
        self._created_by_complete_all = []
        # A fresh visit starts with the page's dialogs closed: they are its substates.
        for substate_class in TaskState.get_substates():
            (await self.get_state(substate_class)).reset()
        # The reconnect's first load comes before the tab has resumed: the task waits for
        # the load that follows resuming.
        if self._pending_task and self._bound_here():
            pending, self._pending_task = self._pending_task, {}
            await self._add(TaskCreate(**pending))
        shown = await self._refresh()
        if place.task_id and self.signed_in and shown is None and not self.task_missing:
            await self._open_task_from_url(place.task_id)
        return shown

    async def _open_task_from_url(self, task_id: int) -> None:
        # The details dialog is a substate of this page (it imports this module).
        for substate_class in TaskState.get_substates():
            opener = getattr(substate_class, "_open_from_url", None)
            if opener is not None:
                await opener(await self.get_state(substate_class), task_id)

    async def _close_task_from_url(self) -> None:
        for substate_class in TaskState.get_substates():
            if hasattr(substate_class, "_open_from_url"):
                (await self.get_state(substate_class)).reset()

    @rx.event
    async def load_projects(self) -> None:
        """The sidebar's projects, for pages that do not load them with a list (Settings)."""
        await self._load_projects()

    async def _load_projects(self) -> None:
        """Read the sidebar's projects (also for the trash page's live updates)."""
        loaded = await self._as_user(
            lambda session, user: projects.list_projects(
                session, owner_id=user.id, include_archived=True
            )
        )
        if loaded is not None:
            self._assign(**sidebar_projects(loaded))

    @rx.event
    async def show_more_history(self) -> EventSpec | None:
        """The Completed view: 30 more days of history (a year at most)."""
        if self.list_kind != "completed" or self.history_days >= HISTORY_MAX_DAYS:
            return None
        self.history_days = min(HISTORY_MAX_DAYS, self.history_days + HISTORY_STEP_DAYS)
        return await self._refresh()

    @rx.event
    async def refresh(self) -> EventSpec | None:
        """Reload the visible page and the counts (also the hook for live updates)."""
        return await self._refresh()

    async def _read_page(self) -> LoadedPage | None:
        """The page as the view asks, read for the signed-in user; None when signed out."""
        query, excluding = self._query(), self._excluded()
        return await self._as_user(
            lambda session, user: read_page(session, user, query, excluding)
        )

    async def _refresh(self) -> EventSpec | None:
        try:
            page = await self._read_page()
        except DomainError as error:
            self.loading = False
            self._notify(error_message(error), "error")
            return None
        if page is None:
            return None  # the page's frame resumes the session, then loads it again
        self._show(page)
        hub.watch(page.owner_id, self.router.session.client_token)
        if self.page > self.page_count:
            return self._navigate(page=str(self.page_count))
        return None

    async def _apply_live_change(self, user_id: int) -> None:
        """Reload after `user_id`'s tasks changed elsewhere (called by the live hub, not a browser).

        The hub calls this only for pages it watches for `user_id`, and the page reloads what
        its own verified user may see, so no other user's tasks can reach it. An inline edit in
        progress keeps the user's typed text (the edit box is uncontrolled); a notice says when
        the task under edit changed or went away.
        """
        page = await self._read_page()
        if page is None:
            self.reset()
            hub.forget(self.router.session.client_token)
            return
        before = self._editing_task()
        position = self.tasks.index(before) if before is not None else 0
        was_missing = self.task_missing
        self._show(page)
        if self.task_missing and not was_missing:
            # The task of this address went (deleted elsewhere): its details go with it.
            await self._close_task_from_url()
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
        return self._visible_task(self.editing_id) if self.editing_id else None

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
        """Sort by created, title, due_date or priority, in the field's natural direction."""
        field = str(value)
        return self._navigate(sort=field, order=NATURAL_ORDER.get(field, "desc"))

    @rx.event
    def toggle_order(self) -> EventSpec:
        """Flip between ascending and descending."""
        return self._navigate(order="asc" if self.order == "desc" else "desc")

    @rx.event
    def set_search(self, value: str) -> EventSpec:
        """Search titles and descriptions (the input is debounced)."""
        self.search = str(value)[:TITLE_MAX]
        return rx.redirect(
            view_href(
                {**self._view(), "q": self.search.strip(), "page": "1"},
                self.list_path,
                self._defaults(),
            ),
            replace=True,
        )

    # --- changes ------------------------------------------------------------------------------

    @rx.event
    async def add_task(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Add a task from the new-task form; an empty title does nothing.

        The form keeps what was typed until the task is stored (it does not reset itself on
        submit), so a task typed while offline is neither lost nor typed twice.
        """
        fields = task_fields(form_data)
        if not fields["title"].strip():
            return None
        try:
            data = TaskCreate(**fields)
        except ValidationError as error:
            self._notify(error_message(error), "error")
            return None
        owner_id, reconnected = self._user_id, self._socket_id != self._socket()
        quick = await self.get_state(QuickAddState)
        shown = await self._add(data, quick.literal_spans(data.title))
        if shown is None and not self.signed_in:
            # Not signed in on this connection: keep the text (through a login if the session
            # ended); after a mere reconnection, add it as soon as the tab has resumed.
            self._keep_draft(data.title, owner_id)
            if reconnected:
                self._pending_task = data.model_dump(mode="json")
        return shown if isinstance(shown, EventSpec) else None

    async def _add(
        self, data: TaskCreate, put_back: Collection[tuple[int, int]] = ()
    ) -> LoadedPage | EventSpec | None:
        """Add the task the form describes, its title read as one line (quick add)."""
        kind, project_id, asked = self.list_kind, self.project_id, self._query()
        # The project the task went to (0: the Inbox) when the list it was added in does not
        # hold it: "/Home" typed in the Inbox, an undated task added in Upcoming.
        elsewhere: list[int] = []
        # The page of this list holding the task, when another than the one shown: the
        # last one in a long list in manual order, where a new task goes to the end.
        on_page: list[int] = []

        def change(session: Session, owner_id: int) -> None:
            typed = quick_add.apply_line(
                session, owner_id=owner_id, data=data, keep_literal=put_back
            )
            task = tasks.create_task(
                session,
                owner_id=owner_id,
                data=placed(session, owner_id, typed, kind, project_id),
            )
            if not list_holds(session, owner_id, task.id, kind, project_id):
                elsewhere.append(task.project_id or 0)
                return
            holding = page_holding(session, owner_id, task.id, asked)
            if holding is not None and holding != int(asked.view["page"]):
                on_page.append(holding)

        shown = await self._change(change)
        if isinstance(shown, LoadedPage):
            self._keep_draft("", 0)
            self.new_task_form_key += 1
            (await self.get_state(QuickAddState)).clear()
            if elsewhere:
                self._say_where_added(elsewhere[0])
            elif on_page:
                self._say_which_page(on_page[0])
        return shown

    def _say_which_page(self, page: int) -> None:
        """A task added on another page of this list: say so, with a link to that page."""
        where = (
            "at the end of the list" if page >= self.page_count else f"on page {page}"
        )
        href = view_href(
            {**self._view(), "page": str(page)}, self.list_path, self._defaults()
        )
        self._notify(f"Added {where}", "success", href=href)

    def _say_where_added(self, project_id: int) -> None:
        """A task added out of the list's sight: say where it went, with a link there."""
        entry = next(
            (
                item
                for item in [*self.projects, *self.archived_projects]
                if item.id == project_id
            ),
            None,
        )
        name, href = (entry.name, entry.href) if entry else ("Inbox", "/inbox")
        self._notify(f"Added to {name}", "success", href=href)

    @rx.event
    async def toggle(self, task_id: int) -> EventSpec | None:
        """Complete or reopen one task."""
        query, excluding = self._query(), self._excluded()
        # A row leaves Today, Upcoming and Completed; in the Inbox and projects it moves to
        # the completed section by its checkbox alone (`sinks`): no list is sent again.
        stays_in_view = (
            self.filter == "all"
            and self.list_kind not in KINDS_BY_STATUS
            and self._visible_task(task_id) is not None
        )
        known_total = self.pending_count + self.completed_count

        def work(
            session: Session, user: User
        ) -> tuple[bool, tasks.TaskCounts, ViewCounts, LoadedPage | None]:
            task = tasks.toggle_task(session, owner_id=user.id, task_id=task_id)
            counts = tasks.count_tasks(session, owner_id=user.id)
            if stays_in_view and counts.pending + counts.completed == known_total:
                view = count_view(
                    session,
                    user.id,
                    query.at(user_today(user)),
                    excluding,
                    counts,
                )
                return task.completed, counts, view, None
            # The row leaves this view, or the list grew (a recurring task's next occurrence).
            page = read_page(session, user, query, excluding)
            return task.completed, counts, page.view, page

        title = self._title_of(task_id)
        outcome = await self._run(work)
        if outcome is None or isinstance(outcome, EventSpec):
            return outcome
        completed, counts, view, page = outcome
        if completed and self.sinks and task_id not in self.kept_ids:
            self._assign(kept_ids=[*self.kept_ids, task_id])
        if completed:
            self._offer_undo(
                f"Completed {title}",
                {"kind": "completion", "ids": [task_id], "completed": True},
            )
        if page is not None:
            self._show(page)
            return None
        # The row stays where it is: only its checkbox and the counts change.
        done = set(self.completed_ids) - {task_id} | ({task_id} if completed else set())
        self._assign(completed_ids=[task.id for task in self.tasks if task.id in done])
        self._show_counts(counts, view)
        return None

    # --- manual order ---------------------------------------------------------------------------

    def _ordered_rows(self) -> list[int]:
        """The ids of the rows in the list's order, without those sunk below it."""
        sunk = set(self._sunk_ids)
        return [task.id for task in self.tasks if task.id not in sunk]

    @rx.event
    async def move_by(self, task_id: int, step: int) -> EventSpec | None:
        """Alt+Up / Alt+Down: one place up (-1) or down (1) in the manual order."""
        rows = self._ordered_rows()
        if self.sort != "manual" or step not in (-1, 1) or task_id not in rows:
            return None
        place = rows.index(task_id)
        if not 0 <= place + step < len(rows):
            return None
        # Up: before the row above. Down: before the row two below (none: the very end).
        before = rows[place - 1] if step < 0 else next(iter(rows[place + 2 :]), None)
        return await self._move(task_id, before)

    @rx.event
    async def drop_row(self, task_id: int, before_id: int | None) -> EventSpec | None:
        """A row dropped by its drag handle (components/sortable_rows.py): before `before_id`,
        or last (None). Both come from the browser: anything but task ids moves nothing."""
        if (
            self.sort != "manual"
            or not _is_task_id(task_id)
            or not (before_id is None or _is_task_id(before_id))
            or task_id == before_id
        ):
            return None
        return await self._move(task_id, before_id)

    async def _move(self, task_id: int, before: int | None) -> EventSpec | None:
        shown = await self._change(
            lambda session, owner_id: tasks.move_task(
                session, owner_id=owner_id, task_id=task_id, before_id=before
            )
        )
        if not isinstance(shown, LoadedPage):
            return shown
        # The keyboard goes on from the row it moved.
        return rx.set_focus(row_id(task_id))

    # --- reminders ----------------------------------------------------------------------------

    @rx.event
    async def open_bell(self, is_open: bool) -> EventSpec | None:
        """The bell was opened: its reminders are read (the count goes, in every tab)."""
        if not is_open:
            return None
        await self._change(
            lambda session, owner_id: reminders.mark_reminders_seen(
                session, owner_id=owner_id, now=utcnow()
            )
        )
        return None

    @rx.event
    async def dismiss_reminder(self, reminder_id: int) -> EventSpec | None:
        """Close the toast of one reminder: it is read."""
        await self._change(
            lambda session, owner_id: reminders.mark_reminders_seen(
                session, owner_id=owner_id, now=utcnow(), reminder_id=reminder_id
            )
        )
        return None

    @rx.event
    async def complete_from_reminder(
        self, reminder_id: int, task_id: int
    ) -> EventSpec | None:
        """The toast's "Complete": complete the reminder's task, and the reminder is read."""

        def change(session: Session, owner_id: int) -> None:
            now = utcnow()
            tasks.update_task(
                session,
                owner_id=owner_id,
                task_id=task_id,
                data=TaskPatch(completed=True),
                now=now,
            )
            reminders.mark_reminders_seen(
                session, owner_id=owner_id, now=now, reminder_id=reminder_id
            )

        await self._change(change)
        return None

    @rx.event
    async def snooze_reminder(self, reminder_id: int) -> EventSpec | None:
        """The toast's "Snooze 10 min": the reminder fires again ten minutes from now."""
        await self._change(
            lambda session, owner_id: reminders.snooze_reminder(
                session, owner_id=owner_id, reminder_id=reminder_id, now=utcnow()
            )
        )
        return None

    @rx.event
    async def toggle_all(self) -> EventSpec | None:
        """Complete every task of the view (all pages, nothing hidden), or reopen them all
        when all are completed.

        The next occurrences that completing creates stay pending and do not count against
        "all done", so the control's next click reopens (and removes them) instead of
        completing every repeating task once more.
        """
        completed = not self.all_completed
        query = self._query()

        def work(
            session: Session, user: User
        ) -> tuple[tasks.BulkCompletion, LoadedPage]:
            done = tasks.set_all_completed(
                session,
                owner_id=user.id,
                completed=completed,
                query=query.at(user_today(user)),
            )
            return done, read_page(session, user, query, list(done.created_ids))

        outcome = await self._run(work)
        if outcome is None or isinstance(outcome, EventSpec):
            return outcome
        done, page = outcome
        self._created_by_complete_all = list(done.created_ids)
        if completed and self.sinks:
            self._assign(kept_ids=[*self.kept_ids, *done.changed_ids])
        self._show(page)
        if done.changed:
            self._offer_undo(
                f"{'Completed' if completed else 'Reopened'} {_tasks_count(done.changed)}",
                {
                    "kind": "completion",
                    "ids": list(done.changed_ids),
                    "completed": completed,
                },
            )
        return None

    @rx.event
    async def clear_completed(self) -> EventSpec | None:
        """Delete the completed tasks of the view (all pages; the button shows how many)."""
        query, now = self._query(), utcnow()
        cleared: list[int] = []

        def change(session: Session, owner_id: int) -> None:
            owner = session.get(User, owner_id)
            today = user_today(owner) if owner is not None else now.date()
            cleared.append(
                tasks.clear_completed(
                    session, owner_id=owner_id, query=query.at(today), now=now
                )
            )

        shown = await self._change(change)
        if isinstance(shown, LoadedPage) and cleared and cleared[0]:
            self._offer_undo(
                f"Deleted {_tasks_count(cleared[0])}",
                {"kind": "restore", "deleted_at": now.isoformat()},
            )
        return shown if isinstance(shown, EventSpec) else None

    @rx.event
    async def delete(self, task_id: int) -> EventSpec | None:
        """Delete one task; the focus moves to the next row (`focus_after_delete`)."""
        return await self._delete(task_id)

    async def _delete(self, task_id: int) -> EventSpec | None:
        if self.editing_id == task_id:
            self.editing_id = 0
        before, title, now = (
            [task.id for task in self.tasks],
            self._title_of(task_id),
            utcnow(),
        )
        shown = await self._change(
            lambda session, owner_id: tasks.delete_task(
                session, owner_id=owner_id, task_id=task_id, now=now
            )
        )
        if not isinstance(shown, LoadedPage):
            return shown
        self._offer_undo(
            f"Deleted {title}", {"kind": "restore", "deleted_at": now.isoformat()}
        )
        if task_id not in before:
            return None
        # The deleted row's buttons are gone: without this the focus falls to the page.
        after = [task.id for task in self.tasks]
        return rx.set_focus(focus_after_delete(before, task_id, after))

    @rx.event
    def start_edit(self, task_id: int) -> None:
        """Edit a visible task's title inline."""
        if self._visible_task(task_id) is not None:
            self.editing_id = task_id
            self.edit_notice = ""

    @rx.event
    def cancel_edit(self) -> None:
        """Leave inline editing without saving."""
        self._stop_edit()

    @rx.event
    def edit_key_down(self, key: str, _modifiers: Any = None) -> None:
        """Escape cancels the inline edit (Enter submits its form)."""
        if key == "Escape":
            self._stop_edit()

    def _stop_edit(self) -> None:
        self.editing_id = 0
        self.edit_notice = ""

    @rx.event
    async def submit_edit(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Save the inline edit when Enter submits it; the focus returns to the task's row."""
        task_id = self.editing_id
        outcome = await self._save_edit(form_text(form_data, "title"))
        if outcome is not None:
            return outcome
        if not task_id or self._visible_task(task_id) is None:
            return None
        # The edit box is gone: the keyboard goes on from the row it was in.
        return rx.set_focus(row_id(task_id))

    @rx.event
    async def save_edit(self, title: str) -> EventSpec | None:
        """Save the inline edit (Enter or blur); an emptied title asks to delete the task."""
        return await self._save_edit(title)

    async def _save_edit(self, title: str) -> EventSpec | None:
        task_id = self.editing_id
        if not task_id:
            return None
        self._stop_edit()
        title = title.strip() if isinstance(title, str) else ""
        current = self._visible_task(task_id)
        if not title:
            # Deleting is undoable: an emptied title deletes the task, with "Undo" at hand.
            return await self._delete(task_id)
        if current is not None and current.title == title:
            return None
        try:
            data = TaskPatch(title=title)
        except ValidationError as error:
            self._notify(error_message(error), "error")
            return None
        updated = await self._run(
            lambda session, user: task_view(
                TaskPublic.of(
                    tasks.update_task(
                        session, owner_id=user.id, task_id=task_id, data=data
                    )
                ),
                user_today(user),
            )
        )
        if updated is None or isinstance(updated, EventSpec):
            return updated
        # A one-task change: swap that row in place instead of querying the page again.
        self.tasks = [
            dataclasses.replace(
                updated,
                section=task.section,
                day_in_heading=task.day_in_heading,
                project_name=task.project_name,
                project_dot=task.project_dot,
            )
            if task.id == task_id
            else task
            for task in self.tasks
        ]
        return None

    # --- undo -----------------------------------------------------------------------------------

    def _title_of(self, task_id: int) -> str:
        shown = self._visible_task(task_id)
        return f"'{shown.title}'" if shown is not None else "the task"

    def _offer_undo(self, text: str, action: dict[str, Any]) -> None:
        """Say what was done, with "Undo" beside it (also `z`), until the next message."""
        self._notify(text, "success", undo=True)
        self._undo = action

    @rx.event
    async def undo(self) -> EventSpec | None:
        """Put back what the action of the message on screen changed, in every tab."""
        action, self._undo = self._undo, {}
        self.dismiss_notice()
        change = _undo_change(action)
        if change is None:
            return None
        shown = await self._change(change)
        if isinstance(shown, LoadedPage):
            self._notify("Undone")
            if action.get("kind") == "project":
                # Back to the project's page, which the deletion had left.
                path = f"/projects/{action['project']['id']}"
                self._notice_goes_to(path)
                return rx.redirect(path)
        return shown if isinstance(shown, EventSpec) else None


def _is_task_id(value: object) -> bool:
    """Whether an event argument is a possible task id (an int in the column's range)."""
    return type(value) is int and 0 < value < 2**31


def _tasks_count(count: int) -> str:
    return f"{count} task{'' if count == 1 else 's'}"


def _undo_change(action: dict[str, Any]) -> Callable[[Session, int], object] | None:
    """The change that puts back what `action` (TaskState._undo) describes, if anything."""
    kind = action.get("kind")
    if kind == "restore":
        deleted_at = datetime.fromisoformat(action["deleted_at"])
        return lambda session, owner_id: tasks.restore_deleted_at(
            session, owner_id=owner_id, deleted_at=deleted_at
        )
    if kind == "project":
        deletion = projects.ProjectDeletion(
            deleted_at=datetime.fromisoformat(action["deleted_at"]),
            trashed=int(action["trashed"]),
            project=ProjectPublic.model_validate(action["project"]),
        )
        return lambda session, owner_id: projects.undo_project_deletion(
            session, owner_id=owner_id, deletion=deletion
        )
    if kind == "archive":  # an archiving or an unarchiving (`archived`: what it did)
        # An offer kept from before unarchiving had Undo names no `archived`: an archiving.
        project_id = int(action["project_id"])
        archived = bool(action.get("archived", True))
        return lambda session, owner_id: projects.update_project(
            session,
            owner_id=owner_id,
            project_id=project_id,
            data=ProjectUpdate(archived=not archived),
        )
    if kind == "completion":
        ids, completed = list(action["ids"]), bool(action["completed"])
        return lambda session, owner_id: tasks.undo_completion(
            session, owner_id=owner_id, task_ids=ids, completed=completed
        )
    return None
