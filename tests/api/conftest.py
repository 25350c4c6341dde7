"""API fixtures: a fresh create_api_app() per test behind a TestClient, on each test database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import make_user, token_for
from todo_app.api.app import create_api_app
from todo_app.models import User

PASSWORD = "password123"


def bearer(session: Session, user: User) -> dict[str, str]:
    """Authorization header with the token of a new session of `user`."""
    return {"Authorization": f"Bearer {token_for(session, user)}"}


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """A client of a new API app; server exceptions are raised in the test."""
    with TestClient(create_api_app()) as test_client:
        yield test_client


@pytest.fixture
def lenient_client(database_url: str) -> Iterator[TestClient]:
    """A client that turns server exceptions into responses, to check no 500 escapes."""
    with TestClient(create_api_app(), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def user(session: Session) -> User:
    """A registered user with password PASSWORD."""
    return make_user(session, email="ada@example.com", password=PASSWORD)


@pytest.fixture
def headers(session: Session, user: User) -> dict[str, str]:
    """Bearer headers of `user`."""
    return bearer(session, user)


@pytest.fixture
def other_user(session: Session) -> User:
    """A second registered user."""
    return make_user(session, email="bob@example.com", password=PASSWORD)


@pytest.fixture
def other_headers(session: Session, other_user: User) -> dict[str, str]:
    """Bearer headers of `other_user`."""
    return bearer(session, other_user)
