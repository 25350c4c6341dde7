"""Small builders for test data: a committed user, a committed task."""

from __future__ import annotations

import itertools
from typing import Any

from sqlmodel import Session

from todo_app.models import Task, TaskCreate, User, UserCreate
from todo_app.services import auth, tasks

# --- builders ----------------------------------------------------------------------------------

_counter = itertools.count(1)


def make_user(
    session: Session,
    *,
    email: str | None = None,
    password: str = "password123",
    name: str | None = None,
) -> User:
    """Register a user (committed) and return it."""
    user = auth.register(
        session,
        data=UserCreate(
            email=email or f"user{next(_counter)}@example.com",
            password=password,
            name=name,
        ),
    )
    session.commit()
    return user


def make_task(session: Session, owner: User, **fields: Any) -> Task:
    """Create a task (committed) for `owner`; fields as in TaskCreate, title defaulted."""
    fields.setdefault("title", f"Task {next(_counter)}")
    task = tasks.create_task(session, owner_id=owner.id, data=TaskCreate(**fields))
    session.commit()
    return task
