"""The task page's view logic that needs no Reflex: rows as shown, and the list view in the URL."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from todo_app.models import (
    EDITABLE_FIELDS,
    TAG_MAX,
    TITLE_MAX,
    DueFilter,
    Priority,
    SortField,
    SortOrder,
    TaskFilter,
    TaskPublic,
    TaskQuery,
    TaskStatus,
    normalise_tag,
)
from todo_app.state.readable_dates import full_date, overdue_label, readable_date

PAGE_SIZE = 50
MAX_PAGE = 100_000
# The one place where the URL's "active" (TodoMVC's word) becomes the service's "pending".
STATUS_BY_FILTER = {
    "all": TaskStatus.all,
    "active": TaskStatus.pending,
    "completed": TaskStatus.completed,
}
# The direction a sort field reads best in: titles A-Z, the soonest due date first, the highest
# priority first, the newest task first. Choosing a field starts from it; the arrow flips it.
NATURAL_ORDER: dict[str, str] = {
    SortField.title.value: SortOrder.asc.value,
    SortField.due_date.value: SortOrder.asc.value,
    SortField.priority.value: SortOrder.desc.value,
    SortField.created.value: SortOrder.desc.value,
    SortField.manual.value: SortOrder.asc.value,  # the user's own order, first to last
}
# Element ids the server moves the focus to (`rx.set_focus`): a row, and the new-task input.
NEW_TASK_INPUT_ID = "new-task-title"
ROW_ID_PREFIX = "task-"
DEFAULT_VIEW = {
    "filter": "all",
    "priority": "",
    "tag": "",
    "q": "",
    "sort": SortField.created.value,
    "order": SortOrder.desc.value,
    "page": "1",
}


# The lists the sidebar offers, by the path that shows them; a project's is /projects/<id>.
VIEW_TITLES = {
    "inbox": "Inbox",
    "today": "Today",
    "upcoming": "Upcoming",
    "completed": "Completed",
}
START_VIEWS = ("inbox", "today")
MAX_ID = 2**31 - 1


@dataclasses.dataclass(frozen=True)
class ListPlace:
    """Which list a path shows: its kind, the project or task it names, its own path."""

    kind: str
    path: str
    project_id: int = 0
    # /tasks/<ref>: the Inbox with that task's details open; 0 when the reference names no
    # task. None on any other address.
    task_id: int | None = None


def _id_in(text: str) -> int:
    # ASCII digits only, and within a database integer: anything else names nothing.
    if (
        text.isascii()
        and text.isdigit()
        and len(text) <= 10
        and 0 < int(text) <= MAX_ID
    ):
        return int(text)
    return 0


def list_place(path: str) -> ListPlace | None:
    """The list a URL path shows ("/" is the Inbox), or None for a path that names none."""
    path = "/" + path.strip("/")
    if path == "/":
        return ListPlace(kind="inbox", path="/")
    parts = path.strip("/").split("/")
    if len(parts) == 1 and parts[0] in VIEW_TITLES:
        return ListPlace(kind=parts[0], path=path)
    if len(parts) == 2 and parts[0] in ("projects", "tasks") and _id_in(parts[1]):
        if parts[0] == "projects":
            return ListPlace(kind="project", path=path, project_id=_id_in(parts[1]))
        return ListPlace(kind="inbox", path="/inbox", task_id=_id_in(parts[1]))
    return None


def page_place(path: str) -> ListPlace:
    """The list a task page's path shows: a project or task reference that names none is a
    project (or task) not found (id 0 is nobody's), any other the Inbox."""
    place = list_place(path)
    if place is not None:
        return place
    first = path.strip("/").split("/")[0]
    if first == "projects":
        return ListPlace(kind="project", path="/" + path.strip("/"))
    if first == "tasks":
        return ListPlace(kind="inbox", path="/inbox", task_id=0)
    return ListPlace("inbox", "/inbox")


@dataclasses.dataclass
class TaskView:
    """A task as one row of the list shows it: display-ready text, nothing private.

    It holds every editable field (`task_view` fills them by name), plus the id and how urgent
    the due date looks. Completion is not part of the row: it lives in
    `TaskState.completed_ids`, so completing a task sends a few ids instead of the whole list.
    """

    id: int
    title: str
    description: str
    priority: str
    due_date: str
    due_time: str
    due_state: str
    tags: list[str]
    recurrence: str
    project_id: int | str  # "" in the Inbox
    # The due date as read (`readable_date`, with the time), how late an overdue one is, and
    # the unabbreviated date for the badge's title and accessible description.
    due_label: str = ""
    overdue_label: str = ""
    due_full: str = ""
    # The heading of the group this row starts (Today's "Overdue", Upcoming's days), else "".
    section: str = ""
    # The row's group heading names its due day ("Today", "Wed 3 Dec"): the badge need not.
    day_in_heading: bool = False
    # Outside its project's own page: the project's name and dot colour (`ProjectEntry`).
    project_name: str = ""
    project_dot: str = ""


def due_state(due: date | None, today: date) -> str:
    """How urgent a due date looks: "overdue", "today", "tomorrow", "upcoming", or "" without one.

    `today` is the date on the user's calendar (`services.tasks.local_today`), never the
    server's. The row shows a completed task's date plainly whatever this says.
    """
    if due is None:
        return ""
    if due < today:
        return "overdue"
    if due == today:
        return "today"
    return "tomorrow" if due == today + timedelta(days=1) else "upcoming"


def with_sections(rows: list[TaskView], headings: Sequence[str]) -> list[TaskView]:
    """The rows, each that starts a new group carrying its heading (`headings[i]` is row i's
    group); rows come in group order, so a heading shows once."""
    previous = None
    marked = []
    for row, heading in zip(rows, headings, strict=True):
        marked.append(
            dataclasses.replace(row, section=heading if heading != previous else "")
        )
        previous = heading
    return marked


def dated_by_heading(row: TaskView) -> TaskView:
    """The row as a list grouped by due day shows it: its day is in the heading, except an
    overdue row's (under "Overdue", its badge says how late it is)."""
    return dataclasses.replace(
        row, day_in_heading=row.due_date != "" and row.due_state != "overdue"
    )


def today_heading(due: date | None, today: date) -> str:
    """Today's groups: what is late under "Overdue", then what is due today."""
    return "Overdue" if due is not None and due < today else "Today"


def shown(value: Any) -> Any:
    """A field's value as rows and forms show it: enums as their value, dates ISO, None as ""."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return list(value) if isinstance(value, list) else value


def due_texts(due: date | None, due_time: str | None, today: date) -> dict[str, str]:
    """The row's due badge texts: the readable date, the overdue text, the full date."""
    if due is None:
        return {"due_label": "", "overdue_label": "", "due_full": ""}
    at = f" {due_time}" if due_time else ""
    return {
        "due_label": readable_date(due, today) + at,
        "overdue_label": overdue_label(due, today) if due < today else "",
        "due_full": f"Due {full_date(due)}{at}",
    }


def task_view(task: TaskPublic, today: date) -> TaskView:
    """The row view of a task, its due date judged against the user's `today`."""
    return TaskView(
        id=task.id,
        due_state=due_state(task.due_date, today),
        **due_texts(task.due_date, task.due_time, today),
        **{name: shown(getattr(task, name)) for name in EDITABLE_FIELDS},
    )


def _choice(value: str, allowed: list[str], default: str) -> str:
    return value if value in allowed else default


def defaults_for(kind: str) -> dict[str, str]:
    """A list's view when its URL says nothing: the Inbox and projects in the owner's order."""
    if kind in SINKING_KINDS:
        return {**DEFAULT_VIEW, "sort": SortField.manual.value, "order": "asc"}
    return DEFAULT_VIEW


def parse_view(params: Any, defaults: dict[str, str] = DEFAULT_VIEW) -> dict[str, str]:
    """The list view named by URL query parameters; anything unknown falls back to the default."""
    params = params if hasattr(params, "get") else {}

    def text(name: str) -> str:
        value = params.get(name, defaults[name])
        return value.strip() if isinstance(value, str) else defaults[name]

    page = text("page")
    return {
        "filter": _choice(text("filter"), list(STATUS_BY_FILTER), "all"),
        "priority": _choice(text("priority"), [p.value for p in Priority], ""),
        # Written as tags are stored, so "?tag=%23Home" shows the tasks tagged "home".
        "tag": normalise_tag(text("tag"))[:TAG_MAX],
        "q": text("q")[:TITLE_MAX],
        "sort": _choice(text("sort"), [s.value for s in SortField], defaults["sort"]),
        "order": _choice(
            text("order"), [o.value for o in SortOrder], defaults["order"]
        ),
        "page": str(min(int(page), MAX_PAGE))
        # ASCII digits only ("١٢" passes isdigit), and few of them: int() of thousands of
        # digits is slow and then refused.
        if page.isascii() and page.isdigit() and len(page) <= 9 and int(page) > 0
        else "1",
    }


def list_view(params: Any, kind: str) -> dict[str, str]:
    """The view of the list of `kind` its URL's query parameters name (`parse_view`). Today
    and Upcoming show open tasks by date whatever the URL says: a status filter or sort
    there would only mislead ("Nothing matches", drag handles in a list sorted by date)."""
    defaults = defaults_for(kind)
    view = parse_view(params, defaults)
    if kind in DATED_KINDS:
        view.update({name: defaults[name] for name in ("filter", "sort", "order")})
    return view


def view_href(
    view: dict[str, str], path: str = "/", defaults: dict[str, str] = DEFAULT_VIEW
) -> str:
    """The URL of a list view at `path` (the list's own path); default values are left out."""
    params = {
        key: value for key, value in view.items() if value and value != defaults[key]
    }
    return f"{path}?{urlencode(params)}" if params else path


def view_query(view: dict[str, str]) -> TaskQuery:
    """The service query that lists one page of a (parsed) list view."""
    return TaskQuery(
        status=STATUS_BY_FILTER.get(view["filter"], TaskStatus.all),
        priority=Priority(view["priority"]) if view["priority"] else None,
        tag=view["tag"] or None,
        q=view["q"] or None,
        sort=SortField(view["sort"]),
        order=SortOrder(view["order"]),
        limit=PAGE_SIZE,
        offset=(int(view["page"]) - 1) * PAGE_SIZE,
    )


# Upcoming: the open tasks of the next two weeks, today included.
UPCOMING_DAYS = 14
# Lists grouped by day: sorted by due date whatever the URL's sort says, so groups stay whole.
DATED_KINDS = ("today", "upcoming")
# Lists whose completed tasks sink into a collapsed section of their own.
SINKING_KINDS = ("inbox", "project")


def list_query(
    view: dict[str, str], kind: str, today: date, project_id: int = 0
) -> TaskQuery:
    """The service query of a list (`ListPlace.kind`) with the URL's filters, on `today`.

    Today and Upcoming are open tasks by due date in the user's zone (the service leaves out
    archived projects' tasks); `today` is what splits Today's overdue rows from the rest.
    """
    query = view_query(view)
    if kind in DATED_KINDS:
        return query.model_copy(
            update={
                "status": TaskStatus.pending,
                "due": DueFilter.today if kind == "today" else DueFilter.upcoming,
                "days": UPCOMING_DAYS,
                "sort": SortField.due_date,
                "order": SortOrder.asc,
            }
        )
    if kind == "completed":
        return query.model_copy(update={"status": TaskStatus.completed})
    # Completed rows are read with the others and shown in a section of their own (the
    # page's `sinks`): completing one then changes its checkbox only, as everywhere.
    place = {"project_id": project_id} if kind == "project" else {"inbox": True}
    return query.model_copy(update=place)


@dataclasses.dataclass(frozen=True)
class ListQuery:
    """What a list asks for, before the user's today is known (it is read with the user)."""

    view: dict[str, str]
    kind: str = "inbox"
    project_id: int = 0
    # The Completed view: how many days of history.
    history_days: int = 30
    # A task address: the task it names (`ListPlace.task_id`), None on a list's own.
    task_id: int | None = None

    def at(self, today: date) -> TaskQuery:
        """The service query on the user's `today`."""
        return list_query(self.view, self.kind, today, self.project_id)


def shows_everything(query: TaskFilter) -> bool:
    """Whether a view's filters match every task (its counts are then the user's counts)."""
    return all(
        getattr(query, name) == field.default
        for name, field in TaskFilter.model_fields.items()
    )


def row_id(task_id: int) -> str:
    """The element id of a task's row."""
    return f"{ROW_ID_PREFIX}{task_id}"


def focus_after_delete(
    before: Sequence[int], deleted: int, after: Sequence[int]
) -> str:
    """Where the focus goes once a row is deleted: the row that took its place, else the
    row above it (it was the last), else the new-task input (no row is left).

    `before` and `after` are the visible rows' ids around the deletion.
    """
    position = before.index(deleted) if deleted in before else len(after)
    if not after:
        return NEW_TASK_INPUT_ID
    return row_id(after[min(position, len(after) - 1)])
