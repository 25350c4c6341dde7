"""Small builders for test data: a committed user, a committed task, a personal token."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime
from typing import Any

from sqlmodel import Session

from todo_app.models import (
    AccessTokenCreate,
    ProjectCreate,
    ProjectPublic,
    Task,
    TaskCreate,
    TokenScope,
    User,
    UserCreate,
)
from todo_app.services import (
    access_tokens,
    accounts,
    passwords,
    projects,
    sessions,
    tasks,
)

# --- builders ----------------------------------------------------------------------------------

_counter = itertools.count(1)


def make_user(
    session: Session,
    *,
    email: str | None = None,
    password: str = "password123",
    name: str | None = None,
    timezone: str = "UTC",
) -> User:
    """Register a user (committed) and return it."""
    user = accounts.register(
        session,
        data=UserCreate(
            email=email or f"user{next(_counter)}@example.com",
            password=password,
            name=name,
            timezone=timezone,
        ),
        password_hash=passwords.hash_password(password),
    )
    session.commit()
    return user


def make_task(
    session: Session, owner: User, *, now: datetime | None = None, **fields: Any
) -> Task:
    """Create a task (committed) for `owner`; fields as in TaskCreate, title defaulted."""
    fields.setdefault("title", f"Task {next(_counter)}")
    task = tasks.create_task(
        session, owner_id=owner.id, data=TaskCreate(**fields), now=now
    )
    session.commit()
    return task


def make_project(
    session: Session, owner: User, *, now: datetime | None = None, **fields: Any
) -> ProjectPublic:
    """Create a project (committed) for `owner`; fields as in ProjectCreate, name defaulted."""
    fields.setdefault("name", f"Project {next(_counter)}")
    project = projects.create_project(
        session, owner_id=owner.id, data=ProjectCreate(**fields), now=now
    )
    session.commit()
    return project


def log_in_user(
    session: Session,
    *,
    email: str,
    password: str,
    client: str = "",
    now: datetime | None = None,
) -> User:
    """Log in as the API and the UI do and return the user the token names.

    `session` is committed first: the login runs its own transactions, which SQLite would
    otherwise make wait for the test's.
    """
    session.commit()
    session.expire_all()  # the login changes rows this session may hold stale copies of
    issued = asyncio.run(
        sessions.log_in(email=email, password=password, client=client, now=now)
    )
    return sessions.user_for_token(session, token=issued.access_token, now=now)


def token_for(session: Session, user: User, *, now: datetime | None = None) -> str:
    """A bearer token of a new session of `user` (committed)."""
    token = sessions.start_session(session, user_id=user.id, now=now).access_token
    session.commit()
    return token


def make_access_token(
    session: Session,
    owner: User,
    *,
    scope: TokenScope | str = TokenScope.write,
    name: str | None = None,
    expires_in_days: int | None = None,
    now: datetime | None = None,
) -> str:
    """A personal access token of `owner` (committed); the secret, as shown once."""
    created = access_tokens.create_token(
        session,
        owner_id=owner.id,
        data=AccessTokenCreate(
            name=name or f"Token {next(_counter)}",
            scope=scope,
            expires_in_days=expires_in_days,
        ),
        now=now,
    )
    session.commit()
    return created.token
