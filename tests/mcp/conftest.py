"""MCP fixtures: the app's `/mcp` endpoint driven in-process by the SDK's own client.

`McpHttp` runs a fresh API app's lifespan (which runs the MCP endpoint) around a test's
scenario, and connects the SDK's `Client` to it through an ASGI transport, with a token.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult
from sqlmodel import Session

from tests.builders import make_access_token, make_user
from todo_app.api.app import create_api_app
from todo_app.models import TokenScope, User

T = TypeVar("T")
BASE_URL = "http://testserver"
MCP_URL = f"{BASE_URL}/mcp"


def auth(token: str | None) -> dict[str, str]:
    """The Authorization header of `token` (none for None)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


class McpHttp:
    """One API app; `run` serves its MCP endpoint while a scenario runs against it."""

    def __init__(self) -> None:
        self.api = create_api_app()

    def http(self, token: str | None) -> httpx2.AsyncClient:
        """A plain HTTP client of the app, sending `token`."""
        return httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=self.api),
            base_url=BASE_URL,
            headers=auth(token),
        )

    @contextlib.asynccontextmanager
    async def connect(self, token: str | None) -> AsyncIterator[Client]:
        """The SDK's client, connected to `/mcp` with `token`."""
        async with (
            self.http(token) as http,
            Client(streamable_http_client(MCP_URL, http_client=http)) as client,
        ):
            yield client

    def run(self, scenario: Callable[[], Awaitable[T]]) -> T:
        """Run `scenario()` while the app (and so its MCP endpoint) is up."""

        async def within_lifespan() -> T:
            async with self.api.router.lifespan_context(self.api):
                return await scenario()

        return asyncio.run(within_lifespan())

    def call(self, token: str | None, tool: str, **arguments: Any) -> CallToolResult:
        """Call one tool with `token` in a connection of its own."""

        async def scenario() -> CallToolResult:
            async with self.connect(token) as client:
                return await client.call_tool(tool, arguments)

        return self.run(scenario)


def error_text(result: CallToolResult) -> str:
    """The text of a tool error (the test fails if the call succeeded)."""
    assert result.is_error, result.structured_content
    return " ".join(getattr(part, "text", "") for part in result.content)


@pytest.fixture
def mcp_http(database_url: str) -> McpHttp:
    """The MCP endpoint of a fresh API app on the test database."""
    return McpHttp()


@pytest.fixture
def user(session: Session) -> User:
    """The token owner."""
    return make_user(session, email="ada@example.com")


@pytest.fixture
def other_user(session: Session) -> User:
    """Someone else, whose tasks the token owner must never reach."""
    return make_user(session, email="bob@example.com")


@pytest.fixture
def write_token(session: Session, user: User) -> str:
    """A personal access token of `user` with the write scope."""
    return make_access_token(session, user, scope=TokenScope.write)


@pytest.fixture
def read_token(session: Session, user: User) -> str:
    """A personal access token of `user` with the read scope only."""
    return make_access_token(session, user, scope=TokenScope.read)
