"""Tasks: every query and rule, always scoped to the owner's id."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from todo_app.errors import InvalidInput, NotFound
from todo_app.models import (
    EDITABLE_FIELDS,
    PRIORITY_RANK,
    PRIVATE_TASK_COLUMNS,
    Recurrence,
    SortField,
    SortOrder,
    Task,
    TaskCreate,
    TaskFields,
    TaskPage,
    TaskPatch,
    TaskPublic,
    TaskQuery,
    TaskStatus,
    TaskTag,
    utcnow,
)
from todo_app.services.changes import record_change

MAX_ID = 2**31 - 1  # the id columns are 32-bit integers on PostgreSQL


# --- recurrence --------------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def next_due_date(due: date, recurrence: Recurrence) -> date | None:
    """The due date one period after `due` (month ends clamp: Jan 31 -> Feb 28/29)."""
    try:
        if recurrence == Recurrence.daily:
            return due + timedelta(days=1)
        if recurrence == Recurrence.weekly:
            return due + timedelta(weeks=1)
        if recurrence == Recurrence.monthly:
            return _add_months(due, 1)
        if recurrence == Recurrence.yearly:
            return _add_months(due, 12)
    except (OverflowError, ValueError):  # past year 9999 there is no next occurrence
        return None
    return None


# --- reading -----------------------------------------------------------------------------------


def _owned(
    session: Session, *, owner_id: int, task_id: int, for_update: bool = False
) -> Task:
    # One code path for "missing" and "someone else's": nobody learns which ids exist.
    if (
        not isinstance(task_id, int)
        or isinstance(task_id, bool)
        or not 0 < task_id <= MAX_ID
    ):
        raise NotFound("Task not found")
    statement = select(Task).where(Task.id == task_id, Task.user_id == owner_id)
    if for_update:
        statement = statement.with_for_update()
    task = session.exec(statement).first()
    if task is None:
        raise NotFound("Task not found")
    return task


def get_task(session: Session, *, owner_id: int, task_id: int) -> Task:
    """The owner's task with this id, or NotFound."""
    return _owned(session, owner_id=owner_id, task_id=task_id)


def _filters(owner_id: int, query: TaskQuery) -> list[Any]:
    conditions: list[Any] = [Task.user_id == owner_id]
    if query.status == TaskStatus.pending:
        conditions.append(Task.completed.is_(False))
    elif query.status == TaskStatus.completed:
        conditions.append(Task.completed.is_(True))
    if query.priority is not None:
        conditions.append(Task.priority == query.priority)
    if query.tag is not None:
        tagged = select(TaskTag.task_id).where(
            TaskTag.user_id == owner_id, TaskTag.tag == query.tag.strip().lower()
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
    return conditions


_PRIORITY_ORDER = sa.case(
    {p.value: rank for p, rank in PRIORITY_RANK.items()}, value=Task.priority, else_=0
)


def _ordering(query: TaskQuery) -> list[Any]:
    descending = query.order == SortOrder.desc

    def directed(column: Any) -> Any:
        return column.desc() if descending else column.asc()

    if query.sort == SortField.title:
        keys = [directed(sa.func.lower(Task.title))]
    elif query.sort == SortField.due_date:
        # Tasks without a due date come last whichever the direction.
        keys = [Task.due_date.is_(None).asc(), directed(Task.due_date)]
    elif query.sort == SortField.priority:
        keys = [directed(_PRIORITY_ORDER)]
    else:
        keys = [directed(Task.created_at)]
    return [*keys, directed(Task.id)]


# Every column the public view shows, by name: a new column of `Task` comes along by itself.
_PUBLIC_COLUMNS = tuple(
    column
    for column in Task.__table__.columns
    if column.name not in PRIVATE_TASK_COLUMNS
)


def list_tasks(
    session: Session, *, owner_id: int, query: TaskQuery | None = None
) -> TaskPage:
    """One page of the owner's tasks matching the query, and the number matching in all."""
    query = query or TaskQuery()
    conditions = _filters(owner_id, query)
    # One statement for the page, each row's tags (joined with commas, which tags cannot hold)
    # and the total before paging; plain rows, not ORM objects, which cost most of the time.
    tags_of_task = (
        sa.select(sa.func.aggregate_strings(TaskTag.tag, ","))
        .where(TaskTag.task_id == Task.id)
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(
            *_PUBLIC_COLUMNS,
            tags_of_task.label("tags"),
            sa.func.count().over().label("total"),
        )
        .where(*conditions)
        .order_by(*_ordering(query))
        .offset(query.offset)
        .limit(query.limit)
    ).all()
    if rows:
        total = rows[0].total
    else:  # a page past the end still reports how many tasks match
        total = session.exec(
            select(sa.func.count()).select_from(Task).where(*conditions)
        ).one()
    items = [_public_row(row._mapping) for row in rows]
    return TaskPage.model_construct(items=items, total=total)


def _public_row(row: Mapping[str, Any]) -> TaskPublic:
    # The values come from rows the schema's own rules wrote: no need to validate again.
    fields = {name: row[name] for name in TaskPublic.model_fields if name != "tags"}
    tags = row["tags"]
    return TaskPublic.model_construct(
        **fields, tags=sorted(tags.split(",")) if tags else []
    )


@dataclass(frozen=True)
class TaskCounts:
    pending: int
    completed: int


def count_tasks(session: Session, *, owner_id: int) -> TaskCounts:
    """How many of the owner's tasks are pending and completed."""
    rows = session.exec(
        select(Task.completed, sa.func.count())
        .where(Task.user_id == owner_id)
        .group_by(Task.completed)
    ).all()
    counts = {bool(completed): number for completed, number in rows}
    return TaskCounts(pending=counts.get(False, 0), completed=counts.get(True, 0))


def list_tags(session: Session, *, owner_id: int) -> list[str]:
    """Every tag the owner uses, alphabetically."""
    return list(
        session.exec(
            select(TaskTag.tag)
            .where(TaskTag.user_id == owner_id)
            .distinct()
            .order_by(TaskTag.tag)
        ).all()
    )


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


def _apply_completion(
    session: Session, task: Task, completed: bool, now: datetime
) -> None:
    if task.completed == completed:
        return
    task.completed = completed
    task.completed_at = now if completed else None
    if (
        completed
        and task.recurrence != Recurrence.none
        and task.due_date
        and not task.next_occurrence_created
    ):
        following = next_due_date(task.due_date, task.recurrence)
        if following is not None:
            task.next_occurrence_created = True
            session.add(_next_occurrence(task, following, now))


def _set_fields(task: Task, values: Mapping[str, Any]) -> None:
    """Copy editable field values onto a task row (tags become its tag rows)."""
    for name, value in values.items():
        if name == "tags":
            _set_tags(task, value)
        else:
            setattr(task, name, value)


def _editable_values(task: Task) -> dict[str, Any]:
    return {name: getattr(task, name) for name in EDITABLE_FIELDS}


def _next_occurrence(task: Task, due: date, now: datetime) -> Task:
    successor = Task(user_id=task.user_id, created_at=now, updated_at=now)
    _set_fields(successor, {**_editable_values(task), "due_date": due})
    return successor


def create_task(
    session: Session, *, owner_id: int, data: TaskCreate, now: datetime | None = None
) -> Task:
    """Add a task for the owner."""
    now = now or utcnow()
    task = Task(user_id=owner_id, created_at=now, updated_at=now)
    _set_fields(task, dict(data))
    session.add(task)
    session.flush()
    record_change(session, owner_id)
    return task


def replace_task(
    session: Session,
    *,
    owner_id: int,
    task_id: int,
    data: TaskCreate,
    now: datetime | None = None,
) -> Task:
    """Replace every editable field (fields not given take their defaults); completion stays."""
    task = _owned(session, owner_id=owner_id, task_id=task_id, for_update=True)
    _set_fields(task, dict(data))
    task.updated_at = now or utcnow()
    session.add(task)
    session.flush()
    record_change(session, owner_id)
    return task


def update_task(
    session: Session,
    *,
    owner_id: int,
    task_id: int,
    data: TaskPatch,
    now: datetime | None = None,
) -> Task:
    """Change only the fields present in `data` (completion included)."""
    now = now or utcnow()
    task = _owned(session, owner_id=owner_id, task_id=task_id, for_update=True)
    changes = _patched_values(data)
    completed = changes.pop("completed", None)
    _set_fields(task, changes)
    if completed is not None:
        _apply_completion(session, task, completed, now)
    task.updated_at = now
    session.add(task)
    session.flush()
    record_change(session, owner_id)
    return task


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
    session: Session, *, owner_id: int, task_id: int, now: datetime | None = None
) -> Task:
    """Flip completion; completing a recurring task with a due date adds its next occurrence."""
    now = now or utcnow()
    task = _owned(session, owner_id=owner_id, task_id=task_id, for_update=True)
    _apply_completion(session, task, not task.completed, now)
    task.updated_at = now
    session.add(task)
    session.flush()
    record_change(session, owner_id)
    return task


def set_all_completed(
    session: Session, *, owner_id: int, completed: bool, now: datetime | None = None
) -> int:
    """Mark every one of the owner's tasks (un)completed; returns how many changed."""
    now = now or utcnow()
    tasks = session.exec(
        select(Task)
        .where(Task.user_id == owner_id, Task.completed.is_(not completed))
        .with_for_update()
    ).all()
    for task in tasks:
        _apply_completion(session, task, completed, now)
        task.updated_at = now
        session.add(task)
    session.flush()
    if tasks:
        record_change(session, owner_id)
    return len(tasks)


def delete_task(session: Session, *, owner_id: int, task_id: int) -> None:
    """Delete the owner's task, or NotFound."""
    task = _owned(session, owner_id=owner_id, task_id=task_id, for_update=True)
    session.delete(task)
    session.flush()
    record_change(session, owner_id)


def clear_completed(session: Session, *, owner_id: int) -> int:
    """Delete all of the owner's completed tasks; returns how many went."""
    done = select(Task.id).where(Task.user_id == owner_id, Task.completed.is_(True))
    session.exec(
        sa.delete(TaskTag).where(TaskTag.user_id == owner_id, TaskTag.task_id.in_(done))
    )
    result = session.exec(
        sa.delete(Task).where(Task.user_id == owner_id, Task.completed.is_(True))
    )
    session.flush()
    if result.rowcount:
        record_change(session, owner_id)
    return result.rowcount or 0
