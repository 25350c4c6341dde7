"""Periodic jobs that every worker runs and exactly one of them does per interval."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from todo_app.models import JobRun
from todo_app.services import tasks

PURGE_TRASH = "purge_trash"
PURGE_TRASH_EVERY = timedelta(hours=1)


def claim_run(session: Session, *, name: str, every: timedelta, now: datetime) -> bool:
    """Claim the run of job `name` due at `now`: True for one caller per `every`, any worker.

    The lease is one row per job. Whoever inserts it, or moves its `last_run` forward once
    `every` has passed, holds this interval; both statements are atomic on SQLite (one
    writer at a time) and PostgreSQL (a concurrent UPDATE re-checks its WHERE after the
    first one commits), so two workers can never both see their claim succeed.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    created = session.exec(
        insert(JobRun)
        .values(name=name, last_run=now)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    if created.rowcount == 1:
        return True
    moved = session.exec(
        sa.update(JobRun)
        .where(JobRun.name == name, JobRun.last_run <= now - every)
        .values(last_run=now)
    )
    return moved.rowcount == 1


def purge_trash_when_due(session: Session, *, now: datetime) -> int | None:
    """Purge the old trash unless some worker did within PURGE_TRASH_EVERY.

    How many tasks went, or None when it was not this caller's turn. Claim and purge commit
    together: a purge that fails leaves the interval unclaimed for the next try.
    """
    if not claim_run(session, name=PURGE_TRASH, every=PURGE_TRASH_EVERY, now=now):
        return None
    return tasks.purge_trash(session, now=now)
