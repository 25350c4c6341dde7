"""Today, Overdue, Upcoming and "no date": open tasks by due date in the owner's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlmodel import Session

from tests.builders import make_project, make_task, make_user
from todo_app.models import Priority, ProjectUpdate, TaskFilter, TaskQuery, User
from todo_app.services import projects, tasks

# 10:30 UTC on June 1 is already June 2 in Kiritimati (UTC+14).
NOW = datetime(2030, 6, 1, 10, 30, tzinfo=UTC)
TODAY = date(2030, 6, 2)


@pytest.fixture
def owner(session: Session) -> User:
    return make_user(session, timezone="Pacific/Kiritimati")


def _due(session: Session, owner: User, days: int, **fields: object) -> int:
    return make_task(session, owner, due_date=TODAY + timedelta(days=days), **fields).id


def _listed(session: Session, owner: User, **query: object) -> list[int]:
    page = tasks.list_tasks(
        session,
        owner_id=owner.id,
        query=TaskQuery(sort="due_date", order="asc", **query),
        now=NOW,
    )
    return [item.id for item in page.items]


def test_due_today_is_open_tasks_due_today_or_earlier_in_the_owners_zone(
    session: Session, owner: User
) -> None:
    late = _due(session, owner, -3)
    today = _due(session, owner, 0)
    _due(session, owner, 1)
    make_task(session, owner)  # no date
    done = _due(session, owner, 0)
    tasks.toggle_task(session, owner_id=owner.id, task_id=done)
    session.commit()
    assert _listed(session, owner, due="today") == [late, today]


def test_due_overdue_is_open_tasks_due_before_today(
    session: Session, owner: User
) -> None:
    late = _due(session, owner, -1)
    _due(session, owner, 0)
    assert _listed(session, owner, due="overdue") == [late]


def test_due_upcoming_covers_today_and_the_next_days(
    session: Session, owner: User
) -> None:
    _due(session, owner, -1)
    ids = [_due(session, owner, offset) for offset in (0, 1, 13)]
    _due(session, owner, 14)
    assert _listed(session, owner, due="upcoming") == ids
    assert _listed(session, owner, due="upcoming", days=2) == ids[:2]


@pytest.mark.parametrize("days", [0, 61])
def test_upcoming_days_must_be_1_to_60(days: int) -> None:
    with pytest.raises(ValidationError):
        TaskFilter(due="upcoming", days=days)


def test_due_none_lists_tasks_without_a_date_with_the_status_filter(
    session: Session, owner: User
) -> None:
    _due(session, owner, 0)
    open_one = make_task(session, owner).id
    done = make_task(session, owner).id
    tasks.toggle_task(session, owner_id=owner.id, task_id=done)
    session.commit()
    assert sorted(_listed(session, owner, due="none")) == [open_one, done]
    assert _listed(session, owner, due="none", status="pending") == [open_one]


def test_due_views_combine_with_other_filters(session: Session, owner: User) -> None:
    work = make_project(session, owner, name="Work")
    wanted = _due(session, owner, 0, project_id=work.id, priority="high")
    _due(session, owner, 0, priority="high")
    _due(session, owner, 0, project_id=work.id)
    assert _listed(
        session, owner, due="today", project_id=work.id, priority=Priority.high
    ) == [wanted]


def test_archived_projects_tasks_leave_today_and_upcoming(
    session: Session, owner: User
) -> None:
    old = make_project(session, owner, name="Old")
    _due(session, owner, 0, project_id=old.id)
    _due(session, owner, -1, project_id=old.id)
    kept = _due(session, owner, 0)
    projects.update_project(
        session, owner_id=owner.id, project_id=old.id, data=ProjectUpdate(archived=True)
    )
    session.commit()
    assert _listed(session, owner, due="today") == [kept]
    assert _listed(session, owner, due="upcoming") == [kept]
    assert _listed(session, owner, due="overdue") == []
    assert len(_listed(session, owner, project_id=old.id)) == 2


def test_today_follows_the_owners_zone_not_the_servers(session: Session) -> None:
    # Still May 31 in Pago Pago (UTC-11) at the same instant.
    behind = make_user(session, timezone="Pacific/Pago_Pago")
    task = make_task(session, behind, due_date=date(2030, 6, 1)).id
    assert _listed(session, behind, due="today") == []
    assert _listed(session, behind, due="upcoming") == [task]


def test_bulk_actions_take_the_due_filter(session: Session, owner: User) -> None:
    today = _due(session, owner, 0)
    later = _due(session, owner, 5)
    result = tasks.set_all_completed(
        session,
        owner_id=owner.id,
        completed=True,
        query=TaskFilter(due="today"),
        now=NOW,
    )
    session.commit()
    assert result.changed_ids == (today,)
    assert _listed(session, owner, status="pending") == [later]


def test_view_holds_a_task_when_the_views_filters_match_it(
    session: Session, owner: User
) -> None:
    old = make_project(session, owner, name="Old")
    due_now, undated = _due(session, owner, 0), make_task(session, owner).id
    archived = _due(session, owner, 0, project_id=old.id)
    projects.update_project(
        session, owner_id=owner.id, project_id=old.id, data=ProjectUpdate(archived=True)
    )
    session.commit()

    def held(task_id: int, **query: object) -> bool:
        return tasks.view_holds(
            session,
            owner_id=owner.id,
            query=TaskFilter(**query),
            task_id=task_id,
            now=NOW,
        )

    assert held(due_now, due="today")
    assert not held(undated, due="upcoming")
    assert not held(archived, due="today")
    assert held(undated, inbox=True)
    assert not held(archived, inbox=True)
    assert held(archived, project_id=old.id)
