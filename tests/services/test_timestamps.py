"""Timestamps are stored in UTC and read back timezone-aware on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlmodel import Session

from tests.builders import make_task, make_user
from todo_app.db import get_engine
from todo_app.models import Task, TaskCreate, TaskPatch, User
from todo_app.services import tasks

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def _read_back(database_url: str, task_id: int) -> Task:
    with Session(get_engine(database_url)) as other:
        task = other.get(Task, task_id)
        assert task is not None
        return task


def test_task_timestamps_read_back_aware_utc(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    tasks.toggle_task(session, owner_id=owner.id, task_id=task.id)
    session.commit()
    stored = _read_back(database_url, task.id)
    for value in (stored.created_at, stored.updated_at, stored.completed_at):
        assert value is not None
        assert value.utcoffset() == timedelta(0)


def test_user_created_at_reads_back_aware_utc(
    session: Session, database_url: str
) -> None:
    user = make_user(session)
    with Session(get_engine(database_url)) as other:
        stored = other.get(User, user.id)
        assert stored is not None
        assert stored.created_at.utcoffset() == timedelta(0)


def test_create_task_other_time_zone_is_stored_as_the_same_instant(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)
    paris = timezone(timedelta(hours=2))
    task = tasks.create_task(
        session,
        owner_id=owner.id,
        data=TaskCreate(title="t"),
        now=datetime(2030, 6, 1, 14, 0, tzinfo=paris),
    )
    session.commit()
    assert _read_back(database_url, task.id).created_at == NOW


def test_create_task_naive_time_is_refused(session: Session) -> None:
    owner = make_user(session)
    with pytest.raises(Exception, match="naive"):
        tasks.create_task(
            session,
            owner_id=owner.id,
            data=TaskCreate(title="t"),
            now=datetime(2030, 6, 1, 12, 0),
        )


def test_create_task_sets_created_and_updated_to_now(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)
    task = tasks.create_task(
        session, owner_id=owner.id, data=TaskCreate(title="t"), now=NOW
    )
    session.commit()
    stored = _read_back(database_url, task.id)
    assert (stored.created_at, stored.updated_at) == (NOW, NOW)


def test_update_task_changes_updated_at_not_created_at(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)
    task = tasks.create_task(
        session, owner_id=owner.id, data=TaskCreate(title="t"), now=NOW
    )
    later = NOW + timedelta(hours=1)
    tasks.update_task(
        session,
        owner_id=owner.id,
        task_id=task.id,
        data=TaskPatch(title="u"),
        now=later,
    )
    session.commit()
    stored = _read_back(database_url, task.id)
    assert (stored.created_at, stored.updated_at) == (NOW, later)


def test_replace_task_changes_updated_at(session: Session, database_url: str) -> None:
    owner = make_user(session)
    task = tasks.create_task(
        session, owner_id=owner.id, data=TaskCreate(title="t"), now=NOW
    )
    later = NOW + timedelta(hours=1)
    tasks.replace_task(
        session,
        owner_id=owner.id,
        task_id=task.id,
        data=TaskCreate(title="u"),
        now=later,
    )
    session.commit()
    assert _read_back(database_url, task.id).updated_at == later


def test_toggle_task_sets_then_clears_completed_at(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    tasks.toggle_task(session, owner_id=owner.id, task_id=task.id, now=NOW)
    session.commit()
    completed_at = _read_back(database_url, task.id).completed_at
    tasks.toggle_task(session, owner_id=owner.id, task_id=task.id)
    session.commit()
    assert (completed_at, _read_back(database_url, task.id).completed_at) == (
        NOW,
        None,
    )


def test_toggle_task_keeps_microseconds(session: Session, database_url: str) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    moment = NOW.replace(microsecond=123456)
    tasks.toggle_task(session, owner_id=owner.id, task_id=task.id, now=moment)
    session.commit()
    assert _read_back(database_url, task.id).completed_at == moment
