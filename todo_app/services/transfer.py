"""Import and export: all of a user's tasks as one JSON document or CSV, and files read back.

Export writes our own format (`todo_app.export`, version 1) or CSV for spreadsheets. Import
reads our format back, and Todoist's CSV template export. A file that cannot be read as a
whole (not the format it claims, a row that cannot be read, too many tasks, a quota it would
break) raises and imports nothing; within a good file, what cannot be mapped is skipped and
listed. Projects travel by name: the export lists them and names each task's; an import
reuses a project of the same name (any case) or creates it.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError
from pydantic import Field as PydanticField
from sqlmodel import Session, select

from todo_app.errors import InvalidFile, InvalidInput, UnsupportedFormat
from todo_app.models import (
    REMINDERS_PER_TASK_MAX,
    Priority,
    Project,
    ProjectColor,
    ProjectCreate,
    ProjectName,
    Recurrence,
    Reminder,
    ReminderCreate,
    ReminderStatus,
    Task,
    TaskCreate,
    TaskFields,
    TaskTag,
    User,
    normalise_tag,
    utcnow,
)
from todo_app.services import projects, quick_add, reminders, tasks

EXPORT_FORMAT = "todo_app.export"
EXPORT_VERSION = 1
IMPORT_TASKS_MAX = 10_000
IMPORT_BYTES_MAX = 10 * 1024 * 1024
JSON_TYPE = "application/json"
CSV_TYPE = "text/csv"
CSV_COLUMNS = (
    "id",
    "title",
    "description",
    "completed",
    "priority",
    "due_date",
    "due_time",
    "tags",
    "recurrence",
    "project",
    "created_at",
    "completed_at",
)
# Todoist's PRIORITY column: 4 is its most urgent (shown as p1).
TODOIST_PRIORITY = {
    "4": Priority.high,
    "3": Priority.medium,
    "2": Priority.low,
    "1": Priority.none,
    "": Priority.none,
}
# Enough to fix a file; a file with thousands of problems is not worth listing in full.
PROBLEMS_LISTED_MAX = 50
_ECHO_MAX = 40  # characters of the file's own text quoted in a reason


@dataclass
class ImportResult:
    """What an import added and which lines (or parts of lines) it left out, and why."""

    tasks: int = 0
    projects: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)


# --- export ------------------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _all_tasks(session: Session, owner_id: int) -> list[Task]:
    # Oldest first, as they were created: an import adds them in this order again.
    return list(
        session.exec(
            select(Task)
            .where(Task.user_id == owner_id)
            .order_by(Task.created_at, Task.id)
        ).all()
    )


def _tags_by_task(session: Session, owner_id: int) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = defaultdict(list)
    for task_id, tag in session.exec(
        select(TaskTag.task_id, TaskTag.tag)
        .where(TaskTag.user_id == owner_id)
        .order_by(TaskTag.task_id, TaskTag.tag)
    ).all():
        tags[task_id].append(tag)
    return tags


def _project_names(session: Session, owner_id: int) -> dict[int, str]:
    return dict(
        session.exec(
            select(Project.id, Project.name).where(Project.owner_id == owner_id)
        ).all()
    )


def _exported_projects(session: Session, owner_id: int) -> list[dict[str, Any]]:
    return [
        {
            "name": project.name,
            "color": project.color.value,
            "position": project.position,
            "archived": project.archived,
        }
        for project in session.exec(
            select(Project)
            .where(Project.owner_id == owner_id)
            .order_by(Project.position, Project.id)
        ).all()
    ]


def _exported_task(
    task: Task,
    tags: list[str],
    reminder_rows: list[Reminder],
    project_names: dict[int, str],
) -> dict:
    return {
        "id": task.id,
        "title": task.title,
        "description": task.description,
        "completed": task.completed,
        "completed_at": _iso(task.completed_at),
        "priority": task.priority.value,
        "due_date": _iso(task.due_date),
        "due_time": task.due_time,
        "tags": tags,
        "recurrence": task.recurrence.value,
        "project": project_names.get(task.project_id) if task.project_id else None,
        "created_at": _iso(task.created_at),
        "updated_at": _iso(task.updated_at),
        "deleted_at": _iso(task.deleted_at),
        "version": task.version,
        "reminders": [
            {
                "type": reminder.type.value,
                "minutes": reminder.minutes,
                "at": _iso(reminder.at),
                "status": reminder.status.value,
            }
            for reminder in reminder_rows
        ],
    }


def export_document(
    session: Session, *, owner_id: int, now: datetime | None = None
) -> dict[str, Any]:
    """Every task of the owner (completed and trashed ones too) as our export document."""
    tags = _tags_by_task(session, owner_id)
    reminders_of: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in session.exec(
        select(Reminder)
        .where(Reminder.user_id == owner_id)
        .order_by(Reminder.fire_at, Reminder.id)
    ).all():
        reminders_of[reminder.task_id].append(reminder)
    project_names = _project_names(session, owner_id)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": (now or utcnow()).isoformat(),
        "projects": _exported_projects(session, owner_id),
        "tasks": [
            _exported_task(
                task,
                tags.get(task.id, []),
                reminders_of.get(task.id, []),
                project_names,
            )
            for task in _all_tasks(session, owner_id)
        ],
    }


def export_json(
    session: Session, *, owner_id: int, now: datetime | None = None
) -> bytes:
    """The owner's export document as UTF-8 JSON."""
    document = export_document(session, owner_id=owner_id, now=now)
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


# A cell starting with one of these is a formula to a spreadsheet (CSV injection): it is
# written with a leading apostrophe, which spreadsheets show as text and do not evaluate.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _as_text(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


def export_csv(session: Session, *, owner_id: int) -> str:
    """The owner's tasks as CSV with a header row; the trash is left out (JSON keeps it)."""
    tags = _tags_by_task(session, owner_id)
    project_names = _project_names(session, owner_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for task in _all_tasks(session, owner_id):
        if task.deleted_at is not None:
            continue
        writer.writerow(
            (
                task.id,
                _as_text(task.title),
                _as_text(task.description),
                "true" if task.completed else "false",
                task.priority.value,
                _iso(task.due_date) or "",
                task.due_time or "",
                " ".join(tags.get(task.id, [])),
                task.recurrence.value,
                _as_text(project_names.get(task.project_id, ""))
                if task.project_id
                else "",
                _iso(task.created_at),
                _iso(task.completed_at) or "",
            )
        )
    return out.getvalue()


# --- import: shared ----------------------------------------------------------------------------


def _echo(text: str) -> str:
    """A piece of the file quoted in a reason, short."""
    return text if len(text) <= _ECHO_MAX else text[: _ECHO_MAX - 1] + "…"


def _reasons(error: ValidationError) -> str:
    # Where and what, never the value itself (it may be huge or not printable).
    return "; ".join(
        f"{'.'.join(str(part) for part in issue['loc']) or 'task'}: {issue['msg']}"
        for issue in error.errors()
    )


def _refuse(problems: list[dict[str, Any]]) -> InvalidFile:
    return InvalidFile(
        "The file cannot be imported: nothing was imported",
        problems[:PROBLEMS_LISTED_MAX],
    )


def _too_many(line: int) -> InvalidFile:
    return _refuse(
        [
            {
                "line": line,
                "reason": f"more than {IMPORT_TASKS_MAX:,} tasks: split the file",
            }
        ]
    )


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def import_file(
    session: Session,
    *,
    owner_id: int,
    body: bytes,
    content_type: str | None,
    now: datetime | None = None,
) -> ImportResult:
    """Import a file for the owner in this transaction: our JSON export or Todoist's CSV.

    UnsupportedFormat for another media type; InvalidFile (nothing imported) for a file
    that cannot be read as a whole; InvalidInput when it would break a quota.
    """
    now = now or utcnow()
    media_type = _media_type(content_type)
    if media_type == JSON_TYPE:
        return _import_json(session, owner_id=owner_id, body=body, now=now)
    if media_type in (CSV_TYPE, "application/csv"):
        return _import_todoist_csv(session, owner_id=owner_id, body=body, now=now)
    raise UnsupportedFormat(
        f"Send the file as {JSON_TYPE} (this app's export) or {CSV_TYPE} "
        f"(Todoist's CSV export), not {_echo(media_type) or 'without a Content-Type'}"
    )


# --- import: our JSON --------------------------------------------------------------------------


class _ExportedReminder(ReminderCreate):
    model_config = ConfigDict(extra="ignore")

    status: ReminderStatus = ReminderStatus.pending


class _ExportedProject(BaseModel):
    model_config = ConfigDict(extra="ignore")  # its position is the order of the list

    name: ProjectName
    color: ProjectColor = ProjectColor.charcoal
    archived: bool = False


class _ExportedTask(TaskFields):
    # Ids, versions and timestamps other than these are the server's: ignored, not refused.
    model_config = ConfigDict(extra="ignore")

    project: ProjectName | None = None  # the name of its project (ids are the server's)
    completed: bool = False
    completed_at: AwareDatetime | None = None
    created_at: AwareDatetime | None = None
    deleted_at: AwareDatetime | None = None
    reminders: list[_ExportedReminder] = PydanticField(
        default_factory=list, max_length=REMINDERS_PER_TASK_MAX
    )


class _ExportHeader(BaseModel):
    format: str
    version: int
    projects: list[Any] = PydanticField(default_factory=list)
    tasks: list[Any]


def _json_document(body: bytes) -> _ExportHeader:
    try:
        document = json.loads(body)
    except json.JSONDecodeError as exc:
        raise _refuse(
            [{"line": exc.lineno, "reason": f"not valid JSON: {exc.msg}"}]
        ) from exc
    except (ValueError, RecursionError) as exc:  # not UTF-8 text, or nested too deeply
        raise _refuse([{"line": 1, "reason": "not a JSON text in UTF-8"}]) from exc
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise _refuse(
            [{"line": 1, "reason": f'not a "{EXPORT_FORMAT}" document (its "format")'}]
        )
    try:
        header = _ExportHeader.model_validate(document)
    except ValidationError as exc:
        raise _refuse([{"line": 1, "reason": _reasons(exc)}]) from exc
    if header.version != EXPORT_VERSION:
        raise _refuse(
            [
                {
                    "line": 1,
                    "reason": f"export version {header.version} is not supported "
                    f"(only {EXPORT_VERSION})",
                }
            ]
        )
    return header


def _import_json(
    session: Session, *, owner_id: int, body: bytes, now: datetime
) -> ImportResult:
    # "line" is a task's position in "tasks" (1 is the first): JSON keeps no rows.
    header = _json_document(body)
    if len(header.tasks) > IMPORT_TASKS_MAX:
        raise _too_many(IMPORT_TASKS_MAX + 1)
    problems: list[dict[str, Any]] = []
    rows: list[tuple[int, _ExportedTask]] = []
    for position, raw in enumerate(header.tasks, start=1):
        try:
            row = _ExportedTask.model_validate(raw)
        except ValidationError as exc:
            problems.append({"line": position, "reason": _reasons(exc)})
            continue
        if row.due_time is not None and row.due_date is None:
            problems.append(
                {"line": position, "reason": "due_time: a time of day needs a due date"}
            )
            continue
        rows.append((position, row))
    exported_projects: list[_ExportedProject] = []
    for position, raw in enumerate(header.projects, start=1):
        try:
            exported_projects.append(_ExportedProject.model_validate(raw))
        except ValidationError as exc:
            problems.append(
                {"line": 0, "reason": f"project {position}: {_reasons(exc)}"}
            )
    if problems:
        raise _refuse(problems)
    result = ImportResult()
    project_ids, archived_ids = _import_projects(
        session,
        owner_id=owner_id,
        wanted=[
            *exported_projects,
            *(_ExportedProject(name=row.project) for _, row in rows if row.project),
        ],
        now=now,
        result=result,
    )
    added = tasks.import_tasks(
        session,
        owner_id=owner_id,
        items=[
            tasks.TaskImport(
                fields=TaskCreate.model_validate(
                    {
                        **row.model_dump(include=_FIELD_NAMES),
                        "project_id": project_ids.get(projects.name_key(row.project))
                        if row.project
                        else None,
                    }
                ),
                completed=row.completed,
                completed_at=row.completed_at,
                created_at=row.created_at,
                deleted_at=row.deleted_at,
            )
            for _, row in rows
        ],
        now=now,
    )
    # The file's archived projects are archived once their tasks are in: an archived project
    # takes no new tasks (`tasks.check_project`), but these come back with their own.
    for project in session.exec(
        select(Project).where(
            Project.owner_id == owner_id, Project.id.in_(archived_ids)
        )
    ).all():
        project.archived = True
    owner = session.get(User, owner_id)
    assert owner is not None  # import_tasks found the owner
    for (position, row), task in zip(rows, added, strict=True):
        for reminder in row.reminders:
            data = ReminderCreate.model_validate(
                reminder.model_dump(include={"type", "minutes", "at"})
            )
            try:
                reminders.restore_reminder(
                    session,
                    task=task,
                    data=data,
                    status=reminder.status,
                    timezone=owner.timezone,
                    now=now,
                )
            except InvalidInput as exc:
                result.skipped.append(
                    {"line": position, "reason": f"a reminder left out: {exc.message}"}
                )
    session.flush()
    result.tasks = len(added)
    return result


# A project id in a file is another account's: a task's project travels by name.
_FIELD_NAMES = set(TaskFields.model_fields) - {"project_id"}


def _import_projects(
    session: Session,
    *,
    owner_id: int,
    wanted: list[_ExportedProject],
    now: datetime,
    result: ImportResult,
) -> tuple[dict[str, int], list[int]]:
    """The owner's project ids by name key, creating the named ones the owner lacks (in the
    file's order, after the owner's own); and the ids of those created that the file says
    are archived (still open: the caller archives them once their tasks are in)."""
    ids = {
        projects.name_key(name): project_id
        for name, project_id in session.exec(
            select(Project.name, Project.id).where(Project.owner_id == owner_id)
        ).all()
    }
    archived: list[int] = []
    for project in wanted:
        key = projects.name_key(project.name)
        if key in ids:
            continue
        created = projects.create_project(
            session,
            owner_id=owner_id,
            data=ProjectCreate(name=project.name, color=project.color),
            now=now,
        )
        if project.archived:
            archived.append(created.id)
        ids[key] = created.id
        result.projects += 1
    return ids, archived


# --- import: Todoist's CSV ---------------------------------------------------------------------


def _csv_rows(body: bytes) -> Any:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise _refuse([{"line": line, "reason": "not UTF-8 text"}]) from exc
    # strict: a stray quote is a row that cannot be read, not a silently different row.
    return csv.reader(io.StringIO(text, newline=""), strict=True)


def _todoist_date(
    text: str, now_local: datetime
) -> tuple[date | None, str | None, Recurrence] | None:
    """The due date, time and repeat a DATE cell says, or None when it is not understood."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is not None:
        has_time = "T" in text or " " in text
        return (
            moment.date(),
            moment.strftime("%H:%M") if has_time else None,
            (Recurrence.none),
        )
    # The quick-add reader knows Todoist's own phrases ("tomorrow", "every monday 9am");
    # only a cell it reads entirely is taken, so nothing is half understood.
    reading = quick_add.parse(text, now_local=now_local)
    if reading.title or reading.due_date is None:
        return None
    return reading.due_date, reading.due_time, reading.recurrence


def _todoist_task(
    cells: dict[str, str], line: int, now_local: datetime, result: ImportResult
) -> TaskCreate | None:
    words = cells.get("CONTENT", "").split()
    tags = [
        normalise_tag(word[1:]) for word in words if word.startswith("@") and word[1:]
    ]
    title = " ".join(word for word in words if not (word.startswith("@") and word[1:]))
    if not title:
        result.skipped.append({"line": line, "reason": "a task without a title"})
        return None
    priority = TODOIST_PRIORITY.get(cells.get("PRIORITY", "").strip())
    if priority is None:
        result.skipped.append(
            {
                "line": line,
                "reason": f'priority "{_echo(cells["PRIORITY"])}" not understood: '
                "imported without a priority",
            }
        )
        priority = Priority.none
    due_date, due_time, recurrence = None, None, Recurrence.none
    date_text = cells.get("DATE", "").strip()
    if date_text:
        when = _todoist_date(date_text, now_local)
        if when is None:
            result.skipped.append(
                {
                    "line": line,
                    "reason": f'date "{_echo(date_text)}" not understood: '
                    "imported without a due date",
                }
            )
        else:
            due_date, due_time, recurrence = when
    try:
        return TaskCreate(
            title=title,
            description=cells.get("DESCRIPTION", ""),
            priority=priority,
            tags=tags,
            due_date=due_date,
            due_time=due_time,
            recurrence=recurrence,
        )
    except ValidationError as exc:
        result.skipped.append({"line": line, "reason": _reasons(exc)})
        return None


def _import_todoist_csv(
    session: Session, *, owner_id: int, body: bytes, now: datetime
) -> ImportResult:
    owner = session.get(User, owner_id)
    if owner is None:
        raise InvalidInput("User not found")
    now_local = quick_add.local_now(owner.timezone, now)
    rows = _csv_rows(body)
    result = ImportResult()
    items: list[tasks.TaskImport] = []
    header: list[str] | None = None
    try:
        for cells in rows:
            line = rows.line_num
            if not any(cell.strip() for cell in cells):
                continue  # Todoist leaves blank lines between its rows
            if header is None:
                header = [cell.strip().upper() for cell in cells]
                if "TYPE" not in header or "CONTENT" not in header:
                    raise _refuse(
                        [
                            {
                                "line": line,
                                "reason": "not a Todoist CSV export: the first row must "
                                "name the columns TYPE and CONTENT",
                            }
                        ]
                    )
                continue
            if len(cells) > len(header):
                raise _refuse(
                    [
                        {
                            "line": line,
                            "reason": f"{len(cells)} cells where the header names "
                            f"{len(header)} columns",
                        }
                    ]
                )
            named = dict(zip(header, cells, strict=False))
            kind = named.get("TYPE", "").strip().lower()
            if kind == "meta":
                continue  # the view's settings (list or board): nothing to import
            if kind != "task":
                reason = (
                    "projects and sections are not imported: the tasks go to your Inbox"
                    if kind in ("project", "section")
                    else f'"{_echo(kind)}" rows are not imported'
                )
                result.skipped.append({"line": line, "reason": reason})
                continue
            if len(items) == IMPORT_TASKS_MAX:
                raise _too_many(line)
            task = _todoist_task(named, line, now_local, result)
            if task is not None:
                items.append(tasks.TaskImport(fields=task))
    except csv.Error as exc:
        raise _refuse(
            [{"line": rows.line_num, "reason": f"a row that cannot be read: {exc}"}]
        ) from exc
    if header is None:
        raise _refuse([{"line": 1, "reason": "an empty file"}])
    result.tasks = len(
        tasks.import_tasks(session, owner_id=owner_id, items=items, now=now)
    )
    return result
