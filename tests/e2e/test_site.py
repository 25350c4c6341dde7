"""What surrounds the pages: the styled page for an unknown address."""

from __future__ import annotations

from playwright.sync_api import Page, WebSocket, expect

from bench.server import RunningApp
from tests.e2e.helpers import login_url_pattern, register, unique_email, url_pattern


def test_an_unknown_address_shows_a_page_with_a_way_home(
    live_app: RunningApp, page: Page
) -> None:
    page.goto(f"{live_app.url}/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page).to_have_title("Page not found · Todo")
    # The card is the page's main landmark, as the signed-in pages' content is.
    expect(page.get_by_role("main")).to_have_count(1)
    page.get_by_role("link", name="Go to your tasks").click()
    # Signed out, the task page sends the person on to log in.
    expect(page).to_have_url(login_url_pattern(live_app.url))


def test_an_unknown_address_stays_put_for_a_signed_in_person(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(
        page, base, name="Lost", email=unique_email("lost"), password="password123"
    )
    sent: list[str] = []
    replies: list[str] = []

    def record(socket: WebSocket) -> None:
        socket.on("framesent", lambda payload: sent.append(str(payload)))
        socket.on("framereceived", lambda payload: replies.append(str(payload)))

    page.on("websocket", record)
    with page.expect_websocket() as opened:
        page.goto(f"{base}/nope")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    # The page's first answer (its state): whatever it asked on mounting was sent before it.
    while not any(frame.startswith("42") for frame in replies):
        opened.value.wait_for_event("framereceived")
    # It asks the server nothing: the account pages' check of a signed-in browser, which
    # it used to share, answered by sending the tab on to the Inbox.
    assert [frame for frame in sent if frame.startswith("42")] == []
    expect(page).to_have_url(f"{base}/nope")
    page.get_by_role("link", name="Go to your tasks").click()
    expect(page).to_have_url(url_pattern(base, "/"))
    expect(page.get_by_placeholder("What needs to be done?")).to_be_visible()


def test_the_login_page_puts_the_cursor_in_the_email_field(
    live_app: RunningApp, page: Page
) -> None:
    page.goto(f"{live_app.url}/login")
    expect(page.get_by_label("Email")).to_be_focused()


def test_the_register_page_puts_the_cursor_in_the_name_field(
    live_app: RunningApp, page: Page
) -> None:
    page.goto(f"{live_app.url}/register")
    expect(page.get_by_label("Name")).to_be_focused()
