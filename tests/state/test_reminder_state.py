"""Reminders on the task page: the bell and the toast of a fired reminder, in every tab of
its owner and no one else's, and the toast's Complete / Snooze / Dismiss."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session

from tests.builders import make_task, make_user
from tests.state.conftest import call, shown_notice, sign_in, substate
from todo_app.models import (
    Reminder,
    ReminderCreate,
    ReminderStatus,
    ReminderType,
    Task,
    User,
)
from todo_app.services import reminders
from todo_app.state.live import hub
from todo_app.state.tasks import TaskState


@pytest.fixture(autouse=True)
def _empty_hub() -> None:
    for client_token in list(hub._owner_of):
        hub.forget(client_token)


def loaded_tab(user: User, client_token: str) -> TaskState:
    """A task page of `user` in tab `client_token`, loaded as on_load would."""
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {"pathname": "/", "asPath": "/", "ip": "203.0.113.7", "token": client_token}
    )
    sign_in(root, user)
    state = substate(root, TaskState)
    assert call(state, TaskState.load_page) == []
    return state


def fired(db: Session, owner: User, task: Task, now: datetime, late: int = 1) -> int:
    """A reminder of `task` that fell due `late` minutes before `now`, claimed at `now`."""
    reminder = reminders.create_reminder(
        db,
        owner_id=owner.id,
        task_id=task.id,
        data=ReminderCreate(type="at", at=now - timedelta(minutes=late)),
        now=now - timedelta(hours=3),
    )
    db.commit()
    reminders.claim_due_reminders(db, now=now)
    db.commit()
    return reminder.id


def test_fired_reminder_reaches_every_tab_of_its_owner(
    user: User, db: Session, now: datetime
) -> None:
    task = make_task(db, user, title="Call the plumber")
    tabs = [loaded_tab(user, "tab-1"), loaded_tab(user, "tab-2")]
    reminder_id = fired(db, user, task, now)
    for tab in tabs:
        asyncio.run(tab._apply_live_change(user.id))
    assert [(t.bell_count, t.toast_id, t.toast_title) for t in tabs] == [
        (1, reminder_id, "Call the plumber")
    ] * 2
    assert [item.title for item in tabs[0].reminders] == ["Call the plumber"]


def test_another_users_reminder_never_reaches_the_tab(
    user: User, db: Session, now: datetime
) -> None:
    other = make_user(db, email="bob@example.com")
    tab = loaded_tab(user, "tab-ada")
    fired(db, other, make_task(db, other, title="Bob's secret"), now)
    asyncio.run(tab._apply_live_change(other.id))
    call(tab, TaskState.refresh)
    assert (tab.bell_count, tab.toast_id, tab.reminders) == (0, 0, [])


def test_missed_reminder_is_listed_as_missed_without_a_toast(
    user: User, db: Session, now: datetime
) -> None:
    fired(db, user, make_task(db, user, title="Late"), now, late=61)
    tab = loaded_tab(user, "tab-ada")
    assert (tab.bell_count, tab.toast_id) == (1, 0)
    assert [(item.title, item.missed) for item in tab.reminders] == [("Late", True)]


def test_opening_the_bell_reads_its_reminders(
    user: User, db: Session, now: datetime
) -> None:
    fired(db, user, make_task(db, user), now)
    tab = loaded_tab(user, "tab-ada")
    call(tab, TaskState.open_bell, True)
    assert (tab.bell_count, tab.toast_id) == (0, 0)
    assert [item.unread for item in tab.reminders] == [False]


def test_closing_the_bell_changes_nothing(
    user: User, db: Session, now: datetime
) -> None:
    fired(db, user, make_task(db, user), now)
    tab = loaded_tab(user, "tab-ada")
    call(tab, TaskState.open_bell, False)
    assert tab.bell_count == 1


def test_complete_from_the_toast_completes_the_task(
    user: User, db: Session, now: datetime
) -> None:
    task = make_task(db, user)
    reminder_id = fired(db, user, task, now)
    tab = loaded_tab(user, "tab-ada")
    call(tab, TaskState.complete_from_reminder, reminder_id, task.id)
    db.expire_all()
    assert db.get(Task, task.id).completed
    db.commit()
    assert (tab.toast_id, tab.bell_count, tab.completed_ids) == (0, 0, [task.id])


def test_complete_from_the_toast_refuses_another_users_task(
    user: User, db: Session, now: datetime
) -> None:
    other = make_user(db, email="bob@example.com")
    theirs = make_task(db, other)
    reminder_id = fired(db, user, make_task(db, user), now)
    tab = loaded_tab(user, "tab-ada")
    call(tab, TaskState.complete_from_reminder, reminder_id, theirs.id)
    db.expire_all()
    assert not db.get(Task, theirs.id).completed
    db.commit()
    assert shown_notice(tab) == "Task not found"


def test_snooze_from_the_toast_fires_again_in_ten_minutes(
    user: User, db: Session, now: datetime
) -> None:
    reminder_id = fired(db, user, make_task(db, user), now)
    tab = loaded_tab(user, "tab-ada")
    call(tab, TaskState.snooze_reminder, reminder_id)
    db.expire_all()
    row = db.get(Reminder, reminder_id)
    db.commit()
    assert (row.type, row.status, row.fire_at) == (
        ReminderType.at,
        ReminderStatus.pending,
        now + timedelta(minutes=10),
    )
    assert (tab.toast_id, tab.bell_count) == (0, 0)


def test_dismissing_the_toast_reads_only_that_reminder(
    user: User, db: Session, now: datetime
) -> None:
    first = fired(db, user, make_task(db, user), now, late=2)
    second = fired(db, user, make_task(db, user), now, late=1)
    tab = loaded_tab(user, "tab-ada")
    assert tab.toast_id == second
    call(tab, TaskState.dismiss_reminder, second)
    assert (tab.toast_id, tab.bell_count) == (first, 1)
