"""Completion history: per day of the owner's calendar, the streak, open and overdue counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from tests.builders import make_project, make_task, make_user
from todo_app.models import ProjectUpdate, TaskFilter, TaskStatus, User
from todo_app.services import projects, stats, tasks

# 10:30 UTC on June 1 is already June 2 in Kiritimati (UTC+14).
NOW = datetime(2030, 6, 1, 10, 30, tzinfo=UTC)
TODAY = date(2030, 6, 2)
ZONE = "Pacific/Kiritimati"


@pytest.fixture
def owner(session: Session) -> User:
    return make_user(session, timezone=ZONE)


def _completed_on(
    session: Session, owner: User, local_day: date, hour: int = 12
) -> int:
    """A task completed at `hour` o'clock of the owner's `local_day` (UTC+14)."""
    at = datetime(local_day.year, local_day.month, local_day.day, hour, tzinfo=UTC)
    at -= timedelta(hours=14)
    task = make_task(session, owner)
    tasks.toggle_task(session, owner_id=owner.id, task_id=task.id, now=at)
    session.commit()
    return task.id


def _stats(session: Session, owner: User, days: int = 30) -> stats.TaskStats:
    return stats.task_stats(session, owner_id=owner.id, days=days, now=NOW)


def test_days_are_exactly_n_oldest_first_ending_with_the_owners_today(
    session: Session, owner: User
) -> None:
    result = _stats(session, owner, days=30)
    assert len(result.days) == 30
    assert (result.days[0].date, result.days[-1].date) == (
        TODAY - timedelta(days=29),
        TODAY,
    )
    assert all(day.completed == 0 for day in result.days)
    assert len(_stats(session, owner, days=1).days) == 1


def test_completions_are_bucketed_in_the_owners_zone(
    session: Session, owner: User
) -> None:
    # 00:30 local on June 2 is still June 1 in UTC; 23:30 local on June 1 is June 1 in UTC.
    _completed_on(session, owner, TODAY, hour=0)
    _completed_on(session, owner, TODAY - timedelta(days=1), hour=23)
    _completed_on(session, owner, TODAY - timedelta(days=1), hour=1)
    result = _stats(session, owner, days=3)
    assert [(day.date, day.completed) for day in result.days] == [
        (TODAY - timedelta(days=2), 0),
        (TODAY - timedelta(days=1), 2),
        (TODAY, 1),
    ]


def test_completions_outside_the_window_and_in_the_trash_are_not_counted(
    session: Session, owner: User
) -> None:
    _completed_on(session, owner, TODAY - timedelta(days=3))
    trashed = _completed_on(session, owner, TODAY)
    tasks.delete_task(session, owner_id=owner.id, task_id=trashed)
    session.commit()
    assert sum(day.completed for day in _stats(session, owner, days=3).days) == 0


def test_streak_counts_days_in_a_row_up_to_today(session: Session, owner: User) -> None:
    for back in (0, 1, 2, 4):
        _completed_on(session, owner, TODAY - timedelta(days=back))
    assert _stats(session, owner).streak == 3


def test_streak_ends_yesterday_when_nothing_is_done_yet_today(
    session: Session, owner: User
) -> None:
    for back in (1, 2):
        _completed_on(session, owner, TODAY - timedelta(days=back))
    assert _stats(session, owner).streak == 2


def test_streak_is_zero_without_yesterday_or_today(
    session: Session, owner: User
) -> None:
    _completed_on(session, owner, TODAY - timedelta(days=2))
    assert _stats(session, owner).streak == 0


def test_streak_reaches_past_the_days_asked_for(session: Session, owner: User) -> None:
    for back in range(5):
        _completed_on(session, owner, TODAY - timedelta(days=back))
    assert _stats(session, owner, days=2).streak == 5


def test_open_and_overdue_counts(session: Session, owner: User) -> None:
    make_task(session, owner, due_date=TODAY - timedelta(days=1))
    make_task(session, owner, due_date=TODAY)
    make_task(session, owner)
    old = make_project(session, owner, name="Old")
    make_task(session, owner, project_id=old.id, due_date=TODAY - timedelta(days=1))
    projects.update_project(
        session, owner_id=owner.id, project_id=old.id, data=ProjectUpdate(archived=True)
    )
    _completed_on(session, owner, TODAY)
    result = _stats(session, owner)
    assert (result.open, result.overdue) == (4, 1)


def test_another_users_completions_are_not_counted(
    session: Session, owner: User
) -> None:
    other = make_user(session, timezone=ZONE)
    _completed_on(session, other, TODAY)
    result = _stats(session, owner)
    assert (result.days[-1].completed, result.streak, result.open) == (0, 0, 0)


def test_completed_history_groups_by_the_owners_day_latest_first(
    session: Session, owner: User
) -> None:
    older = _completed_on(session, owner, TODAY - timedelta(days=1), hour=23)
    early = _completed_on(session, owner, TODAY, hour=0)
    late = _completed_on(session, owner, TODAY, hour=9)
    make_task(session, owner)  # open: not in the history
    history = stats.completed_history(session, owner_id=owner.id, now=NOW)
    assert [(day.date, [task.id for task in day.tasks]) for day in history] == [
        (TODAY, [late, early]),
        (TODAY - timedelta(days=1), [older]),
    ]


def test_completed_history_covers_the_days_asked_for(
    session: Session, owner: User
) -> None:
    _completed_on(session, owner, TODAY - timedelta(days=30))
    recent = _completed_on(session, owner, TODAY - timedelta(days=29))
    history = stats.completed_history(session, owner_id=owner.id, days=30, now=NOW)
    assert [task.id for day in history for task in day.tasks] == [recent]
    more = stats.completed_history(session, owner_id=owner.id, days=60, now=NOW)
    assert sum(len(day.tasks) for day in more) == 2


def test_completed_history_leaves_out_the_trash_and_other_users(
    session: Session, owner: User
) -> None:
    gone = _completed_on(session, owner, TODAY)
    tasks.delete_task(session, owner_id=owner.id, task_id=gone)
    session.commit()
    _completed_on(session, make_user(session, timezone=ZONE), TODAY)
    assert stats.completed_history(session, owner_id=owner.id, now=NOW) == []


def test_earlier_history_is_what_show_more_would_add(
    session: Session, owner: User
) -> None:
    _completed_on(session, owner, TODAY)
    assert not stats.has_earlier_history(
        session, owner_id=owner.id, days=30, reach=365, now=NOW
    )
    _completed_on(session, owner, TODAY - timedelta(days=30))
    assert stats.has_earlier_history(
        session, owner_id=owner.id, days=30, reach=365, now=NOW
    )
    # Shown already once the history reaches that day.
    assert not stats.has_earlier_history(
        session, owner_id=owner.id, days=60, reach=365, now=NOW
    )


def test_earlier_history_ends_where_the_history_can_reach(
    session: Session, owner: User
) -> None:
    _completed_on(session, owner, TODAY - timedelta(days=400))
    assert not stats.has_earlier_history(
        session, owner_id=owner.id, days=30, reach=365, now=NOW
    )


def test_earlier_history_leaves_out_the_trash_and_other_users(
    session: Session, owner: User
) -> None:
    gone = _completed_on(session, owner, TODAY - timedelta(days=40))
    tasks.delete_task(session, owner_id=owner.id, task_id=gone)
    session.commit()
    _completed_on(
        session, make_user(session, timezone=ZONE), TODAY - timedelta(days=40)
    )
    assert not stats.has_earlier_history(
        session, owner_id=owner.id, days=30, reach=365, now=NOW
    )


def _completed_titled(
    session: Session, owner: User, local_day: date, **fields: object
) -> int:
    at = datetime(local_day.year, local_day.month, local_day.day, 12, tzinfo=UTC)
    task = make_task(session, owner, **fields)
    tasks.toggle_task(
        session, owner_id=owner.id, task_id=task.id, now=at - timedelta(hours=14)
    )
    session.commit()
    return task.id


@pytest.mark.parametrize(
    ("matching", "other"),
    [
        ({"q": "milk"}, {"title": "Walk the dog"}),
        ({"tag": "home"}, {"title": "Tagged work", "tags": ["work"]}),
        ({"priority": "high"}, {"title": "Low one", "priority": "low"}),
    ],
)
def test_earlier_history_counts_only_the_tasks_the_filters_show(
    session: Session, owner: User, matching: dict[str, str], other: dict[str, object]
) -> None:
    _completed_titled(session, owner, TODAY - timedelta(days=40), **other)
    query = TaskFilter(status=TaskStatus.completed, **matching)
    assert not stats.has_earlier_history(
        session, owner_id=owner.id, days=30, reach=365, now=NOW, query=query
    )
    _completed_titled(
        session,
        owner,
        TODAY - timedelta(days=40),
        title="Buy milk",
        tags=["home"],
        priority="high",
    )
    assert stats.has_earlier_history(
        session, owner_id=owner.id, days=30, reach=365, now=NOW, query=query
    )


@pytest.mark.parametrize(
    ("matching", "other"),
    [
        ({"q": "milk"}, {"title": "Walk the dog"}),
        ({"tag": "home"}, {"title": "Tagged work", "tags": ["work"]}),
        ({"priority": "high"}, {"title": "Low one", "priority": "low"}),
    ],
)
def test_completed_history_shows_only_the_tasks_the_filters_show(
    session: Session, owner: User, matching: dict[str, str], other: dict[str, object]
) -> None:
    wanted = _completed_titled(
        session,
        owner,
        TODAY - timedelta(days=5),
        title="Buy milk",
        tags=["home"],
        priority="high",
    )
    for _ in range(
        3
    ):  # more recent than the one wanted: the limit is of matching tasks
        _completed_titled(session, owner, TODAY - timedelta(days=1), **other)
    query = TaskFilter(status=TaskStatus.completed, **matching)
    history = stats.completed_history(
        session, owner_id=owner.id, now=NOW, limit=1, query=query
    )
    assert [task.id for day in history for task in day.tasks] == [wanted]
