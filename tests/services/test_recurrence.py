"""Repeating tasks: the next due date (anchor day, the owner's today), the next occurrence
created on completion and removed again on reopening, and the due date a repeat needs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from todo_app.models import Recurrence, Task, TaskCreate, TaskPatch, TaskTag, User
from todo_app.services import tasks

# Before every due date below, so the next occurrence is one period on (none is overdue).
NOW = datetime(2028, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due", "recurrence", "expected"),
    [
        (date(2030, 3, 31), Recurrence.daily, date(2030, 4, 1)),
        (date(2030, 12, 28), Recurrence.weekly, date(2031, 1, 4)),
        (date(2030, 3, 15), Recurrence.monthly, date(2030, 4, 15)),
        (date(2030, 12, 15), Recurrence.monthly, date(2031, 1, 15)),
        (date(2030, 1, 31), Recurrence.monthly, date(2030, 2, 28)),
        (date(2028, 1, 31), Recurrence.monthly, date(2028, 2, 29)),
        (date(2030, 3, 31), Recurrence.monthly, date(2030, 4, 30)),
        (date(2030, 7, 4), Recurrence.yearly, date(2031, 7, 4)),
        (date(2028, 2, 29), Recurrence.yearly, date(2029, 2, 28)),
    ],
    ids=[
        "daily-month-end",
        "weekly-year-end",
        "monthly",
        "monthly-december",
        "monthly-jan-31",
        "monthly-jan-31-leap-year",
        "monthly-mar-31",
        "yearly",
        "yearly-feb-29",
    ],
)
def test_next_due_date_adds_one_period(
    due: date, recurrence: Recurrence, expected: date
) -> None:
    assert tasks.next_due_date(due, recurrence) == expected


@pytest.mark.parametrize(
    ("due", "recurrence", "anchor_day", "expected"),
    [
        (date(2030, 2, 28), Recurrence.monthly, 31, date(2030, 3, 31)),
        (date(2030, 3, 31), Recurrence.monthly, 31, date(2030, 4, 30)),
        (date(2030, 4, 30), Recurrence.monthly, 31, date(2030, 5, 31)),
        (date(2030, 2, 28), Recurrence.monthly, 30, date(2030, 3, 30)),
        (date(2031, 2, 28), Recurrence.yearly, 29, date(2032, 2, 29)),
        (date(2029, 2, 28), Recurrence.yearly, 29, date(2030, 2, 28)),
    ],
    ids=[
        "monthly-back-to-31",
        "monthly-31-in-april",
        "monthly-31-in-may",
        "monthly-back-to-30",
        "yearly-back-to-feb-29",
        "yearly-feb-28-until-leap-year",
    ],
)
def test_next_due_date_keeps_the_anchor_day(
    due: date, recurrence: Recurrence, anchor_day: int, expected: date
) -> None:
    assert tasks.next_due_date(due, recurrence, anchor_day=anchor_day) == expected


@pytest.mark.parametrize(
    ("due", "recurrence", "today", "expected"),
    [
        (date(2030, 5, 22), Recurrence.daily, date(2030, 6, 1), date(2030, 6, 1)),
        # Mondays: 2030-05-13, three weeks before Wednesday 2030-06-05.
        (date(2030, 5, 13), Recurrence.weekly, date(2030, 6, 5), date(2030, 6, 10)),
        (date(2030, 5, 13), Recurrence.weekly, date(2030, 6, 3), date(2030, 6, 3)),
        (date(2030, 1, 31), Recurrence.monthly, date(2030, 6, 1), date(2030, 6, 30)),
        (date(2030, 1, 31), Recurrence.monthly, date(2030, 7, 1), date(2030, 7, 31)),
        (date(2027, 3, 10), Recurrence.yearly, date(2030, 6, 1), date(2031, 3, 10)),
        (date(2030, 6, 1), Recurrence.daily, date(2030, 6, 1), date(2030, 6, 2)),
    ],
    ids=[
        "daily-10-days-overdue-is-today",
        "weekly-monday-3-weeks-overdue-is-next-monday",
        "weekly-overdue-today-is-monday",
        "monthly-overdue-keeps-anchor",
        "monthly-overdue-today-on-the-1st",
        "yearly-overdue",
        "due-today-is-after-today",
    ],
)
def test_next_due_date_is_not_before_today(
    due: date, recurrence: Recurrence, today: date, expected: date
) -> None:
    assert tasks.next_due_date(due, recurrence, today=today) == expected


def test_next_due_date_without_recurrence_is_none() -> None:
    assert tasks.next_due_date(date(2030, 1, 1), Recurrence.none) is None


@pytest.mark.parametrize("recurrence", ["daily", "weekly", "monthly", "yearly"])
def test_next_due_date_past_year_9999_is_none(recurrence: str) -> None:
    assert tasks.next_due_date(date(9999, 12, 31), Recurrence(recurrence)) is None


def _all_tasks(session: Session, owner: User) -> list[Task]:
    session.expire_all()
    return list(
        session.exec(
            select(Task)
            # Deleted tasks wait in the trash; the owner has the others.
            .where(Task.user_id == owner.id, Task.deleted_at.is_(None))
            .order_by(Task.id)
        ).all()
    )


def _recurring(session: Session, **fields: object) -> Task:
    owner = make_user(session)
    fields.setdefault("due_date", date(2030, 1, 31))
    fields.setdefault("recurrence", "monthly")
    return make_task(
        session,
        owner,
        title="Pay rent",
        description="Landlord",
        priority="high",
        tags=["home", "money"],
        **fields,
    )


def _toggle(session: Session, task: Task) -> None:
    tasks.toggle_task(session, owner_id=task.user_id, task_id=task.id, now=NOW)
    session.commit()


def _owner(session: Session, task: Task) -> User:
    owner = session.get(User, task.user_id)
    assert owner is not None
    return owner


def test_toggle_task_recurring_creates_the_next_occurrence(session: Session) -> None:
    task = _recurring(session)
    _toggle(session, task)
    successor = _all_tasks(session, _owner(session, task))[-1]
    assert successor.id != task.id
    assert (
        successor.title,
        successor.description,
        successor.priority,
        successor.tags,
        successor.recurrence,
        successor.due_date,
        successor.completed,
    ) == (
        "Pay rent",
        "Landlord",
        "high",
        ["home", "money"],
        "monthly",
        date(2030, 2, 28),
        False,
    )


def test_toggle_task_recurring_next_occurrence_keeps_recurring(
    session: Session,
) -> None:
    task = _recurring(session, due_date=date(2030, 1, 31))
    _toggle(session, task)
    successor = _all_tasks(session, _owner(session, task))[-1]
    _toggle(session, successor)
    third = _all_tasks(session, _owner(session, task))[-1]
    assert (third.recurrence, third.completed) == ("monthly", False)


def test_toggle_task_recurring_twice_creates_only_one_copy(session: Session) -> None:
    task = _recurring(session)
    _toggle(session, task)  # complete
    _toggle(session, task)  # un-complete
    _toggle(session, task)  # complete again
    assert len(_all_tasks(session, _owner(session, task))) == 2


def test_toggle_task_non_recurring_creates_nothing(session: Session) -> None:
    task = _recurring(session, recurrence="none")
    _toggle(session, task)
    assert len(_all_tasks(session, _owner(session, task))) == 1


def test_update_task_completed_recurring_creates_the_next_occurrence(
    session: Session,
) -> None:
    task = _recurring(session, due_date=date(2028, 2, 29), recurrence="yearly")
    tasks.update_task(
        session,
        owner_id=task.user_id,
        task_id=task.id,
        data=TaskPatch(completed=True),
        now=NOW,
    )
    session.commit()
    due_dates = [t.due_date for t in _all_tasks(session, _owner(session, task))]
    assert due_dates == [date(2028, 2, 29), date(2029, 2, 28)]


def test_update_task_recompleting_recurring_creates_only_one_copy(
    session: Session,
) -> None:
    task = _recurring(session)
    for completed in (True, False, True):
        tasks.update_task(
            session,
            owner_id=task.user_id,
            task_id=task.id,
            data=TaskPatch(completed=completed),
        )
    session.commit()
    assert len(_all_tasks(session, _owner(session, task))) == 2


def test_set_all_completed_recurring_creates_the_next_occurrence(
    session: Session,
) -> None:
    task = _recurring(session, due_date=date(2030, 5, 31), recurrence="daily")
    tasks.set_all_completed(session, owner_id=task.user_id, completed=True, now=NOW)
    session.commit()
    stored = _all_tasks(session, _owner(session, task))
    assert [(t.due_date, t.completed) for t in stored] == [
        (date(2030, 5, 31), True),
        (date(2030, 6, 1), False),
    ]


def test_set_all_completed_again_after_reopening_creates_no_second_copy(
    session: Session,
) -> None:
    task = _recurring(session)
    owner_id = task.user_id
    for completed in (True, False, True):
        tasks.set_all_completed(
            session, owner_id=owner_id, completed=completed, now=NOW
        )
    session.commit()
    # Reopening removed the untouched successor; completing again made exactly one.
    stored = _all_tasks(session, _owner(session, task))
    assert [(t.due_date, t.completed) for t in stored] == [
        (date(2030, 1, 31), True),
        (date(2030, 2, 28), False),
    ]


# --- the anchor day ------------------------------------------------------------------------------


def _complete_chain(session: Session, task: Task, times: int) -> list[date | None]:
    """Complete the newest occurrence `times` times; the due dates of every occurrence."""
    owner = _owner(session, task)
    for _ in range(times):
        _toggle(session, _all_tasks(session, owner)[-1])
    return [t.due_date for t in _all_tasks(session, owner)]


def test_toggle_task_monthly_on_the_31st_keeps_its_anchor(session: Session) -> None:
    task = _recurring(session, due_date=date(2030, 1, 31))
    assert _complete_chain(session, task, 3) == [
        date(2030, 1, 31),
        date(2030, 2, 28),
        date(2030, 3, 31),
        date(2030, 4, 30),
    ]


def test_toggle_task_monthly_on_the_31st_in_a_leap_year_falls_on_feb_29(
    session: Session,
) -> None:
    task = _recurring(session, due_date=date(2028, 1, 31))
    assert _complete_chain(session, task, 2)[1:] == [
        date(2028, 2, 29),
        date(2028, 3, 31),
    ]


def test_toggle_task_yearly_on_feb_29_returns_to_feb_29_in_the_next_leap_year(
    session: Session,
) -> None:
    task = _recurring(session, due_date=date(2028, 2, 29), recurrence="yearly")
    assert _complete_chain(session, task, 4)[1:] == [
        date(2029, 2, 28),
        date(2030, 2, 28),
        date(2031, 2, 28),
        date(2032, 2, 29),
    ]


def test_update_task_new_due_date_sets_a_new_anchor(session: Session) -> None:
    task = _recurring(session, due_date=date(2030, 1, 31))
    _toggle(session, task)
    successor = _all_tasks(session, _owner(session, task))[-1]  # Feb 28, anchored on 31
    tasks.update_task(
        session,
        owner_id=task.user_id,
        task_id=successor.id,
        data=TaskPatch(due_date=date(2030, 2, 27)),
        now=NOW,
    )
    session.commit()
    assert _complete_chain(session, task, 1)[-1] == date(2030, 3, 27)


def test_replace_task_with_the_same_due_date_keeps_the_anchor(
    session: Session,
) -> None:
    task = _recurring(session, due_date=date(2030, 1, 31))
    _toggle(session, task)
    successor = _all_tasks(session, _owner(session, task))[-1]  # Feb 28, anchored on 31
    tasks.replace_task(
        session,
        owner_id=task.user_id,
        task_id=successor.id,
        data=TaskCreate(
            title="Pay the rent", due_date=date(2030, 2, 28), recurrence="monthly"
        ),
        now=NOW,
    )
    session.commit()
    assert _complete_chain(session, task, 1)[-1] == date(2030, 3, 31)


# --- the owner's today ---------------------------------------------------------------------------

# 10:30 UTC: already June 2 in Kiritimati (UTC+14), still May 31 in Pago Pago (UTC-11).
AROUND_MIDNIGHT = datetime(2030, 6, 1, 10, 30, tzinfo=UTC)


def _overdue_daily(session: Session, timezone: str) -> Task:
    owner = make_user(session, timezone=timezone)
    return make_task(
        session,
        owner,
        due_date=date(2030, 5, 1),
        recurrence="daily",
        now=AROUND_MIDNIGHT,
    )


@pytest.mark.parametrize(
    ("timezone", "today"),
    [
        ("Pacific/Kiritimati", date(2030, 6, 2)),
        ("Pacific/Pago_Pago", date(2030, 5, 31)),
        ("UTC", date(2030, 6, 1)),
    ],
)
def test_toggle_task_overdue_daily_is_next_due_on_the_owners_today(
    session: Session, timezone: str, today: date
) -> None:
    task = _overdue_daily(session, timezone)
    tasks.toggle_task(
        session, owner_id=task.user_id, task_id=task.id, now=AROUND_MIDNIGHT
    )
    session.commit()
    assert _all_tasks(session, _owner(session, task))[-1].due_date == today


def test_toggle_task_weekly_overdue_is_next_due_on_its_weekday_on_or_after_today(
    session: Session,
) -> None:
    owner = make_user(session, timezone="Pacific/Kiritimati")
    monday = date(
        2030, 5, 13
    )  # today there is Sunday June 2: the next Monday is June 3
    task = make_task(session, owner, due_date=monday, recurrence="weekly")
    _toggle_at(session, task, AROUND_MIDNIGHT)
    assert _all_tasks(session, owner)[-1].due_date == date(2030, 6, 3)


def _toggle_at(session: Session, task: Task, now: datetime) -> None:
    tasks.toggle_task(session, owner_id=task.user_id, task_id=task.id, now=now)
    session.commit()


# --- a repeat needs a due date -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "today"),
    [
        ("Pacific/Kiritimati", date(2030, 6, 2)),
        ("Pacific/Pago_Pago", date(2030, 5, 31)),
    ],
)
def test_create_task_repeating_without_due_date_is_due_on_the_owners_today(
    session: Session, timezone: str, today: date
) -> None:
    owner = make_user(session, timezone=timezone)
    task = make_task(session, owner, recurrence="weekly", now=AROUND_MIDNIGHT)
    assert task.due_date == today


def test_create_task_without_repeat_keeps_no_due_date(session: Session) -> None:
    task = make_task(session, make_user(session), now=AROUND_MIDNIGHT)
    assert task.due_date is None


def test_update_task_setting_a_repeat_without_due_date_sets_today(
    session: Session,
) -> None:
    owner = make_user(session, timezone="Pacific/Kiritimati")
    task = make_task(session, owner)
    tasks.update_task(
        session,
        owner_id=owner.id,
        task_id=task.id,
        data=TaskPatch(recurrence="monthly"),
        now=AROUND_MIDNIGHT,
    )
    assert task.due_date == date(2030, 6, 2)


def test_replace_task_with_a_repeat_and_no_due_date_sets_today(
    session: Session,
) -> None:
    owner = make_user(session, timezone="Pacific/Pago_Pago")
    task = make_task(session, owner)
    tasks.replace_task(
        session,
        owner_id=owner.id,
        task_id=task.id,
        data=TaskCreate(title="Water plants", recurrence="daily"),
        now=AROUND_MIDNIGHT,
    )
    assert task.due_date == date(2030, 5, 31)


def test_update_task_clearing_the_due_date_of_a_repeating_task_sets_today(
    session: Session,
) -> None:
    owner = make_user(session, timezone="Pacific/Kiritimati")
    task = make_task(session, owner, due_date=date(2030, 7, 1), recurrence="weekly")
    tasks.update_task(
        session,
        owner_id=owner.id,
        task_id=task.id,
        data=TaskPatch(due_date=None),
        now=AROUND_MIDNIGHT,
    )
    assert task.due_date == date(2030, 6, 2)


def test_update_task_repeat_set_today_is_the_anchor(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    tasks.update_task(
        session,
        owner_id=owner.id,
        task_id=task.id,
        data=TaskPatch(recurrence="monthly"),
        now=datetime(2030, 1, 31, 12, 0, tzinfo=UTC),
    )
    session.commit()
    assert _complete_chain(session, task, 2)[1:] == [
        date(2030, 2, 28),
        date(2030, 3, 31),
    ]


# --- reopening undoes the occurrence ---------------------------------------------------------------


def test_toggle_task_reopening_removes_the_untouched_next_occurrence(
    session: Session,
) -> None:
    task = _recurring(session)
    _toggle(session, task)
    _toggle(session, task)
    stored = _all_tasks(session, _owner(session, task))
    assert [(t.id, t.completed) for t in stored] == [(task.id, False)]


def test_toggle_task_reopening_removes_the_tags_of_the_next_occurrence(
    session: Session,
) -> None:
    task = _recurring(session)
    _toggle(session, task)
    _toggle(session, task)
    tag_rows = session.exec(select(TaskTag).where(TaskTag.user_id == task.user_id))
    assert sorted((row.task_id, row.tag) for row in tag_rows) == [
        (task.id, "home"),
        (task.id, "money"),
    ]


def test_update_task_completed_false_removes_the_untouched_next_occurrence(
    session: Session,
) -> None:
    task = _recurring(session)
    for completed in (True, False):
        tasks.update_task(
            session,
            owner_id=task.user_id,
            task_id=task.id,
            data=TaskPatch(completed=completed),
            now=NOW,
        )
    session.commit()
    assert len(_all_tasks(session, _owner(session, task))) == 1


def test_toggle_task_reopening_keeps_an_edited_next_occurrence(
    session: Session,
) -> None:
    task = _recurring(session)
    _toggle(session, task)
    successor = _all_tasks(session, _owner(session, task))[-1]
    tasks.update_task(
        session,
        owner_id=task.user_id,
        task_id=successor.id,
        data=TaskPatch(title="Pay rent (new landlord)"),
        now=NOW,
    )
    session.commit()
    _toggle(session, task)
    titles = [t.title for t in _all_tasks(session, _owner(session, task))]
    assert titles == ["Pay rent", "Pay rent (new landlord)"]


def test_toggle_task_reopening_keeps_a_completed_next_occurrence(
    session: Session,
) -> None:
    task = _recurring(session)
    _toggle(session, task)
    _toggle(session, _all_tasks(session, _owner(session, task))[-1])
    _toggle(session, task)
    # The original, its completed successor, and the successor's own next occurrence.
    assert len(_all_tasks(session, _owner(session, task))) == 3


def test_toggle_task_completing_again_after_an_edited_occurrence_adds_no_copy(
    session: Session,
) -> None:
    task = _recurring(session)
    _toggle(session, task)
    successor = _all_tasks(session, _owner(session, task))[-1]
    tasks.update_task(
        session,
        owner_id=task.user_id,
        task_id=successor.id,
        data=TaskPatch(priority="low"),
        now=NOW,
    )
    session.commit()
    _toggle(session, task)  # reopen: the edited successor stays
    _toggle(session, task)  # complete again: it already has its next occurrence
    assert len(_all_tasks(session, _owner(session, task))) == 2


def test_toggle_task_completing_again_after_removal_creates_the_occurrence_again(
    session: Session,
) -> None:
    task = _recurring(session)
    for _ in range(3):
        _toggle(session, task)
    stored = _all_tasks(session, _owner(session, task))
    assert [(t.due_date, t.completed) for t in stored] == [
        (date(2030, 1, 31), True),
        (date(2030, 2, 28), False),
    ]


def test_delete_task_of_a_completed_task_keeps_its_next_occurrence(
    session: Session,
) -> None:
    task = _recurring(session)
    _toggle(session, task)
    tasks.delete_task(session, owner_id=task.user_id, task_id=task.id)
    session.commit()
    owner = session.get(User, task.user_id)
    assert [t.due_date for t in _all_tasks(session, owner)] == [date(2030, 2, 28)]
