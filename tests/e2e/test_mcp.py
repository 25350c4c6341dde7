"""The running app's MCP endpoint: an assistant's change shows up in the user's open page.

The endpoint is stateless (any worker may answer a request); the 2-worker path of live
sync is covered by tests/e2e/test_live_sync.py, and the tools themselves by tests/mcp/.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import open_completed, register, unique_email

PASSWORD = "password123"


def _personal_token(base_url: str, email: str) -> str:
    login = httpx.post(
        f"{base_url}/api/auth/login", json={"email": email, "password": PASSWORD}
    )
    login.raise_for_status()
    created = httpx.post(
        f"{base_url}/api/tokens",
        json={"name": "Assistant", "scope": "write"},
        headers={"Authorization": f"Bearer {login.json()['access_token']}"},
    )
    created.raise_for_status()
    return created.json()["token"]


def _call_tools(base_url: str, token: str, *calls: tuple[str, dict]) -> list[Any]:
    """Each call's structured result, through the SDK's client over streamable HTTP."""

    async def session() -> list[Any]:
        async with (
            httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http,
            Client(
                streamable_http_client(f"{base_url}/mcp", http_client=http)
            ) as client,
        ):
            results = [await client.call_tool(name, args) for name, args in calls]
        assert not any(result.is_error for result in results), results
        return [result.structured_content for result in results]

    # Playwright's sync API holds this thread's event loop: the client gets its own thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, session()).result(timeout=60)


def test_a_task_added_through_mcp_appears_in_the_open_page(
    live_app: RunningApp,
    page: Page,
) -> None:
    email = unique_email("mcp")
    register(page, live_app.url, name="Ada", email=email, password=PASSWORD)
    token = _personal_token(live_app.direct_url, email)

    added, *_, listed = _call_tools(
        live_app.direct_url,
        token,
        ("add_task", {"title": "Added by the assistant", "priority": "high"}),
        *[("add_task", {"title": f"Batch {n}"}) for n in range(4)],
        ("list_tasks", {"sort": "title", "order": "asc"}),
    )
    assert listed["total"] == 5
    task = page.get_by_role("checkbox", name="Added by the assistant", exact=True)
    expect(task).to_be_visible()

    _call_tools(live_app.direct_url, token, ("complete_task", {"task_id": added["id"]}))
    # Completed elsewhere: the row sinks into the list's "Completed (N)" section (#12).
    open_completed(page)
    expect(task).to_be_checked()
