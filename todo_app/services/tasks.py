"""Tasks: every query and rule, always scoped to the owner's id."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from todo_app.errors import InvalidInput, NotFound, VersionConflict
from todo_app.models import (
    EDITABLE_FIELDS,
    MAX_ID,
    OPEN_TASKS_MAX,
    POSITION_STEP,
    PRIORITY_RANK,
    TAGS_PER_USER_MAX,
    DueFilter,
    Project,
    Recurrence,
    SortField,
    SortOrder,
    Task,
    TaskCreate,
    TaskFields,
    TaskFilter,
    TaskPage,
    TaskPatch,
    TaskPublic,
    TaskQuery,
    TaskStatus,
    TaskTag,
    TrashedTaskPublic,
    TrashPage,
    TrashQuery,
    User,
    utcnow,
)
from todo_app.services import task_reminders
from todo_app.services.changes import record_change
from todo_app.settings import get_settings

_DELETE_CHUNK = 500  # ids per ... IN (...), well below SQLite's parameter limit


# --- the user's calendar -----------------------------------------------------------------------


def local_today(timezone: str, now: datetime) -> date:
    """The date on the user's calendar at the instant `now` (aware), in their IANA zone."""
    return now.astimezone(ZoneInfo(timezone)).date()


def _owner_today(session: Session, owner_id: int, now: datetime) -> date:
    # The API and the UI load the owner with the token check: usually no query at all.
    owner = session.get(User, owner_id)
    if owner is None:
        raise NotFound("User not found")
    return local_today(owner.timezone, now)


# --- recurrence --------------------------------------------------------------------------------


def _clamped(year: int, month: int, day: int) -> date:
    """`day` of the month, or the month's last day when it is shorter (31 -> Feb 28/29)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _first_on_or_after(
    start: date, recurrence: Recurrence, due: date, anchor_day: int
) -> date:
    """The first date on or after `start` of the pattern of a task due `due`."""
    if recurrence == Recurrence.weekly:
        return start + timedelta(days=(due.weekday() - start.weekday()) % 7)
    if recurrence == Recurrence.monthly:
        candidate = _clamped(start.year, start.month, anchor_day)
        if candidate >= start:
            return candidate
        following = start.month % 12 + 1
        return _clamped(start.year + (following == 1), following, anchor_day)
    if recurrence == Recurrence.yearly:
        candidate = _clamped(start.year, due.month, anchor_day)
        if candidate >= start:
            return candidate
        return _clamped(start.year + 1, due.month, anchor_day)
    return start  # daily


def next_due_date(
    due: date,
    recurrence: Recurrence,
    *,
    today: date | None = None,
    anchor_day: int | None = None,
) -> date | None:
    """The first date of the repeat pattern after `due` and not before `today`.

    Monthly and yearly repeats fall on `anchor_day` (default: `due`'s day), or on the month's
    last day when it is shorter: Jan 31 -> Feb 28 -> Mar 31. None without a repeat, or when the
    next date would be past the year 9999.
    """
    if recurrence == Recurrence.none:
        return None
    try:
        start = max(due + timedelta(days=1), today or date.min)
        return _first_on_or_after(start, recurrence, due, anchor_day or due.day)
    except (OverflowError, ValueError):  # past year 9999 there is no next occurrence
        return None


# --- reading -----------------------------------------------------------------------------------


# A task in the trash is gone for every query but the trash's own.
_LIVE = Task.deleted_at.is_(None)
_TRASHED = Task.deleted_at.is_not(None)


def _owned(
    session: Session,
    *,
    owner_id: int,
    task_id: int,
    for_update: bool = False,
    trashed: bool = False,
) -> Task:
    # One code path for "missing" and "someone else's": nobody learns which ids exist.
    if (
        not isinstance(task_id, int)
        or isinstance(task_id, bool)
        or not 0 < task_id <= MAX_ID
    ):
        raise NotFound("Task not found")
    statement = _OWNED[trashed, for_update]
    task = session.exec(
        statement, params={"owner_id": owner_id, "task_id": task_id}
    ).first()
    if task is None:
        raise NotFound("Task not found")
    return task


def _owned_conditions(owner_id: Any, task_id: Any, trashed: bool = False) -> list[Any]:
    return [
        Task.id == task_id,
        Task.user_id == owner_id,
        _TRASHED if trashed else _LIVE,
    ]


def _owned_select(trashed: bool, for_update: bool) -> Any:
    statement = select(Task).where(
        *_owned_conditions(sa.bindparam("owner_id"), sa.bindparam("task_id"), trashed)
    )
    return statement.with_for_update() if for_update else statement


# Built once: building an ORM select costs about as much as running it (issue #16).
_OWNED = {
    (trashed, for_update): _owned_select(trashed, for_update)
    for trashed in (False, True)
    for for_update in (False, True)
}


def _owned_at_version(
    session: Session, *, owner_id: int, task_id: int, expected_version: int | None
) -> Task:
    """The owner's task, locked for the change; VersionConflict when it is not at
    `expected_version` (None: any version).

    The row lock makes the comparison and the change one step: of two writers sending the
    same version, the second reads the first one's bump once it commits, and is refused.
    """
    task = _owned(session, owner_id=owner_id, task_id=task_id, for_update=True)
    if expected_version is not None and task.version != expected_version:
        raise VersionConflict(
            f"The task changed since version {expected_version}: it is at version "
            f"{task.version} now",
            current=TaskPublic.of(task),
            version=task.version,
        )
    return task


def get_task(session: Session, *, owner_id: int, task_id: int) -> Task:
    """The owner's task with this id, or NotFound."""
    return _owned(session, owner_id=owner_id, task_id=task_id)


def _conditions(
    session: Session, owner_id: int, query: TaskFilter, now: datetime | None
) -> list[Any]:
    """The WHERE clauses of a filter; the owner's today is read only when a date view needs it."""
    today = None
    if query.due in _DATED_VIEWS:
        today = _owner_today(session, owner_id, now or utcnow())
    return _filters(owner_id, query, today)


# The views of open tasks by date; they leave out the tasks of archived projects.
_DATED_VIEWS = frozenset({DueFilter.today, DueFilter.overdue, DueFilter.upcoming})


def _not_archived(owner_id: int) -> Any:
    archived = select(Project.id).where(
        Project.owner_id == owner_id, Project.archived.is_(True)
    )
    return sa.or_(Task.project_id.is_(None), Task.project_id.not_in(archived))


def _due_conditions(
    owner_id: int, due: DueFilter, days: int, today: date | None
) -> list[Any]:
    if due == DueFilter.none:
        return [Task.due_date.is_(None)]
    assert today is not None  # _conditions reads it for these views
    conditions = [Task.completed.is_(False), _not_archived(owner_id)]
    if due == DueFilter.today:
        conditions.append(Task.due_date <= today)
    elif due == DueFilter.overdue:
        conditions.append(Task.due_date < today)
    else:
        conditions.append(Task.due_date >= today)
        conditions.append(Task.due_date < today + timedelta(days=days))
    return conditions


def _filters(owner_id: int, query: TaskFilter, today: date | None = None) -> list[Any]:
    conditions: list[Any] = [Task.user_id == owner_id, _LIVE]
    if query.status == TaskStatus.pending:
        conditions.append(Task.completed.is_(False))
    elif query.status == TaskStatus.completed:
        conditions.append(Task.completed.is_(True))
    if query.priority is not None:
        conditions.append(Task.priority == query.priority)
    if query.tag is not None:
        # The schema wrote the tag as tags are stored ("#Home" -> "home").
        tagged = select(TaskTag.task_id).where(
            TaskTag.user_id == owner_id, TaskTag.tag == query.tag
        )
        conditions.append(Task.id.in_(tagged))
    if query.q is not None:
        conditions.append(
            sa.or_(
                Task.title.icontains(query.q, autoescape=True),
                Task.description.icontains(query.q, autoescape=True),
            )
        )
    if query.due_before is not None:
        conditions.append(Task.due_date < query.due_before)
    if query.due_after is not None:
        conditions.append(Task.due_date > query.due_after)
    if query.project_id is not None:
        conditions.append(Task.project_id == query.project_id)
    if query.inbox:
        conditions.append(Task.project_id.is_(None))
    if query.due is not None:
        conditions.extend(_due_conditions(owner_id, query.due, query.days, today))
    return conditions


_PRIORITY_ORDER = sa.case(
    {p.value: rank for p, rank in PRIORITY_RANK.items()}, value=Task.priority, else_=0
)


def _ordering(query: TaskQuery) -> list[Any]:
    descending = query.order == SortOrder.desc
    if query.sort == SortField.manual and "order" not in query.model_fields_set:
        descending = (
            False  # the owner's order reads first to last unless asked otherwise
        )

    def directed(column: Any) -> Any:
        return column.desc() if descending else column.asc()

    if query.sort == SortField.title:
        keys = [directed(sa.func.lower(Task.title))]
    elif query.sort == SortField.due_date:
        # Tasks without a due date come last whichever the direction; within a day, the ones
        # with a time of day in its order, then the rest.
        keys = [
            Task.due_date.is_(None).asc(),
            directed(Task.due_date),
            Task.due_time.is_(None).asc(),
            directed(Task.due_time),
        ]
    elif query.sort == SortField.priority:
        keys = [directed(_PRIORITY_ORDER)]
    elif query.sort == SortField.manual:
        keys = [directed(Task.position)]
    else:
        keys = [directed(Task.created_at)]
    return [*keys, directed(Task.id)]


# The public view's fields that are columns, in the order the list selects them: a row is
# zipped with these names (tests/api/test_task_fields.py checks they are the public columns).
_ROW_FIELDS: tuple[str, ...] = tuple(
    name for name in TaskPublic.model_fields if name != "tags"
)
_ROW_COLUMNS = tuple(Task.__table__.columns[name] for name in _ROW_FIELDS)
_TAGS_AT = len(_ROW_COLUMNS)


def _rows_select(conditions: list[Any]) -> sa.Select[Any]:
    # The public columns and each row's tags (joined with commas, which tags cannot hold);
    # plain rows, not ORM objects, which cost most of the time.
    tags_of_task = (
        sa.select(sa.func.aggregate_strings(TaskTag.tag, ","))
        .where(TaskTag.task_id == Task.id)
        .scalar_subquery()
    )
    return sa.select(*_ROW_COLUMNS, tags_of_task.label("tags")).where(*conditions)


def _page_select(conditions: list[Any], query: TaskQuery) -> sa.Select[Any]:
    # One statement for the page, its rows' tags and the total before paging.
    return (
        _rows_select(conditions)
        .add_columns(sa.func.count().over().label("total"))
        .order_by(*_ordering(query))
        .offset(query.offset)
        .limit(query.limit)
    )


def task_statement(owner_id: Any, task_id: Any) -> sa.Select[Any]:
    """`get_task`'s task as one row of `list_statement`'s columns (without `total`); no row
    when it is not the owner's. The ids may be bound parameters."""
    return _rows_select(_owned_conditions(owner_id, task_id))


def list_statement(
    owner_id: int, query: TaskQuery, today: date | None = None
) -> sa.Select[Any]:
    """The select of `list_tasks`'s page: the public columns, `tags` (comma-joined, unsorted)
    and `total`, ordered and paged. The date views (`query.due`) need the owner's `today`."""
    return _page_select(_filters(owner_id, query, today), query)


def list_tasks(
    session: Session,
    *,
    owner_id: int,
    query: TaskQuery | None = None,
    now: datetime | None = None,
) -> TaskPage:
    """One page of the owner's tasks matching the query, and the number matching in all.

    `query.due` views read "today" in the owner's zone at `now`.
    """
    query = query or TaskQuery()
    conditions = _conditions(session, owner_id, query, now)
    rows = session.execute(_page_select(conditions, query)).all()
    if rows:
        total = rows[0].total
    else:  # a page past the end still reports how many tasks match
        total = session.exec(
            select(sa.func.count()).select_from(Task).where(*conditions)
        ).one()
    items = [_public_row(row) for row in rows]
    return TaskPage.model_construct(items=items, total=total)


def _public_row(row: Sequence[Any]) -> TaskPublic:
    # The values come from rows the schema's own rules wrote: no need to validate again.
    # By position, not by name: a row's mapping view and the model's field list, read per
    # row, cost a third of building the page (bench profile, issue 12). zip stops at the
    # last field; the row's tags and total follow.
    tags = row[_TAGS_AT]
    return TaskPublic.model_construct(
        **dict(zip(_ROW_FIELDS, row)), tags=sorted(tags.split(",")) if tags else []
    )


@dataclass(frozen=True)
class TaskCounts:
    pending: int
    completed: int


def count_tasks(session: Session, *, owner_id: int) -> TaskCounts:
    """How many of the owner's tasks are pending and completed."""
    return _counts(session, [Task.user_id == owner_id, _LIVE])


def count_matching(
    session: Session,
    *,
    owner_id: int,
    query: TaskFilter | None = None,
    excluding: Collection[int] = (),
    now: datetime | None = None,
) -> TaskCounts:
    """How many of the tasks a view shows (all pages) are pending and completed.

    What `set_all_completed` and `clear_completed` with the same query would act on. Tasks in
    `excluding` are not counted: pass the occurrences a "complete all" click created, so the
    control shows that click as done (its next click reopens and removes them) rather than
    inviting a second click that would advance every repeating task again.
    """
    conditions = _conditions(session, owner_id, query or TaskFilter(), now)
    if excluding:
        conditions.append(Task.id.not_in(list(excluding)))
    return _counts(session, conditions)


def view_holds(
    session: Session,
    *,
    owner_id: int,
    query: TaskFilter,
    task_id: int,
    now: datetime | None = None,
) -> bool:
    """Whether the view `query` describes (its filters, not its page) holds the owner's task:
    whether a task just added shows where it was added."""
    conditions = [*_conditions(session, owner_id, query, now), Task.id == task_id]
    return session.exec(select(Task.id).where(*conditions)).first() is not None


def place_in_view(
    session: Session,
    *,
    owner_id: int,
    query: TaskQuery,
    task_id: int,
    now: datetime | None = None,
) -> int | None:
    """Where the owner's task stands in the view `query` describes (0: first of its first
    page), in the list's own order; None when the view does not hold it. Which page shows
    a task just added."""
    ranked = (
        sa.select(
            Task.id, sa.func.row_number().over(order_by=_ordering(query)).label("place")
        )
        .where(*_conditions(session, owner_id, query, now))
        .subquery()
    )
    place = session.execute(
        sa.select(ranked.c.place).where(ranked.c.id == task_id)
    ).scalar_one_or_none()
    return None if place is None else place - 1


def view_conditions(
    session: Session, owner_id: int, query: TaskFilter, now: datetime | None = None
) -> list[Any]:
    """The WHERE clauses of the tasks a view shows (every page), for a query of another
    service over the same view: the list's rules stay written once."""
    return _conditions(session, owner_id, query, now)


def _counts(session: Session, conditions: list[Any]) -> TaskCounts:
    rows = session.exec(
        select(Task.completed, sa.func.count())
        .where(*conditions)
        .group_by(Task.completed)
    ).all()
    counts = {bool(completed): number for completed, number in rows}
    return TaskCounts(pending=counts.get(False, 0), completed=counts.get(True, 0))


def list_tags(
    session: Session,
    *,
    owner_id: int,
    limit: int | None = None,
    including: str | None = None,
) -> list[str]:
    """The owner's tags, alphabetically: all, or the `limit` most used (plus `including`)."""
    statement = (
        select(TaskTag.tag)
        .where(TaskTag.user_id == owner_id, TaskTag.task_id.in_(_live_ids(owner_id)))
        .group_by(TaskTag.tag)
        .order_by(sa.func.count().desc(), TaskTag.tag)
    )
    if limit is not None:
        statement = statement.limit(limit)
    tags = set(session.exec(statement).all())
    if including:
        tags.add(including)
    return sorted(tags)


def _live_ids(owner_id: int) -> Any:
    """The ids of the owner's tasks that are not in the trash, as a subquery."""
    return select(Task.id).where(Task.user_id == owner_id, _LIVE)


# --- writing -----------------------------------------------------------------------------------


def _set_tags(task: Task, tags: list[str]) -> None:
    # Diff instead of replace: a delete and re-insert of the same (task_id, tag) key in one flush
    # may reach the database in the wrong order.
    wanted = set(tags)
    kept = [row for row in task.tag_rows if row.tag in wanted]
    present = {row.tag for row in kept}
    added = [
        TaskTag(tag=tag, user_id=task.user_id) for tag in tags if tag not in present
    ]
    # Sorted as the relationship loads them, so the task returned reads like the one stored.
    task.tag_rows = sorted([*kept, *added], key=lambda row: row.tag)


_OPEN = sa.and_(Task.completed.is_(False), _LIVE)


def _open_count(owner_id: Any) -> sa.Select[Any]:
    return (
        select(sa.func.count()).select_from(Task).where(Task.user_id == owner_id, _OPEN)
    )


def _last_position(owner_id: Any) -> sa.Select[Any]:
    return select(sa.func.max(Task.position)).where(Task.user_id == owner_id)


_OPEN_COUNT = _open_count(sa.bindparam("owner_id"))
# Two subqueries, not one scan: the count reads the open tasks' index (ix_task_user_open)
# alone, the last position is one step of ix_task_user_position.
_LAST_POSITION = _last_position(sa.bindparam("owner_id"))
_OPEN_COUNT_AND_LAST_POSITION = select(
    _OPEN_COUNT.scalar_subquery(), _LAST_POSITION.scalar_subquery()
)


def _check_open_task_quota(session: Session, owner_id: int) -> None:
    open_tasks = session.exec(_OPEN_COUNT, params={"owner_id": owner_id}).one()
    _refuse_beyond_open_task_quota(open_tasks)


def _refuse_beyond_open_task_quota(open_tasks: int) -> None:
    # The quotas are also conditions of create_statement (tests/api/test_fast_create.py).
    if open_tasks >= OPEN_TASKS_MAX:
        raise InvalidInput(
            f"You have {OPEN_TASKS_MAX:,} open tasks, the most an account can have: "
            "complete or delete some first"
        )


# Tags of tasks in the trash count too: they are the account's until purged, a restore
# always fits, and this stays one index range (a join with task here runs per write).
def _tags_in_use(owner_id: Any) -> sa.Select[Any]:
    used = select(TaskTag.tag).where(TaskTag.user_id == owner_id).distinct()
    return select(sa.func.count()).select_from(used.subquery())


_TAGS_IN_USE = _tags_in_use(sa.bindparam("owner_id"))


@functools.cache
def _tags_known(count: int) -> sa.Select[Any]:
    """Whether the owner already uses each of `count` tags: one index probe per tag (an
    EXISTS), not every row that carries them. Built once per count (issue #16)."""
    return select(
        *(
            sa.exists().where(
                TaskTag.user_id == sa.bindparam("owner_id"),
                TaskTag.tag == sa.bindparam(f"tag_{index}"),
            )
            for index in range(count)
        )
    )


def _check_tag_quota(session: Session, owner_id: int, tags: list[str]) -> None:
    if not tags:
        return
    wanted = sorted(set(tags))
    params = {f"tag_{index}": tag for index, tag in enumerate(wanted)}
    session.flush()  # as an ORM query would: pending tag rows count
    # Through the connection: a row even with one column (Session.exec would unwrap it).
    found = (
        session.connection()
        .execute(_tags_known(len(wanted)), {"owner_id": owner_id, **params})
        .one()
    )
    new = {tag for tag, known in zip(wanted, found, strict=True) if not known}
    if not new:
        return
    in_use = session.exec(_TAGS_IN_USE, params={"owner_id": owner_id}).one()
    if in_use + len(new) > TAGS_PER_USER_MAX:
        raise InvalidInput(
            f"An account can use at most {TAGS_PER_USER_MAX} different tags: "
            "reuse an existing tag or remove one from every task, the trash included, first",
            field="tags",
        )


def _set_fields(task: Task, values: Mapping[str, Any]) -> None:
    """Copy editable field values onto a task row (tags become its tag rows)."""
    for name, value in values.items():
        if name == "tags":
            _set_tags(task, value)
        elif name == "due_date":
            _set_due_date(task, value)
        else:
            setattr(task, name, value)


def _set_due_date(task: Task, due: date | None) -> None:
    # A due date the owner changes is the new anchor of a monthly or yearly repeat; the same
    # date sent again (a full replace, the details form) keeps the anchor it has.
    if due != task.due_date:
        task.due_date = due
        task.anchor_day = due.day if due else None


def _write_fields(
    session: Session, task: Task, values: Mapping[str, Any], now: datetime
) -> None:
    """Set the fields the owner sent, within the account's quotas.

    A repeating task without a due date is due on the owner's today.
    """
    if "tags" in values:
        _check_tag_quota(session, task.user_id, values["tags"])
    if values.get("project_id") is not None and values["project_id"] != task.project_id:
        check_project(session, owner_id=task.user_id, project_id=values["project_id"])
    due_before = (task.due_date, task.due_time)
    if values.get("due_date", task.due_date) is None and "due_time" not in values:
        values = {**values, "due_time": None}  # clearing the date clears its time
    _set_fields(task, values)
    if task.recurrence != Recurrence.none and task.due_date is None:
        # Otherwise the repeat badge would promise an occurrence that never comes.
        _set_due_date(task, _owner_today(session, task.user_id, now))
    if task.due_time is not None and task.due_date is None:
        raise InvalidInput("A time of day needs a due date", field="due_time")
    if (task.due_date, task.due_time) != due_before:
        task_reminders.follow_due_change(session, task, now)


def _project_takes_tasks(owner_id: Any, project_id: Any) -> sa.Exists:
    """The owner's project, not archived: one a task may be put into (`check_project`)."""
    return sa.exists().where(
        Project.id == project_id,
        Project.owner_id == owner_id,
        Project.archived.is_(False),
    )


def check_project(session: Session, *, owner_id: int, project_id: int) -> None:
    """Refuse (InvalidInput) to put a task into a project the owner lacks or has archived.

    Someone else's project reads exactly like one that does not exist. An archived project
    is read-only for new tasks, as in Todoist: its own tasks stay editable and may leave it.
    """
    project = session.exec(
        select(Project.name, Project.archived).where(
            Project.id == project_id, Project.owner_id == owner_id
        )
    ).first()
    if project is None:
        raise InvalidInput("Project not found", field="project_id")
    name, archived = project
    if archived:
        raise InvalidInput(archived_project_message(name), field="project_id")


def archived_project_message(name: str) -> str:
    """Why a task cannot go into the archived project `name` (also the quick-add chip's)."""
    return f"Project “{name}” is archived: unarchive it to add tasks"


def _touch(task: Task, now: datetime) -> None:
    """Record a change: a new version, no longer an untouched next occurrence."""
    task.updated_at = now
    task.previous_occurrence_id = None
    task.version += 1


def _apply_completion(
    session: Session, task: Task, completed: bool, now: datetime
) -> Task | None:
    """(Un)complete a task; returns the next occurrence when completing created one.

    Completing a repeating task adds its next occurrence (once); reopening it removes that
    occurrence again while nobody has changed it.
    """
    if task.completed == completed:
        return None
    if not completed:
        _check_open_task_quota(session, task.user_id)
    task.completed = completed
    task.completed_at = now if completed else None
    if not completed:
        _remove_untouched_successor(session, task)
        task_reminders.follow_reopening(session, task, now)
        return None
    successor = _add_next_occurrence(session, task, now)
    task_reminders.follow_completion(session, task, successor, now)
    return successor


def _add_next_occurrence(session: Session, task: Task, now: datetime) -> Task | None:
    """The next occurrence of a repeating task being completed, once; None for the others."""
    if (
        task.recurrence == Recurrence.none
        or task.due_date is None
        or task.next_occurrence_created
    ):
        return None
    following = next_due_date(
        task.due_date,
        task.recurrence,
        today=_owner_today(session, task.user_id, now),
        anchor_day=task.anchor_day,
    )
    if following is None:
        return None
    task.next_occurrence_created = True
    successor = _next_occurrence(task, following, now)
    session.add(successor)
    return successor


def _remove_untouched_successor(session: Session, task: Task) -> None:
    # Reopening undoes what completing did, as long as the occurrence it created is as it was
    # made; one the owner changed (or deleted) stays, and completing again creates no other.
    if not task.next_occurrence_created:
        return
    # Locked, so an edit of the occurrence that commits first (and clears its link) wins.
    successor = session.exec(
        select(Task)
        .where(
            Task.user_id == task.user_id,
            Task.previous_occurrence_id == task.id,
            Task.completed.is_(False),
            # One the owner put in the trash counts as deleted: it stays there.
            _LIVE,
        )
        .with_for_update()
    ).first()
    if successor is not None:
        task_reminders.take_back(session, successor, task)
        session.delete(successor)
        task.next_occurrence_created = False


def _editable_values(task: Task) -> dict[str, Any]:
    return {name: getattr(task, name) for name in EDITABLE_FIELDS}


def _next_occurrence(task: Task, due: date, now: datetime) -> Task:
    successor = Task(
        user_id=task.user_id,
        created_at=now,
        updated_at=now,
        previous_occurrence_id=task.id,
        # The completed one's place in the manual order (ordered after it by id): the
        # routine stays where its owner put it instead of jumping to the top.
        position=task.position,
    )
    _set_fields(successor, {**_editable_values(task), "due_date": due})
    # The clamped date (Feb 28) is not the anchor: the repeat goes back to the 31st after it.
    successor.anchor_day = task.anchor_day or task.due_date.day
    return successor


def _saved(session: Session, task: Task) -> Task:
    """Write the task now (ids, constraints) and announce the change after the commit."""
    session.add(task)
    session.flush()
    record_change(session, task.user_id)
    return task


def create_task(
    session: Session, *, owner_id: int, data: TaskCreate, now: datetime | None = None
) -> Task:
    """Add a task for the owner."""
    now = now or utcnow()
    # The quota and the place at the end in one statement: a create is the commonest write.
    open_tasks, last = session.exec(
        _OPEN_COUNT_AND_LAST_POSITION, params={"owner_id": owner_id}
    ).one()
    _refuse_beyond_open_task_quota(open_tasks)
    task = Task(
        user_id=owner_id,
        created_at=now,
        updated_at=now,
        position=_after(last),
    )
    _write_fields(session, task, dict(data), now)
    return _saved(session, task)


# The columns of a new task that `create_statement` writes from TaskCreate's fields.
_CREATED_FIELDS = tuple(name for name in EDITABLE_FIELDS if name != "tags")


def create_statement(
    *,
    owner_id: Any,
    fields: Mapping[str, Any],
    tags: Any,
    now: Any,
    allowed: sa.ColumnElement[bool],
) -> sa.Select[Any]:
    """`create_task` in one statement, on PostgreSQL: one row, the new task's `id` and
    `position` (issue #16: the unit of work cost more than the database's part of a create).

    `fields` are TaskCreate's but `tags` (an array of the normalised tags); every value
    may be a bound parameter. Nothing is written and no row comes back when `allowed` is
    false or a rule of `create_task` refuses: the quotas, a project that is not the owner's
    or is archived, a time without a date, and a repeat without a date (which `create_task`
    dates on the owner's today); `create_task` then says which.
    """
    wanted = sa.func.unnest(tags).table_valued("tag").render_derived("wanted")
    # One index probe per tag: with LIMIT the planner cannot make this a join, which with
    # a generic plan read every tag row of the owner.
    used = (
        select(sa.literal(1))
        .where(TaskTag.user_id == owner_id, TaskTag.tag == wanted.c.tag)
        .limit(1)
        .scalar_subquery()
    )
    new_tags = (
        select(sa.func.count())
        .select_from(wanted)
        .where(used.is_(None))
        .scalar_subquery()
    )
    # As _check_tag_quota: only tags the owner does not use yet count against the quota.
    tags_fit = sa.case(
        (new_tags == 0, sa.true()),
        else_=_tags_in_use(owner_id).scalar_subquery() + new_tags <= TAGS_PER_USER_MAX,
    )
    project_id, due_date = fields["project_id"], fields["due_date"]
    values: dict[str, Any] = {
        **{name: fields[name] for name in _CREATED_FIELDS},
        "user_id": owner_id,
        "anchor_day": sa.cast(sa.extract("day", due_date), sa.Integer),
        "created_at": now,
        "updated_at": now,
        # What the columns' defaults would write (an INSERT ... SELECT computes none).
        "completed": sa.false(),
        "next_occurrence_created": sa.false(),
        "version": sa.literal(1),
        "position": sa.func.coalesce(_last_position(owner_id).scalar_subquery(), 0)
        + POSITION_STEP,
    }
    source = select(*values.values()).where(
        allowed,
        _open_count(owner_id).scalar_subquery() < OPEN_TASKS_MAX,
        sa.or_(project_id.is_(None), _project_takes_tasks(owner_id, project_id)),
        sa.or_(due_date.is_not(None), fields["due_time"].is_(None)),
        sa.or_(due_date.is_not(None), fields["recurrence"] == Recurrence.none.value),
        tags_fit,
    )
    created = (
        sa.insert(Task)
        .from_select(list(values), source)
        .returning(Task.id, Task.position, Task.user_id)
        .cte("created")
    )
    tag = sa.func.unnest(tags).column_valued("tag")
    tag_rows = (
        sa.insert(TaskTag)
        .from_select(
            ["task_id", "tag", "user_id"], select(created.c.id, tag, created.c.user_id)
        )
        .cte("created_tags")
    )
    return select(created.c.id, created.c.position).add_cte(tag_rows)


def replace_task(
    session: Session,
    *,
    owner_id: int,
    task_id: int,
    data: TaskCreate,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Task:
    """Replace every editable field (fields not given take their defaults); completion stays.

    With `expected_version`, a task at another version raises VersionConflict instead.
    """
    now = now or utcnow()
    task = _owned_at_version(
        session, owner_id=owner_id, task_id=task_id, expected_version=expected_version
    )
    _write_fields(session, task, dict(data), now)
    _touch(task, now)
    return _saved(session, task)


def update_task(
    session: Session,
    *,
    owner_id: int,
    task_id: int,
    data: TaskPatch,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Task:
    """Change only the fields present in `data` (completion included); If-Match as above."""
    now = now or utcnow()
    task = _owned_at_version(
        session, owner_id=owner_id, task_id=task_id, expected_version=expected_version
    )
    changes = _patched_values(data)
    completed = changes.pop("completed", None)
    _write_fields(session, task, changes, now)
    if completed is not None:
        with session.no_autoflush:  # written once, by _saved
            _apply_completion(session, task, completed, now)
    _touch(task, now)
    return _saved(session, task)


def _patched_values(data: TaskPatch) -> dict[str, Any]:
    """The fields a patch sends; null empties a field that may be empty, others refuse it."""
    values: dict[str, Any] = {}
    for name in data.model_fields_set:
        value = getattr(data, name)
        if value is None:
            if name not in _EMPTY_VALUES:
                raise InvalidInput(f"{name} may not be null", field=name)
            value = _EMPTY_VALUES[name]
        values[name] = value
    return values


# Fields whose default is empty (no description, no tags, no due date) take null as "empty";
# fields that always hold a value (title, priority, repeat, completed) do not.
_EMPTY_VALUES: dict[str, Any] = {
    name: default
    for name, info in TaskFields.model_fields.items()
    if not info.is_required()
    and not (default := info.get_default(call_default_factory=True))
}


def toggle_task(
    session: Session,
    *,
    owner_id: int,
    task_id: int,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Task:
    """Flip completion (a repeating task's next occurrence: see `_apply_completion`)."""
    now = now or utcnow()
    task = _owned_at_version(
        session, owner_id=owner_id, task_id=task_id, expected_version=expected_version
    )
    # The task is written once, by _saved: the reads on the way need not see it first.
    with session.no_autoflush:
        _apply_completion(session, task, not task.completed, now)
    _touch(task, now)
    return _saved(session, task)


@dataclass(frozen=True)
class BulkCompletion:
    """What a "complete all" / "reopen all" did."""

    changed: int  # tasks completed or reopened
    created_ids: tuple[int, ...]  # next occurrences the completions created
    changed_ids: tuple[int, ...] = ()  # which tasks: what an undo puts back


def set_all_completed(
    session: Session,
    *,
    owner_id: int,
    completed: bool,
    query: TaskFilter | None = None,
    now: datetime | None = None,
) -> BulkCompletion:
    """(Un)complete exactly the owner's tasks that match the view's filters, on every page.

    Sort and paging of a `TaskQuery` are ignored; no query means every task. The occurrences
    that completing creates are not completed too, and reopening removes the untouched ones.
    """
    now = now or utcnow()
    # Chosen before anything changes, so the occurrences created below are not among them.
    chosen = session.exec(
        select(Task)
        .where(*_conditions(session, owner_id, query or TaskFilter(), now))
        .where(Task.completed.is_(not completed))
        .order_by(Task.id)
        .with_for_update()
    ).all()
    created: list[Task] = []
    for task in chosen:
        successor = _apply_completion(session, task, completed, now)
        if successor is not None:
            created.append(successor)
        _touch(task, now)
        session.add(task)
    session.flush()
    if chosen:
        record_change(session, owner_id)
    return BulkCompletion(
        changed=len(chosen),
        created_ids=tuple(task.id for task in created if task.id is not None),
        changed_ids=tuple(task.id for task in chosen if task.id is not None),
    )


def delete_task(
    session: Session,
    *,
    owner_id: int,
    task_id: int,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> None:
    """Move the owner's task to the trash (`restore_task` brings it back), or NotFound.

    VersionConflict when it is not at `expected_version`.
    """
    task = _owned_at_version(
        session, owner_id=owner_id, task_id=task_id, expected_version=expected_version
    )
    # Nothing else changes, so a restore gives back the task exactly as it was; the version
    # moves on, so a copy from before the delete is stale after a restore.
    task.deleted_at = now or utcnow()
    task.version += 1
    _saved(session, task)


def clear_completed(
    session: Session,
    *,
    owner_id: int,
    query: TaskFilter | None = None,
    now: datetime | None = None,
) -> int:
    """Move the owner's completed tasks that match the view's filters to the trash.

    Returns how many went. No query means every completed task; sort and paging of a
    `TaskQuery` are ignored.
    """
    now = now or utcnow()
    # The ids first, locked: what the view matched is what goes, with one deletion time.
    ids = session.exec(
        select(Task.id)
        .where(*_conditions(session, owner_id, query or TaskFilter(), now))
        .where(Task.completed.is_(True))
        .with_for_update()
    ).all()
    for offset in range(0, len(ids), _DELETE_CHUNK):
        chunk = ids[offset : offset + _DELETE_CHUNK]
        session.exec(
            sa.update(Task)
            .where(Task.user_id == owner_id, Task.id.in_(chunk))
            .values(deleted_at=now, version=Task.version + 1)
        )
    session.flush()
    if ids:
        record_change(session, owner_id)
    return len(ids)


# --- manual order ------------------------------------------------------------------------------
#
# Positions grow by POSITION_STEP over the owner's whole list (every project, the trash too):
# a task moved between two neighbours takes the middle of their gap, so a move writes one
# row; only when a gap is used up is the owner's list renumbered, once. A task is placed right
# before another in the whole list, so it is right before it in any view showing both.


def _end_position(session: Session, owner_id: int) -> int:
    """A position after every task of the owner: where a new task goes."""
    last = session.exec(_LAST_POSITION, params={"owner_id": owner_id}).one()
    return _after(last)


def _after(last_position: int | None) -> int:
    # create_statement says the same in SQL.
    return (last_position or 0) + POSITION_STEP


def _renumber(session: Session, owner_id: int) -> None:
    """Spread the owner's positions POSITION_STEP apart again, in their current order."""
    ids = session.exec(
        select(Task.id)
        .where(Task.user_id == owner_id)
        .order_by(Task.position, Task.id)
        .with_for_update()
    ).all()
    # One executemany by primary key: a single statement however long the list.
    session.execute(
        sa.update(Task),
        [
            {"id": task_id, "position": (place + 1) * POSITION_STEP}
            for place, task_id in enumerate(ids)
        ],
    )
    session.expire_all()  # rows loaded before hold their old positions


def _position_before(
    session: Session, owner_id: int, task: Task, before: Task
) -> int | None:
    """The middle of the gap between `before` and the task preceding it, or None if none is left."""
    # What lists before it in (position, id) order: a tie (two tasks created at once) has no gap.
    precedes = sa.or_(
        Task.position < before.position,
        sa.and_(Task.position == before.position, Task.id < before.id),
    )
    previous = session.exec(
        select(sa.func.max(Task.position)).where(
            Task.user_id == owner_id, precedes, Task.id != task.id
        )
    ).one()
    low = previous if previous is not None else before.position - 2 * POSITION_STEP
    if before.position - low < 2:
        return None
    return (low + before.position) // 2


def move_task(
    session: Session,
    *,
    owner_id: int,
    task_id: int,
    before_id: int | None,
) -> Task:
    """Put the owner's task right before task `before_id` in the manual order (None: last).

    NotFound when either task is not the owner's (or in the trash). Writes the moved task
    only, unless the gap is used up: then the owner's list is renumbered first.
    """
    task = _owned(session, owner_id=owner_id, task_id=task_id, for_update=True)
    if before_id is None:
        task.position = _end_position(session, owner_id)
    elif before_id != task_id:
        before = _owned(session, owner_id=owner_id, task_id=before_id)
        position = _position_before(session, owner_id, task, before)
        if position is None:
            _renumber(session, owner_id)
            task = _owned(session, owner_id=owner_id, task_id=task_id, for_update=True)
            before = _owned(session, owner_id=owner_id, task_id=before_id)
            position = _position_before(session, owner_id, task, before)
            assert position is not None  # a renumbered list has gaps everywhere
        task.position = position
    # Not `_touch`: a move is no edit of the task's fields (its ETag stays, nothing conflicts).
    return _saved(session, task)


# --- import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskImport:
    """One task to add as it was elsewhere: its fields, its state and the times it keeps."""

    fields: TaskCreate
    completed: bool = False
    completed_at: datetime | None = None
    created_at: datetime | None = None
    deleted_at: datetime | None = None


def import_tasks(
    session: Session,
    *,
    owner_id: int,
    items: Sequence[TaskImport],
    now: datetime | None = None,
) -> list[Task]:
    """Add many tasks at once, all within the account's quotas or none (InvalidInput)."""
    now = now or utcnow()
    # The quotas are checked once for the whole batch: per task, 10,000 tasks cost 20,000
    # queries. Tasks that arrive completed or in the trash are not open.
    arriving_open = sum(
        1 for item in items if not item.completed and item.deleted_at is None
    )
    if arriving_open:
        open_tasks = session.exec(
            select(sa.func.count())
            .select_from(Task)
            .where(Task.user_id == owner_id, Task.completed.is_(False), _LIVE)
        ).one()
        if open_tasks + arriving_open > OPEN_TASKS_MAX:
            raise InvalidInput(
                f"The import would give you {open_tasks + arriving_open:,} open tasks; an "
                f"account can have at most {OPEN_TASKS_MAX:,}: nothing was imported"
            )
    _check_tag_quota(
        session, owner_id, sorted({tag for item in items for tag in item.fields.tags})
    )
    # Each project once, not once per task.
    for project_id in {item.fields.project_id for item in items} - {None}:
        check_project(session, owner_id=owner_id, project_id=project_id)
    added: list[Task] = []
    position = _end_position(session, owner_id)
    for item in items:
        task = Task(
            user_id=owner_id,
            position=position,
            created_at=item.created_at or now,
            updated_at=now,
            completed=item.completed,
            completed_at=(item.completed_at or now) if item.completed else None,
            deleted_at=item.deleted_at,
        )
        values = dict(item.fields)
        _set_tags(task, values.pop("tags"))
        task.project_id = values.pop("project_id")
        _write_fields(session, task, values, now)
        # A completed repeating task arrives with its next occurrence (if it had one made)
        # in the same file: completing it again must not add a second one.
        task.next_occurrence_created = item.completed and (
            task.recurrence != Recurrence.none
        )
        added.append(task)
        position += POSITION_STEP
    session.add_all(added)
    session.flush()
    if added:
        record_change(session, owner_id)
    return added


# --- the trash ---------------------------------------------------------------------------------


def list_trash(
    session: Session, *, owner_id: int, query: TrashQuery | None = None
) -> TrashPage:
    """One page of the owner's trash, the most recently deleted first, and its size."""
    query = query or TrashQuery()
    conditions = [Task.user_id == owner_id, _TRASHED]
    rows = session.exec(
        select(Task)
        .where(*conditions)
        .order_by(Task.deleted_at.desc(), Task.id.desc())
        .offset(query.offset)
        .limit(query.limit)
    ).all()
    total = session.exec(
        select(sa.func.count()).select_from(Task).where(*conditions)
    ).one()
    return TrashPage.model_construct(
        items=[TrashedTaskPublic.of(task) for task in rows], total=total
    )


def undo_completion(
    session: Session,
    *,
    owner_id: int,
    task_ids: Collection[int],
    completed: bool,
    now: datetime | None = None,
) -> int:
    """Put back tasks that a (bulk) completion set to `completed`: each is set the other way,
    as its checkbox would, so a next occurrence the completion created goes again while it
    is untouched. Tasks gone since (deleted, or changed back already) are left alone.

    Returns how many were put back.
    """
    now = now or utcnow()
    ids = sorted(
        {
            task_id
            for task_id in task_ids
            if isinstance(task_id, int)
            and not isinstance(task_id, bool)
            and 0 < task_id <= MAX_ID
        }
    )
    restored = 0
    # The tasks a chunk at a time (one query each, locked), not one query per task.
    for offset in range(0, len(ids), _DELETE_CHUNK):
        chunk = session.exec(
            select(Task)
            .where(
                Task.user_id == owner_id,
                Task.id.in_(ids[offset : offset + _DELETE_CHUNK]),
                Task.completed.is_(completed),
                _LIVE,
            )
            .order_by(Task.id)
            .with_for_update()
        ).all()
        for task in chunk:
            _apply_completion(session, task, not completed, now)
            _touch(task, now)
            _saved(session, task)
        restored += len(chunk)
    return restored


def restore_deleted_at(session: Session, *, owner_id: int, deleted_at: datetime) -> int:
    """Bring back from the owner's trash the tasks one deletion moved there (they share its
    `deleted_at`): the undo of a delete or of "clear completed". Returns how many."""
    ids = session.exec(
        select(Task.id)
        .where(Task.user_id == owner_id, Task.deleted_at == deleted_at)
        .order_by(Task.id)
    ).all()
    for task_id in ids:
        restore_task(session, owner_id=owner_id, task_id=task_id)
    return len(ids)


def restore_task(session: Session, *, owner_id: int, task_id: int) -> Task:
    """Bring a task back from the owner's trash as it was, within the account's quotas."""
    task = _owned(
        session, owner_id=owner_id, task_id=task_id, for_update=True, trashed=True
    )
    # A task in the trash is not open: coming back open, it must fit again.
    if not task.completed:
        _check_open_task_quota(session, owner_id)
    task.deleted_at = None
    task.version += 1
    return _saved(session, task)


def delete_forever(session: Session, *, owner_id: int, task_id: int) -> None:
    """Remove a task in the owner's trash for good (with its tags), or NotFound."""
    task = _owned(
        session, owner_id=owner_id, task_id=task_id, for_update=True, trashed=True
    )
    session.delete(task)
    session.flush()
    record_change(session, owner_id)


def empty_trash(session: Session, *, owner_id: int) -> int:
    """Remove every task in the owner's trash for good (with their tags). Returns how many."""
    ids = session.exec(
        select(Task.id)
        .where(Task.user_id == owner_id, _TRASHED)
        .order_by(Task.id)
        .with_for_update()
    ).all()
    _delete_rows(session, ids)
    if ids:
        record_change(session, owner_id)
    return len(ids)


def _delete_rows(session: Session, ids: Sequence[int]) -> None:
    """Delete the tasks `ids` and their tags, a chunk at a time."""
    for offset in range(0, len(ids), _DELETE_CHUNK):
        chunk = ids[offset : offset + _DELETE_CHUNK]
        session.exec(sa.delete(TaskTag).where(TaskTag.task_id.in_(chunk)))
        session.exec(sa.delete(Task).where(Task.id.in_(chunk)))
    session.flush()


def purge_trash(
    session: Session, *, now: datetime, keep_days: int | None = None
) -> int:
    """Remove every user's tasks trashed more than `keep_days` (TODO_TRASH_DAYS) ago.

    Returns how many went; their owners' open pages are told (their trash changed).
    """
    days = keep_days if keep_days is not None else get_settings().trash_days
    cutoff = now - timedelta(days=days)
    rows = session.exec(
        select(Task.id, Task.user_id)
        .where(Task.deleted_at < cutoff)
        .order_by(Task.id)
        .with_for_update()
    ).all()
    _delete_rows(session, [task_id for task_id, _ in rows])
    for owner_id in {owner_id for _, owner_id in rows}:
        record_change(session, owner_id)
    return len(rows)
