"""State tests: a fresh state tree per test, handlers called directly as the browser would."""

from __future__ import annotations

import asyncio
import inspect
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

import pytest
import reflex as rx
from reflex.event import EventHandler, EventSpec
from reflex.istate.data import RouterData
from reflex_base.utils.format import format_ref
from sqlmodel import Session

from tests.builders import make_user
from todo_app.db import get_engine, session_scope
from todo_app.models import User
from todo_app.services import sessions
from todo_app.services import tasks as task_services
from todo_app.state import tasks as task_state
from todo_app.state.auth import AuthState
from todo_app.state.live import hub

S = TypeVar("S", bound=rx.State)

CLIENT_IP = "203.0.113.7"
# 23:30 UTC on June 1: already June 2 in Auckland (UTC+12), still June 1 in London (UTC+1).
NOW = datetime(2030, 6, 1, 23, 30, tzinfo=UTC)


SOCKET = "socket-1"


def open_page(root: rx.State, path: str = "/", *, socket: str = SOCKET) -> None:
    """Point the state tree at a page URL, as the browser's navigation does, on a websocket."""
    root.router = RouterData.from_router_data(
        {
            "pathname": path.split("?")[0],
            "asPath": path,
            "ip": CLIENT_IP,
            "sid": socket,
            "headers": {"origin": "http://localhost:3000", "user-agent": "TestBrowser"},
        }
    )


def new_browser_key() -> str:
    """A key as the browser's compiled code makes it (64 hex digits)."""
    return secrets.token_hex(32)


def call(state: rx.State, handler: EventHandler, *args: Any) -> list[EventSpec]:
    """Run an event handler on `state` like the server does; the events it returns, as a list."""
    result = handler.fn(state, *args)
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    if result is None:
        return []
    return list(result) if isinstance(result, list | tuple) else [result]


def redirect_path(events: list[EventSpec]) -> str | None:
    """The path of the first redirect among the events, if any."""
    for event in events:
        if event.handler.fn.__qualname__.endswith("_redirect"):
            return event.args[0][1]._var_value
    return None


def shown_notice(state: rx.State) -> str:
    """The message the page shows the person ("" when none)."""
    return substate(state._get_root_state(), AuthState).notice


def fetch(db: Session, statement: Any) -> list[Any]:
    """Rows of a query, ending the transaction so the handlers' writes are not blocked."""
    rows = list(db.exec(statement).all())
    db.commit()
    return rows


@pytest.fixture
def db(database_url: str) -> Iterator[Session]:
    """A session for arranging data and checking results; end each read with commit (`fetch`)."""
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        yield session


@pytest.fixture(autouse=True)
def _empty_hub() -> None:
    """No page stays watched from an earlier test (ids start at 1 again in every test)."""
    for client_token in list(hub._owner_of):
        hub.forget(client_token)


@pytest.fixture
def root(database_url: str) -> rx.State:
    """A fresh root state with every substate, on the task page."""
    state = rx.State(_reflex_internal_init=True)
    open_page(state, "/")
    return state


def substate(root: rx.State, state_class: type[S]) -> S:
    """The instance of `state_class` in the tree under `root`."""
    return asyncio.run(root.get_state(state_class))


def sign_in(root: rx.State, user: User) -> str:
    """Sign the tab in as `user` on its socket, as a browser holding a session key does.

    Returns the browser's key.
    """
    key = new_browser_key()
    with session_scope() as session:
        sessions.start_browser_session(
            session, user_id=user.id, browser_key=key, user_agent="TestBrowser"
        )
    call(substate(root, AuthState), AuthState.resume, key)
    return key


@pytest.fixture
def user(db: Session) -> User:
    """A registered user."""
    return make_user(db, email="ada@example.com", name="Ada", password="password123")


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Stop the clock at NOW for the task page and the task services."""
    monkeypatch.setattr(task_state, "utcnow", lambda: NOW)
    monkeypatch.setattr(task_services, "utcnow", lambda: NOW)
    return NOW


def focus_target(events: list[EventSpec]) -> str | None:
    """The ref name ("ref_task_12") of the element the first focus event moves to, if any."""
    for event in events:
        if event.handler.fn.__qualname__.endswith("_set_focus"):
            return event.args[0][1]._var_value
    return None


def value_set(events: list[EventSpec], ref: str) -> str | None:
    """The value the first `rx.set_value` of the element `ref` puts into the page, if any."""
    for event in events:
        if event.handler.fn.__qualname__.endswith("_set_value"):
            arguments = {name._js_expr: value for name, value in event.args}
            if arguments["ref"]._var_value == format_ref(ref):
                return arguments["value"]._var_value
    return None
