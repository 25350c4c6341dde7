"""The signed-in user's completion history: per day, the streak, open and overdue counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from todo_app.api.deps import CallerDep
from todo_app.api.schemas import error_responses
from todo_app.models import StatsQuery, TaskStats, TokenScope
from todo_app.services import stats

router = APIRouter(prefix="/api/stats", tags=["stats"])


@router.get("", responses=error_responses(401, 422, 503))
async def read_stats(
    query: Annotated[StatsQuery, Query()], caller: CallerDep
) -> TaskStats:
    """Tasks completed on each of the last `days` days (1-365, default 30) of your calendar,
    oldest first and ending today, days without completions included; `streak`: days in a
    row up to today (or yesterday, if nothing yet today) with a completion."""
    return await caller.run(
        lambda session, user: stats.task_stats(
            session, owner_id=user.id, days=query.days
        ),
        personal_token=TokenScope.read,
    )
