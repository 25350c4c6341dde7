"""API fixtures: the API app behind a TestClient, on each test database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import reflex as rx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.middleware import Middleware

from tests.builders import make_user, token_for
from todo_app.api import fast_list
from todo_app.api.app import create_api_app
from todo_app.api.headers import SecurityHeadersMiddleware
from todo_app.db import get_engine
from todo_app.models import User
from todo_app.services import tasks
from todo_app.settings import get_settings

PASSWORD = "password123"
# 10:30 UTC on June 1: already June 2 in Kiritimati (UTC+14), still May 31 in Pago Pago (UTC-11).
FROZEN_NOW = datetime(2030, 6, 1, 10, 30, tzinfo=UTC)


def bearer(session: Session, user: User) -> dict[str, str]:
    """Authorization header with the token of a new session of `user`."""
    return {"Authorization": f"Bearer {token_for(session, user)}"}


_apps: dict[tuple[str, ...], FastAPI] = {}


def api_app() -> FastAPI:
    """One API app per CORS setting (its only input from settings), shared by the tests.

    Building the app costs ~55 ms (routes, models, OpenAPI); it keeps no state between
    requests, and each test's client still runs its lifespan.
    """
    origins = get_settings().cors_origins
    if origins not in _apps:
        _apps[origins] = create_api_app()
    return _apps[origins]


def api_as_reflex_mounts_it() -> FastAPI:
    """A new API app with the CORS layer Reflex adds to the app it mounts (api_transformer)."""
    api = create_api_app()
    rx.App._add_cors(api)
    return api


def on_postgresql(database_url: str) -> bool:
    """Whether the test runs on PostgreSQL (where the fast list answers)."""
    return get_engine(database_url).dialect.name == "postgresql"


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """A client of the API app; server exceptions are raised in the test."""
    with TestClient(api_app()) as test_client:
        yield test_client


@pytest.fixture
def lenient_client(database_url: str) -> Iterator[TestClient]:
    """A client that turns server exceptions into responses, to check no 500 escapes."""
    with TestClient(api_app(), raise_server_exceptions=False) as test_client:
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


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Pin the task services' clock (the routes pass no `now`) to FROZEN_NOW."""
    monkeypatch.setattr(tasks, "utcnow", lambda: FROZEN_NOW)
    return FROZEN_NOW


def request_with_if_match(
    client: TestClient,
    route: tuple[str, str, Any],
    item_id: int,
    headers: dict[str, str],
    if_match: str | None = None,
) -> Any:
    """Call `route` (method, path with `{id}`, JSON body) for one item, with `If-Match` if given."""
    method, path, body = route
    if if_match is not None:
        headers = {**headers, "If-Match": if_match}
    return client.request(method, path.format(id=item_id), json=body, headers=headers)


# --- the fast layer (todo_app.api.fast_list) beside the API alone ------------------------------

ORIGIN = "https://todo.example"


@dataclass
class Stacks:
    """The same requests to the app with the fast layer and without it."""

    fast: TestClient
    normal: TestClient
    layer: fast_list.FastTaskList


@pytest.fixture
def served(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stacks]:
    """The app as Granian serves it (Reflex's outer app and CORS layer around the API),
    with and without the outermost fast layer."""
    monkeypatch.setenv("TODO_CORS_ORIGINS", ORIGIN)
    get_settings.cache_clear()

    def reflex_outer_app() -> tuple[Starlette, list[Middleware]]:
        api = api_as_reflex_mounts_it()
        inner = fast_list.FastTaskList(api, pages=fast_list.CompiledPages(compile_on=1))
        top = Starlette()
        top.mount("", SecurityHeadersMiddleware(inner))
        rx.App._add_cors(top)
        return top, [*top.user_middleware, *api.user_middleware]

    app, cors = reflex_outer_app()
    layer = fast_list.FastTaskList.around_the_app(
        app, cors=cors, pages=fast_list.CompiledPages(compile_on=1)
    )
    with TestClient(layer) as fast, TestClient(reflex_outer_app()[0]) as normal:
        yield Stacks(fast=fast, normal=normal, layer=layer)
