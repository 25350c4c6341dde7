"""The MCP tools: list, read, add, change, complete and delete the caller's tasks; list their
projects.

Each tool is one service call for the owner of the caller's bearer token, made as the REST API
makes it (`api.deps.Caller`): the same ownership, rules, scopes and live updates. A personal
access token needs the read scope for the reading tools and the write scope for the others.
Every refusal - a bad argument, a task that is not the caller's, a read-only token writing -
comes back as a tool error whose text says what to change, never as a crash.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Annotated, Any, TypeVar

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session

from todo_app.api.deps import Caller
from todo_app.errors import DomainError, InvalidInput
from todo_app.models import (
    DESCRIPTION_MAX,
    PAGE_LIMIT_MAX,
    TAG_MAX,
    TITLE_MAX,
    UPCOMING_DAYS_DEFAULT,
    UPCOMING_DAYS_MAX,
    DueFilter,
    Priority,
    ProjectPublic,
    Recurrence,
    SortField,
    SortOrder,
    TaskCreate,
    TaskPage,
    TaskPatch,
    TaskPublic,
    TaskQuery,
    TaskStatus,
    TokenScope,
    User,
)
from todo_app.services import projects, quick_add, tasks
from todo_app.services.quick_add import TaskFromText

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

# The bearer token of a tool call: the HTTP request's header, or the stdio server's token.
TokenSource = Callable[[Context], str | None]

INSTRUCTIONS = """\
Manage the user's todo list. Tasks have a title, an optional description, a due date
(YYYY-MM-DD, in the user's time zone) with an optional time (HH:MM), a priority (none, low,
medium, high), tags, a repeat (none, daily, weekly, monthly, yearly) and a project (none: the
Inbox). Find tasks with list_tasks and projects with list_projects, then use their ids with the
other tools. add_task_from_text reads one line the way the app's input box does ("Call mom
tomorrow 6pm #family !high /Work"). Deleted tasks go to the trash, where the user can restore
them in the app.
"""

READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
WRITES = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, open_world_hint=False
)
DELETES = ToolAnnotations(
    read_only_hint=False, destructive_hint=True, open_world_hint=False
)

TaskId = Annotated[int, Field(description="The task's id, as list_tasks shows it")]
TITLE_DOC = f"What to do, 1 to {TITLE_MAX} characters"
DESCRIPTION_DOC = f"Notes, at most {DESCRIPTION_MAX} characters"
DUE_DATE_DOC = "Due date as YYYY-MM-DD, in the user's time zone"
DUE_TIME_DOC = "Time of day as HH:MM (24-hour clock); needs a due date"
TAGS_DOC = f'Tags without "#", each at most {TAG_MAX} characters, e.g. ["home"]'
PROJECT_DOC = "The id of one of the user's projects, as list_projects shows it"


def _problems(error: ValidationError) -> str:
    """One line per broken rule, naming the argument: what an assistant needs to retry."""
    return "; ".join(
        f"{'.'.join(str(part) for part in problem['loc']) or 'arguments'}: {problem['msg']}"
        for problem in error.errors(include_url=False)
    )


def _validated(schema: type[M], values: Mapping[str, Any]) -> M:
    """`schema` built from tool arguments, its rules broken reported as a tool error."""
    try:
        return schema.model_validate(dict(values))
    except ValidationError as error:
        raise ToolError(f"Invalid arguments: {_problems(error)}") from error


def _sent_arguments(ctx: Context) -> set[str]:
    """The names of the arguments the client sent, null ones included (not the defaults)."""
    params = ctx.request_context.params or {}
    arguments = params.get("arguments") or {}
    return set(arguments) if isinstance(arguments, Mapping) else set()


class TaskTools:
    """The tools, acting for the owner of the token `token_of` finds for each call."""

    def __init__(self, token_of: TokenSource) -> None:
        self._token_of = token_of

    async def _run(
        self, ctx: Context, work: Callable[[Session, User], T], scope: TokenScope
    ) -> T:
        caller = Caller(token=self._token_of(ctx))
        try:
            return await caller.run(work, personal_token=scope)
        except InvalidInput as error:
            # Name the argument, as a broken schema rule does ("project_id: ...").
            where = f"{error.field}: " if error.field else ""
            raise ToolError(f"{where}{error.message}") from error
        except DomainError as error:
            raise ToolError(error.message) from error

    async def list_tasks(
        self,
        ctx: Context,
        status: Annotated[
            TaskStatus,
            Field(description="pending (the default), completed, or all"),
        ] = TaskStatus.pending,
        q: Annotated[
            str | None, Field(description="Words to find in the title or description")
        ] = None,
        tag: Annotated[
            str | None, Field(description="Only tasks with this tag")
        ] = None,
        priority: Annotated[
            Priority | None, Field(description="Only tasks of this priority")
        ] = None,
        due_before: Annotated[
            date | None, Field(description="Only tasks due before this date")
        ] = None,
        due_after: Annotated[
            date | None, Field(description="Only tasks due after this date")
        ] = None,
        due: Annotated[
            DueFilter | None,
            Field(
                description="By the user's today: today (open tasks due today or "
                "earlier), overdue (open, due before today), upcoming (open, due from "
                "today for `days` days), none (no due date). Tasks of archived projects "
                "are left out of the first three"
            ),
        ] = None,
        days: Annotated[
            int,
            Field(
                description=f"How many days due=upcoming covers, 1 to {UPCOMING_DAYS_MAX}"
            ),
        ] = UPCOMING_DAYS_DEFAULT,
        project_id: Annotated[
            int | None,
            Field(
                description=f"{PROJECT_DOC}: only its tasks (a project that is not the "
                "user's matches nothing)"
            ),
        ] = None,
        inbox: Annotated[
            bool, Field(description="true: only the tasks without a project")
        ] = False,
        sort: Annotated[SortField, Field(description="Sort by")] = SortField.created,
        order: Annotated[SortOrder, Field(description="asc or desc")] = SortOrder.desc,
        limit: Annotated[
            int, Field(description=f"How many tasks at most, 1 to {PAGE_LIMIT_MAX}")
        ] = 50,
        offset: Annotated[int, Field(description="How many to skip (paging)")] = 0,
    ) -> TaskPage:
        """The user's tasks matching the filters, one page, and how many match in all."""
        query = _validated(
            TaskQuery,
            {
                "status": status,
                "q": q,
                "tag": tag,
                "priority": priority,
                "due_before": due_before,
                "due_after": due_after,
                "due": due,
                "days": days,
                "project_id": project_id,
                "inbox": inbox,
                "sort": sort,
                "order": order,
                "limit": limit,
                "offset": offset,
            },
        )
        return await self._run(
            ctx,
            lambda session, user: tasks.list_tasks(
                session, owner_id=user.id, query=query
            ),
            TokenScope.read,
        )

    async def list_projects(
        self,
        ctx: Context,
        include_archived: Annotated[
            bool, Field(description="true: archived projects too")
        ] = False,
    ) -> list[ProjectPublic]:
        """The user's projects in the app's sidebar order, each with how many open tasks it
        holds (`open_count`)."""
        return await self._run(
            ctx,
            lambda session, user: projects.list_projects(
                session, owner_id=user.id, include_archived=include_archived
            ),
            TokenScope.read,
        )

    async def get_task(self, ctx: Context, task_id: TaskId) -> TaskPublic:
        """One task with every field."""
        return await self._run(
            ctx,
            lambda session, user: TaskPublic.of(
                tasks.get_task(session, owner_id=user.id, task_id=task_id)
            ),
            TokenScope.read,
        )

    async def list_tags(self, ctx: Context) -> list[str]:
        """Every tag the user's tasks have, alphabetically."""
        return await self._run(
            ctx,
            lambda session, user: tasks.list_tags(session, owner_id=user.id),
            TokenScope.read,
        )

    async def add_task(
        self,
        ctx: Context,
        title: Annotated[str, Field(description=TITLE_DOC)],
        description: Annotated[str, Field(description=DESCRIPTION_DOC)] = "",
        due_date: Annotated[date | None, Field(description=DUE_DATE_DOC)] = None,
        due_time: Annotated[str | None, Field(description=DUE_TIME_DOC)] = None,
        priority: Annotated[
            Priority, Field(description="none, low, medium or high")
        ] = Priority.none,
        tags: Annotated[list[str] | None, Field(description=TAGS_DOC)] = None,
        recurrence: Annotated[
            Recurrence,
            Field(description="Repeat: none, daily, weekly, monthly or yearly"),
        ] = Recurrence.none,
        project_id: Annotated[
            int | None, Field(description=f"{PROJECT_DOC}; none: the Inbox")
        ] = None,
    ) -> TaskPublic:
        """Add a task; returns it with its id."""
        data = _validated(
            TaskCreate,
            {
                "title": title,
                "description": description,
                "due_date": due_date,
                "due_time": due_time,
                "priority": priority,
                "tags": tags or [],
                "recurrence": recurrence,
                "project_id": project_id,
            },
        )
        return await self._run(
            ctx,
            lambda session, user: TaskPublic.of(
                tasks.create_task(session, owner_id=user.id, data=data)
            ),
            TokenScope.write,
        )

    async def add_task_from_text(
        self,
        ctx: Context,
        text: Annotated[
            str,
            Field(
                description="One line as typed in the app, e.g. "
                '"Pay rent every month on the 1st #home !high": dates, times, '
                "repeats, #tags and !priority are read out of it"
            ),
        ],
        description: Annotated[str, Field(description=DESCRIPTION_DOC)] = "",
    ) -> TaskPublic:
        """Add the task one line of text describes, read in the user's time zone."""
        data = _validated(TaskFromText, {"text": text, "description": description})
        return await self._run(
            ctx,
            lambda session, user: TaskPublic.of(
                quick_add.create_from_text(session, owner_id=user.id, data=data)
            ),
            TokenScope.write,
        )

    async def update_task(
        self,
        ctx: Context,
        task_id: TaskId,
        title: Annotated[str | None, Field(description=TITLE_DOC)] = None,
        description: Annotated[
            str | None, Field(description=f"{DESCRIPTION_DOC}; null empties it")
        ] = None,
        due_date: Annotated[
            date | None, Field(description=f"{DUE_DATE_DOC}; null removes it")
        ] = None,
        due_time: Annotated[
            str | None, Field(description=f"{DUE_TIME_DOC}; null removes it")
        ] = None,
        priority: Annotated[
            Priority | None, Field(description="none, low, medium or high")
        ] = None,
        tags: Annotated[
            list[str] | None,
            Field(description=f"{TAGS_DOC}; replaces the task's tags, null empties"),
        ] = None,
        recurrence: Annotated[
            Recurrence | None,
            Field(description="Repeat: none, daily, weekly, monthly or yearly"),
        ] = None,
        completed: Annotated[
            bool | None, Field(description="true completes, false reopens")
        ] = None,
        project_id: Annotated[
            int | None,
            Field(description=f"{PROJECT_DOC}: moves the task there; null: the Inbox"),
        ] = None,
    ) -> TaskPublic:
        """Change only the fields given; the others stay as they are."""
        values = {
            "title": title,
            "description": description,
            "due_date": due_date,
            "due_time": due_time,
            "priority": priority,
            "tags": tags,
            "recurrence": recurrence,
            "completed": completed,
            "project_id": project_id,
        }
        sent = _sent_arguments(ctx)
        data = _validated(
            TaskPatch, {name: value for name, value in values.items() if name in sent}
        )
        return await self._run(
            ctx,
            lambda session, user: TaskPublic.of(
                tasks.update_task(session, owner_id=user.id, task_id=task_id, data=data)
            ),
            TokenScope.write,
        )

    async def complete_task(self, ctx: Context, task_id: TaskId) -> TaskPublic:
        """Mark a task done (a repeating task gets its next occurrence)."""
        done = TaskPatch(completed=True)
        return await self._run(
            ctx,
            lambda session, user: TaskPublic.of(
                tasks.update_task(session, owner_id=user.id, task_id=task_id, data=done)
            ),
            TokenScope.write,
        )

    async def delete_task(self, ctx: Context, task_id: TaskId) -> str:
        """Move a task to the trash (the user can restore it in the app)."""
        await self._run(
            ctx,
            lambda session, user: tasks.delete_task(
                session, owner_id=user.id, task_id=task_id
            ),
            TokenScope.write,
        )
        return f"Task {task_id} is in the trash."


@contextlib.contextmanager
def _logging_left_alone() -> Iterator[None]:
    # The SDK's constructor calls logging.basicConfig, which would give a root logger without
    # handlers its own (Rich) handler and level: how the app logs is the app's choice.
    # basicConfig does nothing while the root logger has a handler.
    root = logging.getLogger()
    placeholder = logging.NullHandler()
    root.addHandler(placeholder)
    try:
        yield
    finally:
        root.removeHandler(placeholder)


def build_server(token_of: TokenSource) -> MCPServer:
    """An MCP server with the task tools, acting for the token `token_of` gives per call."""
    with _logging_left_alone():
        server = MCPServer("todo_app", instructions=INSTRUCTIONS, version="1.0.0")
    tools = TaskTools(token_of)
    for tool, hints in (
        (tools.list_tasks, READ_ONLY),
        (tools.get_task, READ_ONLY),
        (tools.list_tags, READ_ONLY),
        (tools.list_projects, READ_ONLY),
        (tools.add_task, WRITES),
        (tools.add_task_from_text, WRITES),
        (tools.update_task, WRITES),
        (tools.complete_task, WRITES),
        (tools.delete_task, DELETES),
    ):
        server.add_tool(tool, annotations=hints)
    return server
