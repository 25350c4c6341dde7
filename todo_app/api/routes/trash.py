"""The signed-in user's trash: deleted tasks, newest first, to restore or remove for good.

A task of another user, or one that is not in the trash, is answered like a missing one: 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field, TypeAdapter

from todo_app.api.deps import CallerDep
from todo_app.api.routes.tasks import TOTAL_COUNT_HEADER
from todo_app.api.schemas import error_responses
from todo_app.models import TaskPublic, TrashedTaskPublic, TrashQuery
from todo_app.services import tasks

router = APIRouter(prefix="/api/trash", tags=["trash"])

_TRASH_LIST = TypeAdapter(list[TrashedTaskPublic])


@router.get(
    "",
    response_model=list[TrashedTaskPublic],
    responses={
        200: {
            "headers": {
                TOTAL_COUNT_HEADER: {
                    "description": "How many tasks the trash holds, before limit/offset",
                    "schema": {"type": "integer"},
                }
            }
        },
        **error_responses(401, 422, 503),
    },
)
async def list_trash(
    query: Annotated[TrashQuery, Query()], caller: CallerDep
) -> Response:
    """Your deleted tasks with `deleted_at`, the most recently deleted first.

    They stay for TODO_TRASH_DAYS (30 by default), then go for good by themselves.
    """
    page = await caller.run(
        lambda session, user: tasks.list_trash(session, owner_id=user.id, query=query)
    )
    return Response(
        content=_TRASH_LIST.dump_json(page.items),
        media_type="application/json",
        headers={TOTAL_COUNT_HEADER: str(page.total)},
    )


@router.post("/{task_id}/restore", responses=error_responses(401, 404, 422, 503))
async def restore_task(task_id: int, caller: CallerDep) -> TaskPublic:
    """Bring a deleted task back, with its tags and every field as they were.

    422 when it no longer fits the account's limits (open tasks, different tags).
    """
    return await caller.run(
        lambda session, user: TaskPublic.of(
            tasks.restore_task(session, owner_id=user.id, task_id=task_id)
        )
    )


@router.delete(
    "/{task_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 404, 422, 503),
)
async def delete_forever(task_id: int, caller: CallerDep) -> None:
    """Remove a deleted task for good; it cannot be restored afterwards."""
    await caller.run(
        lambda session, user: tasks.delete_forever(
            session, owner_id=user.id, task_id=task_id
        )
    )


class TrashEmptied(BaseModel):
    """How many tasks emptying the trash removed for good."""

    deleted: int = Field(examples=[3])


@router.delete("", responses=error_responses(401, 503))
async def empty_trash(caller: CallerDep) -> TrashEmptied:
    """Remove every task in your trash for good; none of them can be restored afterwards."""
    deleted = await caller.run(
        lambda session, user: tasks.empty_trash(session, owner_id=user.id)
    )
    return TrashEmptied(deleted=deleted)
