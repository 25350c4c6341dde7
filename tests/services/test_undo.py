"""Undo at the service layer: restoring what one deletion trashed, putting completions back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from tests.builders import make_task, make_user
from todo_app.models import Recurrence, Task, TaskFilter
from todo_app.services import tasks

NOW = datetime(2030, 6, 3, 9, 0, tzinfo=UTC)


def _live_titles(session: Session, owner_id: int) -> list[str]:
    rows = session.exec(
        select(Task.title).where(Task.user_id == owner_id, Task.deleted_at.is_(None))
    ).all()
    return sorted(rows)


def test_restore_deleted_at_brings_back_exactly_one_deletions_tasks(
    session: Session,
) -> None:
    owner = make_user(session)
    earlier = make_task(session, owner, title="Earlier")
    tasks.delete_task(session, owner_id=owner.id, task_id=earlier.id, now=NOW)
    for title in ("A", "B"):
        task = make_task(session, owner, title=title)
        tasks.toggle_task(session, owner_id=owner.id, task_id=task.id)
    cleared_at = NOW + timedelta(seconds=5)
    tasks.clear_completed(
        session, owner_id=owner.id, query=TaskFilter(), now=cleared_at
    )
    assert _live_titles(session, owner.id) == []
    restored = tasks.restore_deleted_at(
        session, owner_id=owner.id, deleted_at=cleared_at
    )
    assert restored == 2
    assert _live_titles(session, owner.id) == ["A", "B"]


def test_restore_deleted_at_never_restores_another_users_tasks(
    session: Session,
) -> None:
    ada, bob = make_user(session), make_user(session)
    theirs = make_task(session, bob, title="Bob's")
    tasks.delete_task(session, owner_id=bob.id, task_id=theirs.id, now=NOW)
    assert tasks.restore_deleted_at(session, owner_id=ada.id, deleted_at=NOW) == 0
    assert _live_titles(session, bob.id) == []


def test_undo_completion_reopens_and_removes_the_untouched_occurrence(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(
        session,
        owner,
        title="Water",
        due_date=date(2030, 6, 5),
        recurrence=Recurrence.weekly,
    )
    tasks.set_all_completed(session, owner_id=owner.id, completed=True, now=NOW)
    assert len(_live_titles(session, owner.id)) == 2
    assert (
        tasks.undo_completion(
            session, owner_id=owner.id, task_ids=[task.id], completed=True, now=NOW
        )
        == 1
    )
    rows = session.exec(
        select(Task.id, Task.completed).where(Task.deleted_at.is_(None))
    ).all()
    assert rows == [(task.id, False)]


def test_undo_completion_skips_tasks_changed_back_or_gone_or_not_yours(
    session: Session,
) -> None:
    owner, other = make_user(session), make_user(session)
    reopened = make_task(session, owner, title="Reopened")
    deleted = make_task(session, owner, title="Deleted")
    theirs = make_task(session, other, title="Theirs")
    for task in (reopened, deleted):
        tasks.toggle_task(session, owner_id=owner.id, task_id=task.id)
    tasks.toggle_task(session, owner_id=other.id, task_id=theirs.id)
    tasks.toggle_task(session, owner_id=owner.id, task_id=reopened.id)
    tasks.delete_task(session, owner_id=owner.id, task_id=deleted.id)
    ids = [reopened.id, deleted.id, theirs.id, 10**9]
    assert (
        tasks.undo_completion(session, owner_id=owner.id, task_ids=ids, completed=True)
        == 0
    )
    session.expire_all()
    assert session.get(Task, theirs.id).completed is True


def test_bulk_completion_names_the_tasks_it_changed(session: Session) -> None:
    owner = make_user(session)
    one, two = make_task(session, owner), make_task(session, owner)
    done = tasks.set_all_completed(session, owner_id=owner.id, completed=True)
    assert sorted(done.changed_ids) == sorted([one.id, two.id])
