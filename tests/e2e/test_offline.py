"""While the server cannot be reached: a calm banner, and a typed task that waits instead of
being lost (or typed twice)."""

from __future__ import annotations

import re
import time

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, WebSocketRoute, expect

from bench.server import RunningApp
from tests.e2e.helpers import register, unique_email

PASSWORD = "password123"
OFFLINE_TEXT = "Offline - reconnecting..."


class Outage:
    """Routes a profile's websockets through Playwright, so a test can take the server away.

    During the outage the open connection is cut and each new attempt is answered with a
    packet the client cannot read: socket.io takes it as a failed connection, as when the
    server is down, and retries. When the outage ends, the next attempt reaches the server.
    """

    def __init__(self) -> None:
        self.down = False
        self.connections: list[WebSocketRoute] = []
        self.refused = 0

    def route(self, socket: WebSocketRoute) -> None:
        """Connect the page's websocket to the server, or refuse it during the outage."""
        if self.down:
            socket.send("not an engine.io packet")
            self.refused += 1
            return
        socket.connect_to_server()
        self.connections.append(socket)

    def begin(self) -> None:
        """Cut every open connection; attempts fail until `end`."""
        self.down = True
        for connection in self.connections:
            connection.close()
        self.connections.clear()

    def wait_for_refusals(self, page: Page, count: int, timeout: float = 10.0) -> None:
        """Let Playwright dispatch events until the page has tried `count` times (bounded)."""
        deadline = time.monotonic() + timeout
        while self.refused < count:
            assert time.monotonic() < deadline, f"only {self.refused} attempts"
            page.wait_for_timeout(
                50
            )  # pumps Playwright's events; the loop waits for a condition

    def end(self) -> None:
        """The server is back for the page's next attempt."""
        self.down = False


def _offline_page(
    browser: Browser, live_app: RunningApp
) -> tuple[BrowserContext, Page, Outage, str]:
    outage = Outage()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route_web_socket("**/_event**", outage.route)
    page = context.new_page()
    email = unique_email("offline")
    register(page, live_app.url, name="Off", email=email, password=PASSWORD)
    return context, page, outage, email


def _titles(base: str, email: str) -> list[str]:
    token = httpx.post(
        f"{base}/api/auth/login", json={"email": email, "password": PASSWORD}
    ).json()["access_token"]
    listed = httpx.get(
        f"{base}/api/tasks", headers={"Authorization": f"Bearer {token}"}
    )
    return [task["title"] for task in listed.json()]


def test_a_calm_banner_shows_while_the_server_cannot_be_reached(
    live_app: RunningApp, browser: Browser
) -> None:
    context, page, outage, _email = _offline_page(browser, live_app)
    try:
        outage.begin()
        banner = page.get_by_role("status").filter(has_text=OFFLINE_TEXT)
        expect(banner).to_be_visible()
        # Reflex's own overlay is replaced, not added to: its toast (naming the websocket
        # URL) would show from the second failed attempt, its icon's title is always there.
        outage.wait_for_refusals(page, 3)
        expect(page.get_by_text("Cannot connect to server")).to_have_count(0)
        expect(page.get_by_title(re.compile("Connection Error"))).to_have_count(0)
        outage.end()
        expect(page.get_by_text(OFFLINE_TEXT)).to_have_count(0)
    finally:
        context.close()


def test_a_task_typed_offline_waits_in_the_input_until_the_server_stores_it(
    live_app: RunningApp, browser: Browser
) -> None:
    context, page, outage, email = _offline_page(browser, live_app)
    try:
        outage.begin()
        expect(page.get_by_text(OFFLINE_TEXT)).to_be_visible()
        new_task = page.get_by_placeholder("What needs to be done?")
        new_task.fill("Written offline")
        new_task.press("Enter")
        expect(new_task).to_have_value("Written offline")
        expect(page.get_by_role("checkbox", name="Written offline")).to_have_count(0)

        outage.end()
        expect(page.get_by_role("checkbox", name="Written offline")).to_be_visible()
        expect(new_task).to_have_value("")
        assert _titles(live_app.url, email) == ["Written offline"]
    finally:
        context.close()
