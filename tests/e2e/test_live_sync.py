"""Live sync: a change made anywhere shows up in every open page of its user, and nowhere else.

Each test runs against the single-worker app and against 2 workers sharing state through Redis.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
import redis
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    WebSocket,
    WebSocketRoute,
    expect,
)

from bench.server import RunningApp
from tests.e2e.conftest import AppSlot
from tests.e2e.helpers import (
    add_task,
    log_in,
    open_completed,
    register,
    unique_email,
)

PASSWORD = "password123"
LIVE_DEADLINE_SECONDS = 1.0
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def _reachable_redis_url() -> str | None:
    # CI sets TEST_REDIS_URL: there the cluster tests must run (and fail if Redis is down).
    configured = os.environ.get("TEST_REDIS_URL")
    if configured:
        return configured
    try:
        redis.Redis.from_url(DEFAULT_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return DEFAULT_REDIS_URL


@pytest.fixture
def live_cluster(app_slot: AppSlot) -> RunningApp:
    """The production app as 2 backend workers sharing state through Redis."""
    redis_url = _reachable_redis_url()
    if redis_url is None:
        pytest.skip(
            f"no Redis at {DEFAULT_REDIS_URL} and TEST_REDIS_URL is unset: "
            "the 2-worker live-sync tests need Redis"
        )
    app = app_slot.serve(workers=2, redis_url=redis_url)
    workers = app.processes()[1:]
    assert len(workers) >= 2, f"expected 2 backend workers, found {workers}"
    return app


@pytest.fixture(
    params=[
        pytest.param("live_app", id="1-worker"),
        pytest.param("live_cluster", id="2-workers-redis", marks=pytest.mark.cluster),
    ]
)
def server(request: pytest.FixtureRequest) -> RunningApp:
    """Each live-sync test runs on one worker and on two workers with Redis."""
    return request.getfixturevalue(request.param)


@dataclass
class Tab:
    """A signed-in page and every websocket message it received."""

    context: BrowserContext
    page: Page
    messages: list[str] = field(default_factory=list)
    sockets: list[WebSocket] = field(default_factory=list)

    def events_since(self, index: int) -> list[str]:
        """State updates received after message number `index` (Socket.IO pings left out)."""
        return [m for m in self.messages[index:] if m.startswith("42")]


class FlakyNetwork:
    """Routes a profile's websockets through Playwright, so a test can cut the connection.

    While the network is down, the page's reconnection attempts are held (not answered) and
    are connected to the server when it comes back, as after a real outage.
    """

    def __init__(self) -> None:
        self.up = True
        self.connections: list[WebSocketRoute] = []
        self.held: list[WebSocketRoute] = []

    def route(self, socket: WebSocketRoute) -> None:
        """Connect the page's websocket to the server, or hold it while the network is down."""
        if self.up:
            socket.connect_to_server()
            self.connections.append(socket)
        else:
            self.held.append(socket)

    def drop(self) -> None:
        """Cut every open websocket; new ones wait until `restore`."""
        self.up = False
        for connection in self.connections:
            connection.close()
        self.connections.clear()

    def wait_for_held_attempt(self, page: Page, timeout: float = 5.0) -> None:
        """Let Playwright dispatch events until the page tries to reconnect (bounded)."""
        deadline = time.monotonic() + timeout
        while not self.held:
            assert time.monotonic() < deadline, "the page did not try to reconnect"
            page.wait_for_timeout(
                50
            )  # pumps Playwright's events; the loop waits for a condition

    def restore(self) -> None:
        """Bring the network back: held connection attempts reach the server."""
        self.up = True
        for socket in self.held:
            socket.connect_to_server()
            self.connections.append(socket)
        self.held.clear()


def open_tab(browser: Browser, network: FlakyNetwork | None = None) -> Tab:
    """A fresh browser profile whose websocket traffic is recorded from the first page on."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if network is not None:
        context.route_web_socket("**/_event**", network.route)
    page = context.new_page()
    tab = Tab(context=context, page=page)

    def on_socket(socket: WebSocket) -> None:
        tab.sockets.append(socket)
        socket.on("framereceived", lambda payload: tab.messages.append(str(payload)))

    page.on("websocket", on_socket)
    return tab


@pytest.fixture
def tabs(browser: Browser) -> Iterator[list[Tab]]:
    """Open tabs of the test, closed at its end."""
    opened: list[Tab] = []
    yield opened
    for tab in opened:
        tab.context.close()


def api_token(base_url: str, email: str) -> str:
    """A bearer token for the REST API."""
    response = httpx.post(
        f"{base_url}/api/auth/login", json={"email": email, "password": PASSWORD}
    )
    response.raise_for_status()
    return response.json()["access_token"]


def seconds_until_visible(pages: list[Page], title: str, since: float) -> float:
    """Wait (event-driven, bounded) until every page shows a task named `title`."""
    for page in pages:
        page.get_by_role("checkbox", name=title, exact=True).wait_for(
            state="visible", timeout=5_000
        )
    return time.monotonic() - since


def signed_in_pair(
    browser: Browser, tabs: list[Tab], server: RunningApp
) -> tuple[str, Tab, Tab]:
    """One user signed in in two separate browsers."""
    email = unique_email("live")
    first, second = open_tab(browser), open_tab(browser)
    tabs += [first, second]
    register(first.page, server.url, name="Lee", email=email, password=PASSWORD)
    log_in(second.page, server.url, email=email, password=PASSWORD)
    return email, first, second


def test_api_change_appears_in_every_page_of_the_user_and_nowhere_else(
    server: RunningApp, browser: Browser, tabs: list[Tab]
) -> None:
    email, first, second = signed_in_pair(browser, tabs, server)
    stranger = open_tab(browser)
    tabs.append(stranger)
    register(
        stranger.page,
        server.url,
        name="Sam",
        email=unique_email("stranger"),
        password=PASSWORD,
    )
    token = api_token(server.url, email)
    stranger_mark = len(stranger.messages)

    title = f"From the API {uuid.uuid4().hex[:6]}"
    response = httpx.post(
        f"{server.url}/api/tasks",
        json={"title": title},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    elapsed = seconds_until_visible([first.page, second.page], title, time.monotonic())
    print(
        f"\nAPI create visible in both pages after {elapsed * 1000:.0f} ms ({server.url})"
    )
    assert elapsed < LIVE_DEADLINE_SECONDS

    # The stranger's own round trip: any push for the first user would have come before it.
    add_task(stranger.page, "Stranger's own task")
    assert stranger.page.get_by_role("checkbox", name=title).count() == 0
    pushed_to_stranger = [m for m in stranger.events_since(stranger_mark) if title in m]
    assert pushed_to_stranger == []

    # Completing and deleting through the API show up the same way.
    task_id = response.json()["id"]
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        httpx.patch(
            f"{server.url}/api/tasks/{task_id}/complete", headers=headers
        ).status_code
        == 200
    )
    for tab in (first, second):
        # Completed elsewhere: the row sinks into the list's "Completed (N)" section (#12).
        open_completed(tab.page)
        expect(tab.page.get_by_role("checkbox", name=title, exact=True)).to_be_checked(
            timeout=2_000
        )
    assert (
        httpx.delete(f"{server.url}/api/tasks/{task_id}", headers=headers).status_code
        == 204
    )
    for tab in (first, second):
        expect(tab.page.get_by_role("checkbox", name=title, exact=True)).to_have_count(
            0, timeout=2_000
        )


def test_change_in_one_browser_appears_in_the_other(
    server: RunningApp, browser: Browser, tabs: list[Tab]
) -> None:
    _email, first, second = signed_in_pair(browser, tabs, server)
    title = f"Typed in the first browser {uuid.uuid4().hex[:6]}"
    started = time.monotonic()
    add_task(first.page, title)
    elapsed = seconds_until_visible([second.page], title, started)
    print(f"\nUI create visible in the other browser after {elapsed * 1000:.0f} ms")
    assert elapsed < LIVE_DEADLINE_SECONDS


def test_inline_edit_keeps_typed_text_when_the_task_changes_elsewhere(
    server: RunningApp, browser: Browser, tabs: list[Tab]
) -> None:
    email, first, _second = signed_in_pair(browser, tabs, server)
    title = f"Being edited {uuid.uuid4().hex[:6]}"
    add_task(first.page, title)
    first.page.get_by_role("button", name=f"Edit {title}").click()
    editor = first.page.get_by_label("Edit title")
    editor.fill("My unsaved words")

    token = api_token(server.url, email)
    headers = {"Authorization": f"Bearer {token}"}
    listed = httpx.get(
        f"{server.url}/api/tasks", params={"q": title}, headers=headers
    ).json()
    httpx.patch(
        f"{server.url}/api/tasks/{listed[0]['id']}",
        json={"title": "Renamed by the API"},
        headers=headers,
    )

    expect(
        first.page.get_by_role("status").filter(has_text="changed elsewhere")
    ).to_be_visible(timeout=2_000)
    expect(editor).to_have_value("My unsaved words")


def test_reconnected_page_shows_changes_made_while_it_was_offline(
    server: RunningApp, browser: Browser, tabs: list[Tab]
) -> None:
    network = FlakyNetwork()
    tab = open_tab(browser, network)
    tabs.append(tab)
    email = unique_email("offline")
    register(tab.page, server.url, name="Off", email=email, password=PASSWORD)
    sockets_before = len(tab.sockets)

    network.drop()
    network.wait_for_held_attempt(tab.page)
    token = api_token(server.url, email)
    title = f"Made while offline {uuid.uuid4().hex[:6]}"
    response = httpx.post(
        f"{server.url}/api/tasks",
        json={"title": title},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    network.restore()

    tab.page.get_by_role("checkbox", name=title, exact=True).wait_for(
        state="visible", timeout=15_000
    )
    assert len(tab.sockets) > sockets_before, (
        "the page should have reconnected with a new websocket"
    )
