"""What surrounds the pages: the styled page for an unknown address."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveApp
from tests.e2e.helpers import url_pattern


def test_an_unknown_address_shows_a_page_with_a_way_home(
    live_app: LiveApp, page: Page
) -> None:
    page.goto(f"{live_app.url}/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page).to_have_title("Page not found · Todo")
    page.get_by_role("link", name="Go to your tasks").click()
    # Signed out, the task page sends the person on to log in.
    expect(page).to_have_url(url_pattern(live_app.url, "/login"))
