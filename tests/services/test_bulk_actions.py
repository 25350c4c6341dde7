"""Bulk actions act on exactly the tasks a view matches: complete all, clear completed, counts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from todo_app.models import Task, TaskQuery, User
from todo_app.services import tasks

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)

# Each filter of a view, and the fields of one task it matches and one it does not.
FILTERS: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    "priority": ({"priority": "high"}, {"priority": "high"}, {"priority": "low"}),
    "tag": ({"tag": "home"}, {"tags": ["home"]}, {"tags": ["work"]}),
    "tag-with-hash": ({"tag": "#Home"}, {"tags": ["home"]}, {"tags": ["work"]}),
    "q": ({"q": "milk"}, {"title": "Buy milk"}, {"title": "Walk the dog"}),
    "due_before": (
        {"due_before": date(2030, 7, 1)},
        {"due_date": date(2030, 6, 15)},
        {"due_date": date(2030, 7, 15)},
    ),
    "due_after": (
        {"due_after": date(2030, 7, 1)},
        {"due_date": date(2030, 7, 15)},
        {"due_date": date(2030, 6, 15)},
    ),
}


def _stored(session: Session, owner: User) -> list[Task]:
    session.expire_all()
    return list(
        session.exec(
            select(Task)
            # Deleted tasks wait in the trash; the owner has the others.
            .where(Task.user_id == owner.id, Task.deleted_at.is_(None))
            .order_by(Task.id)
        ).all()
    )


def _complete(session: Session, task: Task) -> None:
    tasks.toggle_task(session, owner_id=task.user_id, task_id=task.id, now=NOW)
    session.commit()


# --- complete all ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILTERS)
def test_set_all_completed_completes_only_tasks_matching_the_filter(
    session: Session, name: str
) -> None:
    query, matching, other = FILTERS[name]
    owner = make_user(session)
    shown = make_task(session, owner, **matching)
    hidden = make_task(session, owner, **other)
    tasks.set_all_completed(
        session, owner_id=owner.id, completed=True, query=TaskQuery(**query), now=NOW
    )
    session.commit()
    completed = {t.id: t.completed for t in _stored(session, owner)}
    assert (completed[shown.id], completed[hidden.id]) == (True, False)


def test_set_all_completed_acts_on_every_page(session: Session) -> None:
    owner = make_user(session)
    for _ in range(3):
        make_task(session, owner)
    result = tasks.set_all_completed(
        session,
        owner_id=owner.id,
        completed=True,
        query=TaskQuery(limit=1, offset=1),
        now=NOW,
    )
    assert result.changed == 3


def test_set_all_completed_false_with_status_pending_reopens_nothing(
    session: Session,
) -> None:
    owner = make_user(session)
    _complete(session, make_task(session, owner))
    result = tasks.set_all_completed(
        session,
        owner_id=owner.id,
        completed=False,
        query=TaskQuery(status="pending"),
        now=NOW,
    )
    assert result.changed == 0


def test_set_all_completed_leaves_the_occurrences_it_creates_pending(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner, due_date=date(2030, 6, 1), recurrence="daily")
    tasks.set_all_completed(session, owner_id=owner.id, completed=True, now=NOW)
    session.commit()
    assert [(t.due_date, t.completed) for t in _stored(session, owner)] == [
        (date(2030, 6, 1), True),
        (date(2030, 6, 2), False),
    ]


def test_set_all_completed_returns_the_occurrences_it_created(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner, due_date=date(2030, 6, 1), recurrence="weekly")
    make_task(session, owner)
    result = tasks.set_all_completed(
        session, owner_id=owner.id, completed=True, now=NOW
    )
    session.commit()
    created = [t.id for t in _stored(session, owner) if not t.completed]
    assert (result.changed, list(result.created_ids)) == (2, created)


def test_set_all_completed_false_removes_the_occurrences_completing_created(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=date(2030, 6, 1), recurrence="daily")
    tasks.set_all_completed(session, owner_id=owner.id, completed=True, now=NOW)
    tasks.set_all_completed(session, owner_id=owner.id, completed=False, now=NOW)
    session.commit()
    assert [(t.id, t.completed) for t in _stored(session, owner)] == [(task.id, False)]


# --- counts for the view -----------------------------------------------------------------------


@pytest.mark.parametrize("name", FILTERS)
def test_count_matching_counts_only_tasks_matching_the_filter(
    session: Session, name: str
) -> None:
    query, matching, other = FILTERS[name]
    owner = make_user(session)
    _complete(session, make_task(session, owner, **matching))
    make_task(session, owner, **matching)
    make_task(session, owner, **other)
    counts = tasks.count_matching(session, owner_id=owner.id, query=TaskQuery(**query))
    assert (counts.pending, counts.completed) == (1, 1)


def test_count_matching_counts_every_page(session: Session) -> None:
    owner = make_user(session)
    for _ in range(3):
        make_task(session, owner)
    counts = tasks.count_matching(session, owner_id=owner.id, query=TaskQuery(limit=1))
    assert counts.pending == 3


def test_count_matching_status_pending_counts_no_completed_task(
    session: Session,
) -> None:
    owner = make_user(session)
    _complete(session, make_task(session, owner))
    counts = tasks.count_matching(
        session, owner_id=owner.id, query=TaskQuery(status="pending")
    )
    assert (counts.pending, counts.completed) == (0, 0)


def test_count_matching_excluding_the_created_occurrences_shows_all_completed(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner, due_date=date(2030, 6, 1), recurrence="daily")
    make_task(session, owner)
    result = tasks.set_all_completed(
        session, owner_id=owner.id, completed=True, now=NOW
    )
    counts = tasks.count_matching(
        session, owner_id=owner.id, excluding=result.created_ids
    )
    assert (counts.pending, counts.completed) == (0, 2)


def test_count_matching_excludes_other_users_tasks(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    make_task(session, other)
    counts = tasks.count_matching(session, owner_id=owner.id)
    assert (counts.pending, counts.completed) == (0, 0)


# --- clear completed ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILTERS)
def test_clear_completed_deletes_only_completed_tasks_matching_the_filter(
    session: Session, name: str
) -> None:
    query, matching, other = FILTERS[name]
    owner = make_user(session)
    shown = make_task(session, owner, **matching)
    hidden = make_task(session, owner, **other)
    open_shown = make_task(session, owner, **matching)
    _complete(session, shown)
    _complete(session, hidden)
    removed = tasks.clear_completed(
        session, owner_id=owner.id, query=TaskQuery(**query)
    )
    session.commit()
    kept = [t.id for t in _stored(session, owner)]
    assert (removed, kept) == (1, [hidden.id, open_shown.id])


def test_clear_completed_with_status_pending_deletes_nothing(
    session: Session,
) -> None:
    owner = make_user(session)
    _complete(session, make_task(session, owner))
    removed = tasks.clear_completed(
        session, owner_id=owner.id, query=TaskQuery(status="pending")
    )
    assert removed == 0


def test_clear_completed_acts_on_every_page(session: Session) -> None:
    owner = make_user(session)
    for _ in range(3):
        _complete(session, make_task(session, owner))
    removed = tasks.clear_completed(
        session, owner_id=owner.id, query=TaskQuery(limit=1, offset=2)
    )
    assert removed == 3


def test_clear_completed_deletes_as_many_as_count_matching_announced(
    session: Session,
) -> None:
    owner = make_user(session)
    for tags in (["home"], ["home", "work"], ["work"]):
        _complete(session, make_task(session, owner, tags=tags))
    query = TaskQuery(tag="home")
    announced = tasks.count_matching(session, owner_id=owner.id, query=query)
    removed = tasks.clear_completed(session, owner_id=owner.id, query=query)
    assert removed == announced.completed == 2


def test_clear_completed_with_tag_filter_removes_the_tasks_tags(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner, tags=["work"])
    _complete(session, make_task(session, owner, tags=["home", "work"]))
    tasks.clear_completed(session, owner_id=owner.id, query=TaskQuery(tag="home"))
    session.commit()
    assert tasks.list_tags(session, owner_id=owner.id) == ["work"]
