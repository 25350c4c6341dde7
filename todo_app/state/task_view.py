"""The task page's view logic that needs no Reflex: rows as shown, and the list view in the URL."""

from __future__ import annotations

import dataclasses
import enum
from datetime import date
from typing import Any
from urllib.parse import urlencode

from todo_app.models import (
    EDITABLE_FIELDS,
    TAG_MAX,
    TITLE_MAX,
    Priority,
    SortField,
    SortOrder,
    TaskPublic,
    TaskQuery,
    TaskStatus,
)

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


def due_state(due: date | None, today: date) -> str:
    """How urgent a due date looks: "overdue", "today", "upcoming", or "" without one.

    The row shows a completed task's date as upcoming whatever this says.
    """
    if due is None:
        return ""
    if due > today:
        return "upcoming"
    return "today" if due == today else "overdue"


def shown(value: Any) -> Any:
    """A field's value as rows and forms show it: enums as their value, dates ISO, None as ""."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return list(value) if isinstance(value, list) else value


def task_view(task: TaskPublic, today: date | None = None) -> TaskView:
    """The row view of a task."""
    return TaskView(
        id=task.id,
        due_state=due_state(task.due_date, today or date.today()),
        **{name: shown(getattr(task, name)) for name in EDITABLE_FIELDS},
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
        # ASCII digits only ("١٢" passes isdigit), and few of them: int() of thousands of
        # digits is slow and then refused.
        if page.isascii() and page.isdigit() and len(page) <= 9 and int(page) > 0
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
