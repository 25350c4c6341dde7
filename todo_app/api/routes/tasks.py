"""The signed-in user's tasks: list with filters, create (also from one line of text), read,
replace, patch, toggle, delete, and the two bulk actions on every task a filter matches.

A task of another user is answered exactly like one that does not exist (the service decides).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import (
    BaseModel,
    Field,
    TypeAdapter,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

from todo_app.api.deps import CallerDep
from todo_app.api.etags import ETAG_HEADER, IfMatch, etag, expected_version
from todo_app.api.schemas import error_responses
from todo_app.models import (
    TaskCreate,
    TaskFilter,
    TaskMove,
    TaskPatch,
    TaskPublic,
    TaskQuery,
    TaskReplace,
    TokenScope,
)
from todo_app.services import quick_add, tasks
from todo_app.services.quick_add import QuickAddPreview, QuickAddText, TaskFromText

router = APIRouter(prefix="/api/tasks", tags=["tasks"])

# What a personal access token needs on each route (a session's token may do everything).
READ = TokenScope.read
WRITE = TokenScope.write

TOTAL_COUNT_HEADER = "X-Total-Count"
_TASK_LIST = TypeAdapter(list[TaskPublic])


def _one_shape(body: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    # One line of text or the fields one by one: the body's keys say which, and only that
    # shape's problems are listed, at the places they had before text existed (body.title).
    if isinstance(body, TaskCreate | TaskFromText):
        return handler(body)
    if isinstance(body, dict) and "text" in body:
        return TaskFromText.model_validate(body)
    return TaskCreate.model_validate(body)


NewTask = Annotated[TaskCreate | TaskFromText, WrapValidator(_one_shape)]


ETAG_DOC = {
    ETAG_HEADER: {
        "description": 'The task\'s version in quotes, e.g. "3": send it as If-Match',
        "schema": {"type": "string"},
    }
}


def _one_task(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route answering one task: its ETag, and these errors."""
    return {200: {"headers": ETAG_DOC}, **error_responses(*codes)}


def _with_etag(response: Response, task: TaskPublic) -> TaskPublic:
    response.headers[ETAG_HEADER] = etag(task.version)
    return task


class BulkChange(BaseModel):
    """How many tasks a bulk action changed."""

    changed: int = Field(examples=[3])


@router.get(
    "",
    response_model=list[TaskPublic],
    responses={
        200: {
            "headers": {
                TOTAL_COUNT_HEADER: {
                    "description": "How many tasks match the filters, before limit/offset",
                    "schema": {"type": "integer"},
                }
            }
        },
        **error_responses(401, 422, 503),
    },
)
async def list_tasks(
    query: Annotated[TaskQuery, Query()], caller: CallerDep
) -> Response:
    """Your tasks, filtered, sorted and paged; unknown query parameters are refused."""
    page = await caller.run(
        lambda session, user: tasks.list_tasks(session, owner_id=user.id, query=query),
        personal_token=READ,
    )
    # Serialised once, straight from the service's models: FastAPI would validate the
    # hundred tasks of a page again before serialising them.
    return Response(
        content=_TASK_LIST.dump_json(page.items),
        media_type="application/json",
        headers={TOTAL_COUNT_HEADER: str(page.total)},
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TaskPublic,
    responses={
        201: {
            "headers": {
                "Location": {
                    "description": "The URL of the new task",
                    "schema": {"type": "string"},
                },
                **ETAG_DOC,
            }
        },
        **error_responses(401, 413, 422, 503),
    },
)
async def create_task(data: NewTask, caller: CallerDep) -> Response:
    """Add a task. Only the fields listed are accepted (no id, owner or timestamps).

    Or send one line, `{"text": "Call mom tomorrow at 6pm #family"}`, instead of `title` and
    the other fields (`description` may come with it): it is read as `POST /api/tasks/parse`
    reads it.
    """
    task = await caller.run(
        lambda session, user: TaskPublic.of(
            quick_add.create_from_text(session, owner_id=user.id, data=data)
            if isinstance(data, TaskFromText)
            else tasks.create_task(session, owner_id=user.id, data=data)
        ),
        personal_token=WRITE,
    )
    # Serialised once; FastAPI would validate the new task again first.
    return Response(
        content=task.model_dump_json(),
        status_code=status.HTTP_201_CREATED,
        media_type="application/json",
        headers={
            "Location": f"{router.prefix}/{task.id}",
            ETAG_HEADER: etag(task.version),
        },
    )


@router.post("/parse", responses=error_responses(401, 413, 422, 503))
async def parse_task(data: QuickAddText, caller: CallerDep) -> QuickAddPreview:
    """Read one line as `POST /api/tasks` with `text` would, without creating anything.

    Dates are read in your time zone. `recognised` lists the words that set a field, with
    their offsets in `text`; an `unsupported` part (a repeat such as "every weekday") stays in
    the title. 422, as the create would answer, when nothing is left for the title or
    `/Name` names one of your archived projects.
    """
    return await caller.run(
        lambda session, user: quick_add.preview_task(
            session, owner_id=user.id, text=data.text
        ),
        personal_token=READ,
    )


@router.post("/complete-all", responses=error_responses(401, 422, 503))
async def complete_all(
    query: Annotated[TaskFilter, Query()], caller: CallerDep
) -> BulkChange:
    """Complete every pending task that matches the filters (all of them, not one page).

    Takes the filters of `GET /api/tasks`; sort and paging are refused. A repeating task gets
    its next occurrence, which this call does not complete.
    """
    result = await caller.run(
        lambda session, user: tasks.set_all_completed(
            session, owner_id=user.id, completed=True, query=query
        ),
        personal_token=WRITE,
    )
    return BulkChange(changed=result.changed)


@router.post("/clear-completed", responses=error_responses(401, 422, 503))
async def clear_completed(
    query: Annotated[TaskFilter, Query()], caller: CallerDep
) -> BulkChange:
    """Delete every completed task that matches the filters (all of them, not one page).

    Takes the filters of `GET /api/tasks`; sort and paging are refused.
    """
    changed = await caller.run(
        lambda session, user: tasks.clear_completed(
            session, owner_id=user.id, query=query
        ),
        personal_token=WRITE,
    )
    return BulkChange(changed=changed)


@router.get("/{task_id}", responses=_one_task(401, 404, 422, 503))
async def read_task(task_id: int, caller: CallerDep, response: Response) -> TaskPublic:
    """One of your tasks, with its version as `ETag`."""
    task = await caller.run(
        lambda session, user: TaskPublic.of(
            tasks.get_task(session, owner_id=user.id, task_id=task_id)
        ),
        personal_token=READ,
    )
    return _with_etag(response, task)


@router.put("/{task_id}", responses=_one_task(400, 401, 404, 412, 413, 422, 503))
async def replace_task(
    task_id: int,
    data: TaskReplace,
    caller: CallerDep,
    response: Response,
    if_match: IfMatch = None,
) -> TaskPublic:
    """Replace every editable field; optional fields left out go back to their defaults.

    With `If-Match`, only while the task is at that version (412 otherwise).
    """
    version = expected_version(if_match)
    task = await caller.run(
        lambda session, user: TaskPublic.of(
            tasks.replace_task(
                session,
                owner_id=user.id,
                task_id=task_id,
                data=data,
                expected_version=version,
            )
        ),
        personal_token=WRITE,
    )
    return _with_etag(response, task)


@router.patch("/{task_id}", responses=_one_task(400, 401, 404, 412, 413, 422, 503))
async def update_task(
    task_id: int,
    data: TaskPatch,
    caller: CallerDep,
    response: Response,
    if_match: IfMatch = None,
) -> TaskPublic:
    """Change only the fields sent, `completed` included; `If-Match` as for PUT."""
    version = expected_version(if_match)
    task = await caller.run(
        lambda session, user: TaskPublic.of(
            tasks.update_task(
                session,
                owner_id=user.id,
                task_id=task_id,
                data=data,
                expected_version=version,
            )
        ),
        personal_token=WRITE,
    )
    return _with_etag(response, task)


@router.patch("/{task_id}/complete", responses=_one_task(400, 401, 404, 412, 422, 503))
async def toggle_task(
    task_id: int, caller: CallerDep, response: Response, if_match: IfMatch = None
) -> TaskPublic:
    """Flip completion; `If-Match` as for PUT.

    Completing a repeating task adds its next occurrence; reopening it removes that
    occurrence again while it is unchanged.
    """
    version = expected_version(if_match)
    task = await caller.run(
        lambda session, user: TaskPublic.of(
            tasks.toggle_task(
                session, owner_id=user.id, task_id=task_id, expected_version=version
            )
        ),
        personal_token=WRITE,
    )
    return _with_etag(response, task)


@router.delete(
    "/{task_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400, 401, 404, 412, 422, 503),
)
async def delete_task(
    task_id: int, caller: CallerDep, if_match: IfMatch = None
) -> None:
    """Move one of your tasks to the trash (`/api/trash`); `If-Match` as for PUT."""
    version = expected_version(if_match)
    await caller.run(
        lambda session, user: tasks.delete_task(
            session, owner_id=user.id, task_id=task_id, expected_version=version
        ),
        personal_token=WRITE,
    )


@router.post("/{task_id}/move", responses=_one_task(401, 404, 422, 503))
async def move_task(
    task_id: int, data: TaskMove, caller: CallerDep, response: Response
) -> TaskPublic:
    """Put the task right before task `before_id` in your manual order (`sort=manual`);
    `null` puts it last. Its version does not change: a move is not an edit."""
    task = await caller.run(
        lambda session, user: TaskPublic.of(
            tasks.move_task(
                session, owner_id=user.id, task_id=task_id, before_id=data.before_id
            )
        ),
        personal_token=WRITE,
    )
    return _with_etag(response, task)
