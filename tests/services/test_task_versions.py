"""A task's version: bumped by every change, and the compare-and-set behind If-Match."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from tests.services.test_concurrency import THREADS, _at_once
from todo_app.db import session_scope
from todo_app.errors import NotFound, VersionConflict
from todo_app.models import Task, TaskCreate, TaskFilter, TaskPatch
from todo_app.services import tasks

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def _version(session: Session, task_id: int) -> int:
    session.expire_all()
    return session.exec(select(Task.version).where(Task.id == task_id)).one()


def test_create_task_starts_at_version_1(session: Session) -> None:
    owner = make_user(session)
    assert make_task(session, owner).version == 1


# Each change as the UI and the API make it, without If-Match.
CHANGES: dict[str, Callable[[Session, int, int], Any]] = {
    "replace": lambda s, owner, task: tasks.replace_task(
        s, owner_id=owner, task_id=task, data=TaskCreate(title="New")
    ),
    "patch": lambda s, owner, task: tasks.update_task(
        s, owner_id=owner, task_id=task, data=TaskPatch(priority="high")
    ),
    "patch-completed": lambda s, owner, task: tasks.update_task(
        s, owner_id=owner, task_id=task, data=TaskPatch(completed=True)
    ),
    "toggle": lambda s, owner, task: tasks.toggle_task(s, owner_id=owner, task_id=task),
    "complete-all": lambda s, owner, _task: tasks.set_all_completed(
        s, owner_id=owner, completed=True
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_bumps_the_version(session: Session, change: str) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    CHANGES[change](session, owner.id, task.id)
    session.commit()
    assert _version(session, task.id) == 2


def test_toggle_back_bumps_the_version_again(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    tasks.toggle_task(session, owner_id=owner.id, task_id=task.id)
    tasks.toggle_task(session, owner_id=owner.id, task_id=task.id)
    session.commit()
    assert _version(session, task.id) == 3


def test_reopen_all_bumps_each_reopened_task(session: Session) -> None:
    owner = make_user(session)
    done = make_task(session, owner)
    tasks.toggle_task(session, owner_id=owner.id, task_id=done.id)
    tasks.set_all_completed(session, owner_id=owner.id, completed=False)
    session.commit()
    assert _version(session, done.id) == 3


def test_complete_all_leaves_tasks_it_does_not_change_at_their_version(
    session: Session,
) -> None:
    owner = make_user(session)
    matched = make_task(session, owner, tags=["work"])
    other = make_task(session, owner, tags=["home"])
    tasks.set_all_completed(
        session, owner_id=owner.id, completed=True, query=TaskFilter(tag="work")
    )
    session.commit()
    assert (_version(session, matched.id), _version(session, other.id)) == (2, 1)


def test_next_occurrence_starts_at_version_1(session: Session) -> None:
    owner = make_user(session)
    task = make_task(
        session, owner, due_date=date(2030, 6, 1), recurrence="daily", now=NOW
    )
    tasks.toggle_task(session, owner_id=owner.id, task_id=task.id, now=NOW)
    session.commit()
    successor = session.exec(
        select(Task).where(Task.previous_occurrence_id == task.id)
    ).one()
    assert successor.version == 1


# --- If-Match: expected_version --------------------------------------------------------------

CONDITIONAL: dict[str, Callable[[Session, int, int, int], Any]] = {
    "replace": lambda s, owner, task, v: tasks.replace_task(
        s,
        owner_id=owner,
        task_id=task,
        data=TaskCreate(title="New"),
        expected_version=v,
    ),
    "patch": lambda s, owner, task, v: tasks.update_task(
        s, owner_id=owner, task_id=task, data=TaskPatch(title="New"), expected_version=v
    ),
    "toggle": lambda s, owner, task, v: tasks.toggle_task(
        s, owner_id=owner, task_id=task, expected_version=v
    ),
    "delete": lambda s, owner, task, v: tasks.delete_task(
        s, owner_id=owner, task_id=task, expected_version=v
    ),
}


@pytest.mark.parametrize("change", CONDITIONAL)
def test_change_at_the_expected_version_is_made(session: Session, change: str) -> None:
    owner = make_user(session)
    task = make_task(session, owner, title="Old")
    CONDITIONAL[change](session, owner.id, task.id, 1)
    session.commit()
    session.expire_all()
    changed = session.get(Task, task.id)
    assert changed is not None
    assert changed.version == 2
    if change == "delete":
        assert changed.deleted_at is not None  # in the trash
    else:
        assert (changed.title, changed.completed) != ("Old", False)


@pytest.mark.parametrize("change", CONDITIONAL)
def test_change_at_a_stale_version_raises_conflict_with_the_current_task(
    session: Session, change: str
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, title="Old")
    tasks.update_task(
        session, owner_id=owner.id, task_id=task.id, data=TaskPatch(title="Theirs")
    )
    session.commit()
    with pytest.raises(VersionConflict) as raised:
        CONDITIONAL[change](session, owner.id, task.id, 1)
    session.rollback()
    assert raised.value.version == 2
    assert (raised.value.current.title, raised.value.current.version) == ("Theirs", 2)
    kept = session.get(Task, task.id)
    assert (kept.title, kept.version, kept.completed) == ("Theirs", 2, False)


@pytest.mark.parametrize("change", CONDITIONAL)
def test_change_with_a_version_of_another_users_task_is_not_found(
    session: Session, change: str
) -> None:
    owner, other = make_user(session), make_user(session)
    theirs = make_task(session, other)
    for version in (1, 2):
        with pytest.raises(NotFound):
            CONDITIONAL[change](session, owner.id, theirs.id, version)


def test_conflict_is_raised_before_anything_changes(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, title="Old", tags=["a"])
    with pytest.raises(VersionConflict):
        tasks.update_task(
            session,
            owner_id=owner.id,
            task_id=task.id,
            data=TaskPatch(title="New", tags=["b"]),
            expected_version=5,
        )
    session.rollback()
    kept = session.get(Task, task.id)
    assert (kept.title, kept.tags, kept.version) == ("Old", ["a"], 1)


def test_concurrent_changes_with_the_same_version_only_one_wins(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, title="Start")

    def change(index: int) -> int:
        with session_scope(database_url) as db:
            return tasks.update_task(
                db,
                owner_id=owner.id,
                task_id=task.id,
                data=TaskPatch(title=f"Writer {index}"),
                expected_version=1,
            ).version

    results = _at_once(change)
    won = [result for result in results if isinstance(result, int)]
    refused = [result for result in results if isinstance(result, VersionConflict)]
    assert (won, len(refused)) == ([2], THREADS - 1)
    assert _version(session, task.id) == 2


def test_concurrent_delete_and_edit_at_the_same_version_only_one_wins(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)
    task = make_task(session, owner)

    def change(index: int) -> str:
        with session_scope(database_url) as db:
            if index % 2:
                tasks.delete_task(
                    db, owner_id=owner.id, task_id=task.id, expected_version=1
                )
                return "deleted"
            tasks.toggle_task(
                db, owner_id=owner.id, task_id=task.id, expected_version=1
            )
            return "toggled"

    results = _at_once(change)
    winners = [result for result in results if isinstance(result, str)]
    losers = [r for r in results if isinstance(r, VersionConflict | NotFound)]
    assert len(winners) == 1
    assert len(losers) == THREADS - 1
