"""What surrounds the pages: the styled page for an unknown address."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import login_url_pattern


def test_an_unknown_address_shows_a_page_with_a_way_home(
    live_app: RunningApp, page: Page
) -> None:
    page.goto(f"{live_app.url}/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page).to_have_title("Page not found · Todo")
    page.get_by_role("link", name="Go to your tasks").click()
    # Signed out, the task page sends the person on to log in.
    expect(page).to_have_url(login_url_pattern(live_app.url))


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
