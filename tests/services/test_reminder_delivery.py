"""Delivering reminders: each due reminder is claimed once, late ones are missed, reminders of
trashed or completed tasks are cancelled; the bell's list, "seen" and snoozing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from todo_app.db import get_engine
from todo_app.errors import NotFound
from todo_app.models import (
    CancelReason,
    Reminder,
    ReminderCreate,
    ReminderStatus,
    ReminderType,
    User,
)
from todo_app.services import changes, reminders, tasks

SET_AT = datetime(2030, 6, 1, 6, 0, tzinfo=UTC)
FIRES = datetime(2030, 6, 1, 10, 0, tzinfo=UTC)


def _at(session: Session, owner: User, task_id: int, when: datetime) -> Reminder:
    reminder = reminders.create_reminder(
        session,
        owner_id=owner.id,
        task_id=task_id,
        data=ReminderCreate(type="at", at=when),
        now=SET_AT,
    )
    session.commit()
    return reminder


def _status(session: Session, reminder_id: int) -> tuple[Any, Any]:
    session.expire_all()
    row = session.get(Reminder, reminder_id)
    assert row is not None
    return row.status, row.cancel_reason


def _claim(session: Session, now: datetime) -> list[int]:
    claimed = [r.id for r in reminders.claim_due_reminders(session, now=now)]
    session.commit()
    return claimed


def test_claim_sends_a_due_reminder_once(session: Session) -> None:
    owner = make_user(session)
    reminder = _at(session, owner, make_task(session, owner).id, FIRES)
    assert _claim(session, FIRES) == [reminder.id]
    assert _claim(session, FIRES + timedelta(seconds=1)) == []
    assert _status(session, reminder.id) == (ReminderStatus.sent, None)


def test_claim_leaves_a_reminder_not_yet_due(session: Session) -> None:
    owner = make_user(session)
    reminder = _at(session, owner, make_task(session, owner).id, FIRES)
    assert _claim(session, FIRES - timedelta(seconds=1)) == []
    assert _status(session, reminder.id) == (ReminderStatus.pending, None)


def test_claim_delivers_a_reminder_up_to_an_hour_late(session: Session) -> None:
    owner = make_user(session)
    reminder = _at(session, owner, make_task(session, owner).id, FIRES)
    _claim(session, FIRES + timedelta(hours=1))
    assert _status(session, reminder.id) == (ReminderStatus.sent, None)


def test_claim_marks_a_reminder_over_an_hour_late_missed(session: Session) -> None:
    owner = make_user(session)
    reminder = _at(session, owner, make_task(session, owner).id, FIRES)
    assert _claim(session, FIRES + timedelta(hours=1, seconds=1)) == [reminder.id]
    assert _status(session, reminder.id) == (ReminderStatus.missed, None)


def test_claim_cancels_the_reminder_of_a_trashed_task(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    reminder = _at(session, owner, task.id, FIRES)
    tasks.delete_task(session, owner_id=owner.id, task_id=task.id, now=SET_AT)
    session.commit()
    _claim(session, FIRES)
    assert _status(session, reminder.id) == (
        ReminderStatus.cancelled,
        CancelReason.trashed,
    )


def test_claim_cancels_the_reminder_of_a_completed_task(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    reminder = _at(session, owner, task.id, FIRES)
    # Behind the services' back, as a raw write would: the claim still does not deliver it.
    task.completed = True
    session.add(task)
    session.commit()
    _claim(session, FIRES)
    assert _status(session, reminder.id)[0] == ReminderStatus.cancelled


def test_claim_of_a_worker_that_dies_before_commit_is_claimed_again(
    database_url: str,
) -> None:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        owner = make_user(session)
        reminder = _at(session, owner, make_task(session, owner).id, FIRES)
    dying = Session(get_engine(database_url))
    assert [r.id for r in reminders.claim_due_reminders(dying, now=FIRES)] == [
        reminder.id
    ]
    dying.close()  # the process ends mid-transaction: nothing it claimed was committed
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        assert _claim(session, FIRES) == [reminder.id]
        assert _status(session, reminder.id) == (ReminderStatus.sent, None)


def test_claim_delivers_the_reminder_of_a_task_restored_in_time(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    reminder = _at(session, owner, task.id, FIRES)
    tasks.delete_task(session, owner_id=owner.id, task_id=task.id, now=SET_AT)
    tasks.restore_task(session, owner_id=owner.id, task_id=task.id)
    session.commit()
    _claim(session, FIRES)
    assert _status(session, reminder.id) == (ReminderStatus.sent, None)


def test_claim_announces_the_owners_of_sent_reminders_only(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    _at(session, owner, make_task(session, owner).id, FIRES)
    _at(session, other, make_task(session, other).id, FIRES + timedelta(hours=1))
    heard: list[frozenset[int]] = []
    remove = changes.add_listener(heard.append)
    try:
        _claim(session, FIRES)
    finally:
        remove()
    assert heard == [frozenset({owner.id})]


def test_claim_takes_at_most_limit_soonest_first(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    later = _at(session, owner, task.id, FIRES)
    sooner = _at(session, owner, task.id, FIRES - timedelta(minutes=5))
    claimed = reminders.claim_due_reminders(session, now=FIRES, limit=1)
    assert [r.id for r in claimed] == [sooner.id]
    session.commit()
    assert _claim(session, FIRES) == [later.id]


def _many_due(session: Session, count: int) -> set[int]:
    owners = [make_user(session) for _ in range(4)]
    ids: set[int] = set()
    for index in range(count // 5):
        owner = owners[index % len(owners)]
        task = make_task(session, owner)
        for step in range(5):
            ids.add(_at(session, owner, task.id, FIRES - timedelta(seconds=step)).id)
    return ids


def test_concurrent_claimers_claim_each_of_200_reminders_exactly_once(
    database_url: str,
) -> None:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        due = _many_due(session, 200)
    start = threading.Barrier(4)

    def claimer() -> list[int]:
        mine: list[int] = []
        start.wait()
        with Session(get_engine(database_url), expire_on_commit=False) as session:
            while batch := reminders.claim_due_reminders(session, now=FIRES, limit=7):
                session.commit()
                mine.extend(r.id for r in batch)
            session.commit()
        return mine

    with ThreadPoolExecutor(max_workers=4) as pool:
        # result() re-raises a claimer's error here.
        claims = [
            f.result(timeout=120) for f in [pool.submit(claimer) for _ in range(4)]
        ]
    every = [rid for mine in claims for rid in mine]
    assert sorted(every) == sorted(due)  # each once: no duplicate, none left out
    with Session(get_engine(database_url)) as session:
        pending = session.exec(
            select(Reminder).where(Reminder.status == ReminderStatus.pending)
        ).all()
    assert pending == []


# --- the bell ------------------------------------------------------------------------------------


def test_recent_reminders_list_sent_and_missed_newest_first(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, title="Call mum")
    missed = _at(session, owner, task.id, FIRES - timedelta(hours=2))
    sent = _at(session, owner, task.id, FIRES)
    _at(session, owner, task.id, FIRES + timedelta(hours=1))  # not due yet
    _claim(session, FIRES)
    recent = reminders.recent_reminders(session, owner_id=owner.id, now=FIRES)
    assert [(r.id, r.title, r.missed, r.seen) for r in recent] == [
        (sent.id, "Call mum", False, False),
        (missed.id, "Call mum", True, False),
    ]


def test_recent_reminders_never_show_another_users(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    _at(session, other, make_task(session, other).id, FIRES)
    _claim(session, FIRES)
    assert reminders.recent_reminders(session, owner_id=owner.id, now=FIRES) == []


def test_mark_reminders_seen_marks_only_the_owners(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    _at(session, owner, make_task(session, owner).id, FIRES)
    _at(session, other, make_task(session, other).id, FIRES)
    _claim(session, FIRES)
    assert reminders.mark_reminders_seen(session, owner_id=owner.id, now=FIRES) == 1
    session.commit()
    mine = reminders.recent_reminders(session, owner_id=owner.id, now=FIRES)
    theirs = reminders.recent_reminders(session, owner_id=other.id, now=FIRES)
    assert ([r.seen for r in mine], [r.seen for r in theirs]) == ([True], [False])


@pytest.mark.parametrize("reminder_id", [0, -1, 2**31, 2**63, "1", True])
def test_impossible_reminder_ids_are_not_found(
    session: Session, reminder_id: Any
) -> None:
    owner = make_user(session)
    assert (
        reminders.mark_reminders_seen(
            session, owner_id=owner.id, now=FIRES, reminder_id=reminder_id
        )
        == 0
    )
    with pytest.raises(NotFound):
        reminders.snooze_reminder(
            session, owner_id=owner.id, reminder_id=reminder_id, now=FIRES
        )


def test_snooze_fires_the_reminder_again_ten_minutes_later(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=date(2030, 6, 2))
    reminder = reminders.create_reminder(
        session,
        owner_id=owner.id,
        task_id=task.id,
        data=ReminderCreate(type="before", minutes=60 * 24),
        now=SET_AT,
    )
    session.commit()
    fired_at = reminder.fire_at
    _claim(session, fired_at)
    snoozed = reminders.snooze_reminder(
        session, owner_id=owner.id, reminder_id=reminder.id, now=fired_at
    )
    session.commit()
    assert (snoozed.type, snoozed.fire_at, snoozed.status) == (
        ReminderType.at,
        fired_at + timedelta(minutes=10),
        ReminderStatus.pending,
    )
    assert _claim(session, fired_at + timedelta(minutes=9)) == []
    assert _claim(session, fired_at + timedelta(minutes=10)) == [reminder.id]


def test_snooze_of_another_users_reminder_is_not_found(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    theirs = _at(session, other, make_task(session, other).id, FIRES)
    _claim(session, FIRES)
    with pytest.raises(NotFound):
        reminders.snooze_reminder(
            session, owner_id=owner.id, reminder_id=theirs.id, now=FIRES
        )


def test_snooze_of_a_pending_reminder_is_not_found(session: Session) -> None:
    owner = make_user(session)
    reminder = _at(session, owner, make_task(session, owner).id, FIRES)
    with pytest.raises(NotFound):
        reminders.snooze_reminder(
            session, owner_id=owner.id, reminder_id=reminder.id, now=SET_AT
        )
