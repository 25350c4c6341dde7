"""services.changes: a committed task change announces its owner; a rolled-back one does not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from tests.builders import make_task, make_user
from todo_app.models import TaskCreate, TaskPatch
from todo_app.services import accounts, changes, tasks


@pytest.fixture
def announced() -> Iterator[list[frozenset[int]]]:
    """Every announcement made during the test."""
    heard: list[frozenset[int]] = []
    remove = changes.add_listener(heard.append)
    yield heard
    remove()


def test_commit_of_a_new_task_announces_its_owner(
    session: Session, announced: list[frozenset[int]]
) -> None:
    owner = make_user(session)
    tasks.create_task(session, owner_id=owner.id, data=TaskCreate(title="Buy milk"))
    assert announced == []  # nothing before the commit
    session.commit()
    assert announced == [frozenset({owner.id})]


def test_rolled_back_change_announces_nothing(
    session: Session, announced: list[frozenset[int]]
) -> None:
    owner = make_user(session)
    tasks.create_task(session, owner_id=owner.id, data=TaskCreate(title="Never saved"))
    session.rollback()
    session.commit()
    assert announced == []


def test_every_task_write_announces_only_its_owner(
    session: Session, announced: list[frozenset[int]]
) -> None:
    owner, bystander = make_user(session), make_user(session)
    make_task(session, bystander)
    task = make_task(session, owner, title="Original")
    announced.clear()
    writes = [
        lambda: tasks.update_task(
            session, owner_id=owner.id, task_id=task.id, data=TaskPatch(title="Edited")
        ),
        lambda: tasks.replace_task(
            session,
            owner_id=owner.id,
            task_id=task.id,
            data=TaskCreate(title="Replaced"),
        ),
        lambda: tasks.toggle_task(session, owner_id=owner.id, task_id=task.id),
        lambda: tasks.set_all_completed(session, owner_id=owner.id, completed=False),
        lambda: tasks.toggle_task(session, owner_id=owner.id, task_id=task.id),
        lambda: tasks.clear_completed(session, owner_id=owner.id),
    ]
    for write in writes:
        write()
        session.commit()
    assert announced == [frozenset({owner.id})] * len(writes)


def test_deleting_a_task_announces_its_owner(
    session: Session, announced: list[frozenset[int]]
) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    announced.clear()
    tasks.delete_task(session, owner_id=owner.id, task_id=task.id)
    session.commit()
    assert announced == [frozenset({owner.id})]


def test_deleting_an_account_announces_its_owner(
    session: Session, announced: list[frozenset[int]]
) -> None:
    owner = make_user(session)
    announced.clear()
    accounts.delete_account(session, user_id=owner.id)
    session.commit()
    assert announced == [frozenset({owner.id})]


def test_a_failing_listener_does_not_stop_the_others(
    session: Session, announced: list[frozenset[int]]
) -> None:
    def broken(_owners: frozenset[int]) -> None:
        raise RuntimeError("listener bug")

    remove = changes.add_listener(broken)
    try:
        owner = make_user(session)
        make_task(session, owner)
    finally:
        remove()
    assert announced == [frozenset({owner.id})]
