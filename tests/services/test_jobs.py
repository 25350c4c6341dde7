"""The lease of periodic jobs: one claim per interval, however many workers ask at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier

import pytest
from sqlmodel import Session

from tests.builders import make_task, make_user
from todo_app.db import session_scope
from todo_app.services import jobs, tasks

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
CLAIMERS = 8  # as many workers as the app starts at most


def _claim(session: Session, now: datetime, name: str = "job") -> bool:
    claimed = jobs.claim_run(session, name=name, every=HOUR, now=now)
    session.commit()
    return claimed


def _claim_at_once(database_url: str, now: datetime) -> list[bool]:
    """CLAIMERS workers, each with its own connection, claiming at the same moment."""
    start = Barrier(CLAIMERS)

    def claim(_: int) -> bool:
        start.wait()
        with session_scope(database_url) as session:
            return jobs.claim_run(session, name="job", every=HOUR, now=now)

    with ThreadPoolExecutor(max_workers=CLAIMERS) as pool:
        return list(pool.map(claim, range(CLAIMERS)))


def test_claim_run_first_ever_claim_succeeds(session: Session) -> None:
    assert _claim(session, NOW) is True


def test_claim_run_again_within_the_interval_fails(session: Session) -> None:
    _claim(session, NOW)
    assert _claim(session, NOW + HOUR - timedelta(seconds=1)) is False


def test_claim_run_once_the_interval_has_passed_succeeds_once(
    session: Session,
) -> None:
    _claim(session, NOW)
    assert [_claim(session, NOW + HOUR), _claim(session, NOW + HOUR)] == [True, False]


def test_claim_run_jobs_have_separate_leases(session: Session) -> None:
    _claim(session, NOW, name="one")
    assert _claim(session, NOW, name="two") is True


def test_claim_run_concurrent_first_claims_succeed_exactly_once(
    database_url: str,
) -> None:
    assert sorted(_claim_at_once(database_url, NOW)) == [False] * (CLAIMERS - 1) + [
        True
    ]


def test_claim_run_concurrent_claims_of_a_new_interval_succeed_exactly_once(
    session: Session, database_url: str
) -> None:
    _claim(session, NOW)
    results = _claim_at_once(database_url, NOW + HOUR)
    assert results.count(True) == 1


def test_purge_trash_when_due_purges_once_per_interval(session: Session) -> None:
    owner = make_user(session)
    for _ in range(2):
        task = make_task(session, owner)
        tasks.delete_task(
            session, owner_id=owner.id, task_id=task.id, now=NOW - timedelta(days=31)
        )
    session.commit()
    first = jobs.purge_trash_when_due(session, now=NOW)
    session.commit()
    second = jobs.purge_trash_when_due(session, now=NOW + jobs.PURGE_TRASH_EVERY / 2)
    later = jobs.purge_trash_when_due(session, now=NOW + jobs.PURGE_TRASH_EVERY)
    assert (first, second, later) == (2, None, 0)


def test_purge_trash_when_due_that_fails_leaves_the_interval_unclaimed(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(session: Session, *, now: datetime) -> int:
        raise RuntimeError("purge failed")

    with monkeypatch.context() as patch:
        patch.setattr(tasks, "purge_trash", broken)
        with pytest.raises(RuntimeError):
            jobs.purge_trash_when_due(session, now=NOW)
    session.rollback()
    assert jobs.purge_trash_when_due(session, now=NOW) == 0
