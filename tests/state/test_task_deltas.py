"""What a one-task change sends to the browser: a few ids and counts, not the page of rows."""

from __future__ import annotations

import asyncio
import time

import reflex as rx
from reflex_base.utils.format import json_dumps
from sqlmodel import Session

from tests.state.conftest import call, open_page, sign_in, substate
from todo_app.models import TaskCreate, User
from todo_app.services import tasks
from todo_app.state.tasks import PAGE_SIZE, TaskState

TASK_COUNT = 1_000
DELTA_LIMIT_BYTES = 2_000


def add_many(db: Session, owner: User, count: int) -> None:
    """`count` tasks with every optional field filled, committed at once."""
    for number in range(count):
        tasks.create_task(
            db,
            owner_id=owner.id,
            data=TaskCreate(
                title=f"Task number {number:04}",
                description="A few words about what to do and why it matters",
                due_date="2030-01-01",
                priority="medium",
                tags=["home", "errands"],
            ),
        )
    db.commit()


def loaded(root: rx.State, user: User, path: str = "/") -> TaskState:
    """The task page of `user`, loaded, with what the load sent already delivered."""
    sign_in(root, user)
    open_page(root, path)
    state = substate(root, TaskState)
    assert call(state, TaskState.load_page) == []
    root._clean()
    return state


def sent(root: rx.State) -> str:
    """The delta the server would send now, as the JSON text that goes over the socket."""
    text = json_dumps(asyncio.run(root._get_resolved_delta()))
    root._clean()
    return text


def test_toggle_in_a_large_list_sends_a_small_delta(
    root: rx.State, user: User, db: Session
) -> None:
    add_many(db, user, TASK_COUNT)
    state = loaded(root, user)
    assert len(state.tasks) == PAGE_SIZE
    task_id = state.tasks[3].id

    started = time.perf_counter()
    call(state, TaskState.toggle, task_id)
    elapsed_ms = (time.perf_counter() - started) * 1000
    delta = sent(root)

    print(f"toggle: {len(delta)} bytes, {elapsed_ms:.1f} ms")
    assert len(delta) < DELTA_LIMIT_BYTES
    assert '"tasks_rx_state_"' not in delta  # no row was resent (the message names one)
    assert state.completed_ids == [task_id]
    assert (state.pending_count, state.completed_count) == (TASK_COUNT - 1, 1)


def test_reopening_in_a_large_list_sends_a_small_delta(
    root: rx.State, user: User, db: Session
) -> None:
    add_many(db, user, TASK_COUNT)
    state = loaded(root, user)
    task_id = state.tasks[0].id
    call(state, TaskState.toggle, task_id)
    root._clean()
    call(state, TaskState.toggle, task_id)
    delta = sent(root)
    assert len(delta) < DELTA_LIMIT_BYTES
    assert state.completed_ids == []


def test_the_live_echo_of_the_tabs_own_toggle_sends_nothing_new(
    root: rx.State, user: User, db: Session
) -> None:
    add_many(db, user, TASK_COUNT)
    state = loaded(root, user)
    call(state, TaskState.toggle, state.tasks[0].id)
    root._clean()
    # The live hub reloads every page of the user after the commit, this one included.
    asyncio.run(state._apply_live_change(user.id))
    assert "Task number" not in sent(root)


def test_toggle_under_the_active_filter_reloads_without_the_row(
    root: rx.State, user: User, db: Session
) -> None:
    add_many(db, user, 3)
    state = loaded(root, user, "/?filter=active")
    task_id = state.tasks[0].id
    call(state, TaskState.toggle, task_id)
    assert task_id not in [task.id for task in state.tasks]
    assert state.total == 2


def test_a_toggle_that_sinks_no_row_resends_neither_the_order_nor_the_open_rows(
    root: rx.State, user: User, db: Session
) -> None:
    add_many(db, user, PAGE_SIZE + 10)
    state = loaded(root, user)
    assert state.sinks and len(state.manual_ids) == PAGE_SIZE  # the Inbox, own order
    task_id = state.tasks[3].id

    call(state, TaskState.toggle, task_id)  # completed: the row stays where it is
    delta = sent(root)

    assert '"completed_ids_rx_state_"' in delta
    assert '"manual_ids_rx_state_"' not in delta
    assert '"open_rows_rx_state_"' not in delta
    assert task_id in state.manual_ids and state.open_rows == PAGE_SIZE


def test_reopening_a_sunk_row_puts_it_back_among_the_open_rows(
    root: rx.State, user: User, db: Session
) -> None:
    add_many(db, user, 3)
    done = tasks.list_tasks(db, owner_id=user.id).items[0].id
    tasks.toggle_task(db, owner_id=user.id, task_id=done)
    db.commit()
    state = loaded(root, user)
    assert done not in state.manual_ids and state.open_rows == 2

    call(state, TaskState.toggle, done)
    delta = sent(root)

    assert '"manual_ids_rx_state_"' in delta and '"open_rows_rx_state_"' in delta
    assert done in state.manual_ids and state.open_rows == 3
