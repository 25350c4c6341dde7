"""The signed-in user's tasks: list with filters, create, read, replace, patch, toggle, delete.

A task of another user is answered exactly like one that does not exist (the service decides).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import TypeAdapter

from todo_app.api.deps import CallerDep
from todo_app.api.schemas import error_responses
from todo_app.models import TaskCreate, TaskPatch, TaskPublic, TaskQuery, TaskReplace
from todo_app.services import tasks

router = APIRouter(prefix="/api/tasks", tags=["tasks"])

TOTAL_COUNT_HEADER = "X-Total-Count"
_TASK_LIST = TypeAdapter(list[TaskPublic])


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
        lambda session, user: tasks.list_tasks(session, owner_id=user.id, query=query)
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
                }
            }
        },
        **error_responses(401, 413, 422, 503),
    },
)
async def create_task(data: TaskCreate, caller: CallerDep) -> Response:
    """Add a task. Only the fields listed are accepted (no id, owner or timestamps)."""
    task = await caller.run(
        lambda session, user: TaskPublic.of(
            tasks.create_task(session, owner_id=user.id, data=data)
        )
    )
    # Serialised once; FastAPI would validate the new task again first.
    return Response(
        content=task.model_dump_json(),
        status_code=status.HTTP_201_CREATED,
        media_type="application/json",
        headers={"Location": f"{router.prefix}/{task.id}"},
    )


@router.get("/{task_id}", responses=error_responses(401, 404, 422, 503))
async def read_task(task_id: int, caller: CallerDep) -> TaskPublic:
    """One of your tasks."""
    return await caller.run(
        lambda session, user: TaskPublic.of(
            tasks.get_task(session, owner_id=user.id, task_id=task_id)
        )
    )


@router.put("/{task_id}", responses=error_responses(401, 404, 413, 422, 503))
async def replace_task(
    task_id: int, data: TaskReplace, caller: CallerDep
) -> TaskPublic:
    """Replace every editable field; optional fields left out go back to their defaults."""
    return await caller.run(
        lambda session, user: TaskPublic.of(
            tasks.replace_task(session, owner_id=user.id, task_id=task_id, data=data)
        )
    )


@router.patch("/{task_id}", responses=error_responses(401, 404, 413, 422, 503))
async def update_task(task_id: int, data: TaskPatch, caller: CallerDep) -> TaskPublic:
    """Change only the fields sent, `completed` included."""
    return await caller.run(
        lambda session, user: TaskPublic.of(
            tasks.update_task(session, owner_id=user.id, task_id=task_id, data=data)
        )
    )


@router.patch("/{task_id}/complete", responses=error_responses(401, 404, 422, 503))
async def toggle_task(task_id: int, caller: CallerDep) -> TaskPublic:
    """Flip completion; completing a recurring task with a due date adds the next one."""
    return await caller.run(
        lambda session, user: TaskPublic.of(
            tasks.toggle_task(session, owner_id=user.id, task_id=task_id)
        )
    )


@router.delete(
    "/{task_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 404, 422, 503),
)
async def delete_task(task_id: int, caller: CallerDep) -> None:
    """Delete one of your tasks."""
    await caller.run(
        lambda session, user: tasks.delete_task(
            session, owner_id=user.id, task_id=task_id
        )
    )
