"""The trash page's state: it lists the user's deleted tasks, restores them, deletes them
forever after asking, and follows changes live."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
import reflex as rx
from sqlmodel import Session, select

from tests.builders import make_project, make_task, make_user
from tests.state.conftest import (
    call,
    fetch,
    open_page,
    shown_notice,
    sign_in,
    substate,
)
from todo_app.models import Task, User
from todo_app.services import tasks
from todo_app.state import trash as trash_state
from todo_app.state.live import LiveHub, hub
from todo_app.state.tasks import TaskState
from todo_app.state.trash import TrashState

# 23:30 UTC on June 1 is already June 2 in Auckland.
DELETED_AT = datetime(2030, 6, 1, 23, 30, tzinfo=UTC)


def trashed(db: Session, user: User, title: str, *, at: datetime = DELETED_AT) -> Task:
    """A task of `user` in the trash since `at`."""
    task = make_task(db, user, title=title)
    tasks.delete_task(db, owner_id=user.id, task_id=task.id, now=at)
    db.commit()
    return task


def loaded(root: rx.State, user: User) -> TrashState:
    """The trash page of `user`, loaded as the browser's on_load would."""
    sign_in(root, user)
    open_page(root, "/trash")
    state = substate(root, TrashState)
    call(state, TrashState.load_trash)
    return state


def shown(state: TrashState) -> list[str]:
    """The titles the trash shows, in order."""
    return [row.title for row in state.rows]


def live_titles(db: Session, user: User) -> list[str]:
    """The titles of `user`'s tasks that are not in the trash."""
    return fetch(
        db,
        select(Task.title)
        .where(Task.user_id == user.id, Task.deleted_at.is_(None))
        .order_by(Task.id),
    )


@pytest.fixture(autouse=True)
def _empty_hub() -> None:
    for client_token in list(hub._owner_of):
        hub.forget(client_token)


@pytest.fixture
def trash_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The trash page's clock, stopped at 00:30 UTC on June 4 (12:30 on June 4 in Auckland)."""
    now = datetime(2030, 6, 4, 0, 30, tzinfo=UTC)
    monkeypatch.setattr(trash_state, "utcnow", lambda: now)
    return now


def test_load_trash_lists_deleted_tasks_newest_first_on_the_users_calendar(
    root: rx.State, db: Session, trash_clock: datetime
) -> None:
    user = make_user(db, timezone="Pacific/Auckland")
    trashed(db, user, "Older", at=DELETED_AT - timedelta(days=1))
    trashed(db, user, "Newer")
    make_task(db, user, title="Not deleted")
    state = loaded(root, user)
    assert [(row.title, row.deleted, row.deleted_on) for row in state.rows] == [
        ("Newer", "Deleted 2 days ago", "Sunday, 2 June 2030"),
        ("Older", "Deleted 3 days ago", "Saturday, 1 June 2030"),
    ]
    assert (state.total, state.loading) == (2, False)


def test_load_trash_says_when_each_task_was_deleted_in_words(
    root: rx.State, db: Session, trash_clock: datetime
) -> None:
    user = make_user(db, timezone="UTC")
    for title, days in (("Today", 0), ("Yesterday", 1), ("Week", 6), ("Long", 9)):
        trashed(db, user, title, at=trash_clock - timedelta(days=days))
    trashed(db, user, "Last year", at=trash_clock - timedelta(days=400))
    state = loaded(root, user)
    assert [row.deleted for row in state.rows] == [
        "Deleted today",
        "Deleted yesterday",
        "Deleted 6 days ago",
        "Deleted on 26 May",
        "Deleted on 30 Apr 2029",
    ]


def test_load_trash_without_a_session_shows_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    trashed(db, user, "Secret")
    open_page(root, "/trash")
    state = substate(root, TrashState)
    call(state, TrashState.load_trash)
    assert state.rows == []


def test_load_trash_shows_only_the_users_own_trash(
    root: rx.State, user: User, db: Session
) -> None:
    other = make_user(db)
    trashed(db, other, "Bob's")
    assert shown(loaded(root, user)) == []


def test_restore_puts_the_task_back_in_the_list(
    root: rx.State, user: User, db: Session
) -> None:
    task = trashed(db, user, "Pay rent")
    state = loaded(root, user)
    call(state, TrashState.restore, task.id)
    assert shown(state) == []
    assert live_titles(db, user) == ["Pay rent"]


def test_restore_of_another_users_task_changes_nothing_and_says_not_found(
    root: rx.State, user: User, db: Session
) -> None:
    other = make_user(db)
    theirs = trashed(db, other, "Bob's")
    state = loaded(root, user)
    call(state, TrashState.restore, theirs.id)
    assert live_titles(db, other) == []
    assert "not found" in shown_notice(state).lower()


def test_restore_beyond_a_limit_keeps_the_task_in_the_trash_and_says_why(
    root: rx.State, user: User, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "OPEN_TASKS_MAX", 1)
    task = trashed(db, user, "Pay rent")
    make_task(db, user, title="Open")
    state = loaded(root, user)
    call(state, TrashState.restore, task.id)
    assert shown(state) == ["Pay rent"]
    assert "open tasks" in shown_notice(state)


def test_delete_forever_asks_first_then_removes_the_task(
    root: rx.State, user: User, db: Session
) -> None:
    task = trashed(db, user, "Old draft")
    state = loaded(root, user)
    call(state, TrashState.ask_delete_forever, task.id)
    assert (state.confirm_forever_id, state.confirm_forever_title) == (
        task.id,
        "Old draft",
    )
    assert fetch(db, select(Task.id)) == [task.id]  # nothing happened yet
    call(state, TrashState.confirm_delete_forever)
    assert (state.confirm_forever_id, shown(state)) == (0, [])
    assert fetch(db, select(Task.id)) == []


def test_cancel_delete_forever_keeps_the_task_in_the_trash(
    root: rx.State, user: User, db: Session
) -> None:
    task = trashed(db, user, "Old draft")
    state = loaded(root, user)
    call(state, TrashState.ask_delete_forever, task.id)
    call(state, TrashState.cancel_delete_forever)
    assert (state.confirm_forever_id, shown(state)) == (0, ["Old draft"])
    assert fetch(db, select(Task.id)) == [task.id]


def test_ask_delete_forever_of_a_task_not_shown_asks_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    other = make_user(db)
    theirs = trashed(db, other, "Bob's")
    state = loaded(root, user)
    call(state, TrashState.ask_delete_forever, theirs.id)
    call(state, TrashState.confirm_delete_forever)
    assert state.confirm_forever_id == 0
    assert fetch(db, select(Task.id)) == [theirs.id]


def test_empty_trash_asks_first_then_removes_only_the_users_trash(
    root: rx.State, user: User, db: Session
) -> None:
    other = make_user(db)
    theirs = trashed(db, other, "Bob's")
    mine = [trashed(db, user, title).id for title in ("Old draft", "Older draft")]
    kept = make_task(db, user, title="Still to do")
    state = loaded(root, user)
    call(state, TrashState.ask_empty_trash)
    assert state.confirm_empty
    assert sorted(fetch(db, select(Task.id))) == sorted([theirs.id, *mine, kept.id])
    call(state, TrashState.confirm_empty_trash)
    assert (state.confirm_empty, shown(state), state.total) == (False, [], 0)
    assert shown_notice(state) == "2 tasks deleted forever"
    assert sorted(fetch(db, select(Task.id))) == sorted([theirs.id, kept.id])


def test_cancel_empty_trash_keeps_every_task(
    root: rx.State, user: User, db: Session
) -> None:
    trashed(db, user, "Old draft")
    state = loaded(root, user)
    call(state, TrashState.ask_empty_trash)
    call(state, TrashState.cancel_empty_trash)
    call(state, TrashState.confirm_empty_trash)  # a late click of the closed dialog
    assert (state.confirm_empty, shown(state)) == (False, ["Old draft"])


def test_a_task_deleted_on_the_task_page_appears_in_the_trash_live(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    trashed(db, user, "Deleted elsewhere")
    asyncio.run(state._apply_live_change(user.id))
    assert shown(state) == ["Deleted elsewhere"]


def test_load_trash_makes_the_hub_refresh_the_tab_as_a_trash_page(
    root: rx.State, user: User
) -> None:
    loaded(root, user)
    token = root.router.session.client_token
    assert hub.watched_pages(user.id) == {token}
    assert hub._state_of[token] is TrashState


def test_back_on_the_task_page_the_hub_refreshes_the_tab_as_a_task_page(
    root: rx.State, user: User
) -> None:
    loaded(root, user)
    open_page(root, "/")
    call(substate(root, TaskState), TaskState.load_page)
    assert root.router.session.client_token not in hub._state_of


# --- the hub refreshes each tab through the state of the page it shows --------------------------


class FakePage:
    """Records which page state applied a live change for which tab."""

    applied: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, client_token: str) -> None:
        self.client_token = client_token

    async def _apply_live_change(self, user_id: int) -> None:
        FakePage.applied.append((type(self).__name__, self.client_token))


class FakeTrashPage(FakePage):
    """The trash page's stand-in."""


class FakeApp:
    """Just enough of rx.App: the state of the class the hub asks for."""

    event_namespace = None

    @contextlib.asynccontextmanager
    async def modify_state(self, token: Any) -> AsyncIterator[FakePage]:
        yield token.cls(token.ident)


def test_hub_refreshes_each_tab_through_the_page_state_it_watches(
    user: User,
) -> None:
    FakePage.applied = []
    local_hub = LiveHub()

    async def scenario() -> None:
        async with local_hub.running(FakeApp(), FakePage):  # type: ignore[arg-type]
            local_hub.watch(user.id, "tasks-tab")
            local_hub.watch(user.id, "trash-tab", FakeTrashPage)
            local_hub._deliver(frozenset({user.id}))
            async with asyncio.timeout(5):
                while len(FakePage.applied) < 2:
                    await asyncio.sleep(0)  # yields to the hub's push task; bounded

    asyncio.run(scenario())
    assert sorted(FakePage.applied) == [
        ("FakePage", "tasks-tab"),
        ("FakeTrashPage", "trash-tab"),
    ]


def test_a_project_made_elsewhere_reaches_the_sidebar_beside_the_trash(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    make_project(db, user, name="Garden")
    asyncio.run(state._apply_live_change(user.id))
    assert [p.name for p in substate(root, TaskState).projects] == ["Garden"]
