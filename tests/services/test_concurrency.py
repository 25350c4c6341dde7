"""Quick concurrency checks: one session per thread, as the web workers use them."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from threading import Barrier
from typing import TypeVar

from sqlmodel import Session

from tests.builders import make_task, make_user
from todo_app.db import session_scope
from todo_app.errors import DomainError, EmailTaken
from todo_app.models import ReminderCreate, TaskCreate, UserCreate
from todo_app.services import accounts, calendar_feed, passwords, reminders, tasks

THREADS = 21  # odd, so a lost toggle shows in the final state
T = TypeVar("T")


PASSWORD_HASH = passwords.hash_password("password123")


def _at_once(work: Callable[[int], T]) -> list[T | BaseException]:
    """Run `work(i)` in THREADS threads released together; results or domain errors."""
    start = Barrier(THREADS)

    def run(index: int) -> T | BaseException:
        start.wait()
        try:
            return work(index)
        except DomainError as exc:  # returned so the test can assert on it
            return exc

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def test_toggle_task_concurrently_ends_at_the_parity_of_toggles(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)
    task = make_task(session, owner)

    def toggle(_: int) -> bool:
        with session_scope(database_url) as db:
            return tasks.toggle_task(db, owner_id=owner.id, task_id=task.id).completed

    results = _at_once(toggle)
    session.expire_all()
    final = tasks.get_task(session, owner_id=owner.id, task_id=task.id).completed
    # Each toggle saw the previous one's result, so the states alternate without a repeat.
    assert (results.count(True), results.count(False)) == (11, 10)
    assert final is True


def test_create_task_concurrently_keeps_every_task(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)

    def create(index: int) -> int | None:
        with session_scope(database_url) as db:
            data = TaskCreate(title=f"Task {index}", tags=["shared", f"t{index}"])
            return tasks.create_task(db, owner_id=owner.id, data=data).id

    ids = [result for result in _at_once(create) if isinstance(result, int)]
    page = tasks.list_tasks(session, owner_id=owner.id)
    assert len(ids) == THREADS
    assert sorted(item.id for item in page.items if item.id) == sorted(ids)


def test_register_same_email_concurrently_creates_one_account(
    database_url: str,
) -> None:
    def register(_: int) -> int | None:
        with session_scope(database_url) as db:
            data = UserCreate(email="race@example.com", password="password123")
            return accounts.register(db, data=data, password_hash=PASSWORD_HASH).id

    results = _at_once(register)
    created = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, EmailTaken)]
    assert (len(created), len(refused)) == (1, THREADS - 1)


def test_calendar_url_first_requested_at_once_is_one_link(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)

    def first_link(_: int) -> str:
        with session_scope(database_url) as db:
            return calendar_feed.calendar_url(db, user_id=owner.id)

    results = _at_once(first_link)
    assert all(isinstance(url, str) for url in results), results
    assert len(set(results)) == 1


def test_rotate_calendar_url_first_requested_at_once_leaves_one_working_link(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)

    def rotate(_: int) -> str:
        with session_scope(database_url) as db:
            return calendar_feed.rotate_calendar_url(db, user_id=owner.id)

    results = _at_once(rotate)
    assert all(isinstance(url, str) for url in results), results
    working = calendar_feed.calendar_url(session, user_id=owner.id)
    assert working in results


def test_create_reminder_concurrently_stops_at_five(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, due_date=date(2099, 1, 1))

    def add(index: int) -> int:
        with session_scope(database_url) as db:
            return reminders.create_reminder(
                db,
                owner_id=owner.id,
                task_id=task.id,
                data=ReminderCreate(type="before", minutes=index + 1),
            ).id

    results = _at_once(add)
    created = [result for result in results if isinstance(result, int)]
    assert len(created) == 5
    listed = reminders.list_reminders(session, owner_id=owner.id, task_id=task.id)
    assert sorted(r.id for r in listed) == sorted(created)
