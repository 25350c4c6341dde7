"""Reminders of one of your tasks: add, list, delete (a task of another user is 404)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from todo_app.api.deps import CallerDep
from todo_app.api.schemas import error_responses
from todo_app.models import ReminderCreate, ReminderPublic
from todo_app.services import reminders

router = APIRouter(prefix="/api/tasks/{task_id}/reminders", tags=["tasks"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 404, 413, 422, 503),
)
async def create_reminder(
    task_id: int, data: ReminderCreate, caller: CallerDep
) -> ReminderPublic:
    """Remind you of the task: `{"type": "due"}` at its due time, `{"type": "before",
    "minutes": 60}`, or `{"type": "at", "at": "2026-12-01T09:00:00Z"}`.

    At most 5 per task. A task due on a day without a time is due at 09:00 in your time
    zone. 422 for a "due" or "before" reminder of a task without a due date, or a time that
    has passed.
    """
    return await caller.run(
        lambda session, user: ReminderPublic.of(
            reminders.create_reminder(
                session, owner_id=user.id, task_id=task_id, data=data
            )
        )
    )


@router.get("", responses=error_responses(401, 404, 422, 503))
async def list_reminders(task_id: int, caller: CallerDep) -> list[ReminderPublic]:
    """The task's reminders, soonest first."""
    return await caller.run(
        lambda session, user: [
            ReminderPublic.of(reminder)
            for reminder in reminders.list_reminders(
                session, owner_id=user.id, task_id=task_id
            )
        ]
    )


@router.delete(
    "/{reminder_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 404, 422, 503),
)
async def delete_reminder(task_id: int, reminder_id: int, caller: CallerDep) -> None:
    """Delete one of the task's reminders."""
    await caller.run(
        lambda session, user: reminders.delete_reminder(
            session, owner_id=user.id, task_id=task_id, reminder_id=reminder_id
        )
    )
