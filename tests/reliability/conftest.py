"""A real HTTP server for reliability tests: the API app under uvicorn in a background thread.

The production app mounts this same FastAPI app (`create_api_app`) into Reflex, so concurrency
and outage behaviour seen here is the API's own; uvicorn starts in well under a second.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import uvicorn
from sqlmodel import Session

from tests.builders import make_user, token_for
from todo_app.api.app import create_api_app
from todo_app.db import get_engine

STARTUP_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class ApiServer:
    """A served API and the database behind it."""

    url: str
    database_url: str


@contextmanager
def serve_api(database_url: str) -> Iterator[ApiServer]:
    """Serve a fresh API app on a free port until the block ends (DATABASE_URL set by caller)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_api_app(),
        log_level="warning",
        lifespan="off",
        backlog=512,
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True
    )
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API server did not start")
        time.sleep(0.01)  # polling for readiness with a deadline
    try:
        yield ApiServer(url=f"http://127.0.0.1:{port}", database_url=database_url)
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_TIMEOUT_SECONDS)
        sock.close()


@pytest.fixture
def api_server(database_url: str) -> Iterator[ApiServer]:
    """The API served over HTTP on the test database (SQLite, and PostgreSQL when given)."""
    with serve_api(database_url) as server:
        yield server


def auth_headers(database_url: str) -> dict[str, str]:
    """Authorization headers of a new user of the database."""
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        user = make_user(session)
        return {"Authorization": f"Bearer {token_for(session, user)}"}
