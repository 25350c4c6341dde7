"""Completion history: tasks completed per day of the owner's calendar, the streak, what is open."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from todo_app.errors import NotFound
from todo_app.models import (
    STATS_DAYS_DEFAULT,
    DayCompletions,
    DueFilter,
    Task,
    TaskFilter,
    TaskPublic,
    TaskStats,
    User,
    utcnow,
)
from todo_app.services import tasks

# How far back one look for the start of a streak reaches; a longer streak reads on.
_STREAK_CHUNK_DAYS = 366


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    """The instant (UTC) the owner's `day` begins."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _completions_by_day(
    session: Session, owner_id: int, zone: ZoneInfo, first: date, last: date
) -> Counter[date]:
    """How many of the owner's tasks (not in the trash) were completed on each day."""
    instants = session.exec(
        select(Task.completed_at).where(
            Task.user_id == owner_id,
            Task.completed.is_(True),
            Task.deleted_at.is_(None),
            Task.completed_at >= _start_of(first, zone),
            Task.completed_at < _start_of(last + timedelta(days=1), zone),
        )
    ).all()
    return Counter(instant.astimezone(zone).date() for instant in instants if instant)


def _streak(
    session: Session,
    owner_id: int,
    zone: ZoneInfo,
    today: date,
    known: Counter[date],
    known_from: date,
) -> int:
    """Days in a row with a completion, ending today (or yesterday when none yet today)."""
    day = today if known[today] else today - timedelta(days=1)
    streak = 0
    while True:
        if day < known_from:  # read further back, a chunk at a time
            first = known_from - timedelta(days=_STREAK_CHUNK_DAYS)
            known = known + _completions_by_day(
                session, owner_id, zone, first, known_from - timedelta(days=1)
            )
            if not any(first <= d < known_from for d in known):
                return streak
            known_from = first
        if not known[day]:
            return streak
        streak += 1
        day -= timedelta(days=1)


def task_stats(
    session: Session,
    *,
    owner_id: int,
    days: int = STATS_DAYS_DEFAULT,
    now: datetime | None = None,
) -> TaskStats:
    """The last `days` days of the owner's calendar (oldest first, ending today) with how many
    tasks were completed on each, the current streak, and the open and overdue counts.

    Completions are bucketed by the owner's time zone; tasks in the trash are not counted.
    "overdue" leaves out archived projects' tasks, as `?due=overdue` does.
    """
    now = now or utcnow()
    owner = session.get(User, owner_id)
    if owner is None:
        raise NotFound("User not found")
    zone = ZoneInfo(owner.timezone)
    today = tasks.local_today(owner.timezone, now)
    first = today - timedelta(days=days - 1)
    completed = _completions_by_day(session, owner_id, zone, first, today)
    history = [
        DayCompletions(date=day, completed=completed[day])
        for day in (first + timedelta(days=offset) for offset in range(days))
    ]
    overdue = tasks.count_matching(
        session, owner_id=owner_id, query=TaskFilter(due=DueFilter.overdue), now=now
    ).pending
    return TaskStats(
        days=history,
        streak=_streak(session, owner_id, zone, today, completed, first),
        overdue=overdue,
        open=tasks.count_tasks(session, owner_id=owner_id).pending,
    )


@dataclass(frozen=True)
class CompletedDay:
    """The tasks completed on one day of the owner's calendar, the latest first."""

    date: date
    tasks: list[TaskPublic]


COMPLETED_HISTORY_MAX = 500  # tasks one history holds at most (the most recent)


def _completed(owner_id: int) -> tuple[Any, ...]:
    """The owner's completed tasks, not those in the trash."""
    return (
        Task.user_id == owner_id,
        Task.completed.is_(True),
        Task.deleted_at.is_(None),
    )


def _history_start(
    session: Session, owner_id: int, days: int, now: datetime
) -> tuple[ZoneInfo, datetime]:
    """The owner's zone, and the instant the history of the last `days` days begins."""
    owner = session.get(User, owner_id)
    if owner is None:
        raise NotFound("User not found")
    zone = ZoneInfo(owner.timezone)
    first = tasks.local_today(owner.timezone, now) - timedelta(days=days - 1)
    return zone, _start_of(first, zone)


def completed_history(
    session: Session,
    *,
    owner_id: int,
    days: int = STATS_DAYS_DEFAULT,
    now: datetime | None = None,
    limit: int = COMPLETED_HISTORY_MAX,
    query: TaskFilter | None = None,
) -> list[CompletedDay]:
    """The owner's tasks completed in the last `days` days (today included), grouped by the
    day of their calendar they were completed on, the latest day first; days without any are
    left out. At most `limit` tasks, the most recent. "Show more" asks again with more days.
    With `query`, only tasks that pass its filters (search, tag, priority), as in the lists.
    """
    now = now or utcnow()
    zone, start = _history_start(session, owner_id, days, now)
    filters = (
        tasks.view_conditions(session, owner_id, query, now)
        if query is not None
        else []
    )
    rows = session.exec(
        select(Task)
        .where(*_completed(owner_id), *filters, Task.completed_at >= start)
        .order_by(Task.completed_at.desc(), Task.id.desc())
        .limit(limit)
    ).all()
    history: list[CompletedDay] = []
    for task in rows:
        assert task.completed_at is not None  # the query asked for one
        day = task.completed_at.astimezone(zone).date()
        if not history or history[-1].date != day:
            history.append(CompletedDay(date=day, tasks=[]))
        history[-1].tasks.append(TaskPublic.of(task))
    return history


def has_earlier_history(
    session: Session,
    *,
    owner_id: int,
    days: int,
    reach: int,
    now: datetime | None = None,
    query: TaskFilter | None = None,
) -> bool:
    """Whether the owner completed a task (not in the trash) in the days before the history
    of the last `days` days, within the last `reach` days: whether "Show more" adds any.
    With `query`, only tasks that pass its filters (search, tag, priority) count."""
    now = now or utcnow()
    _zone, start = _history_start(session, owner_id, days, now)
    _zone, reached = _history_start(session, owner_id, reach, now)
    filters = (
        tasks.view_conditions(session, owner_id, query, now)
        if query is not None
        else []
    )
    earlier = session.exec(
        select(Task.id)
        .where(
            *_completed(owner_id),
            *filters,
            Task.completed_at < start,
            Task.completed_at >= reached,
        )
        .limit(1)
    ).first()
    return earlier is not None
