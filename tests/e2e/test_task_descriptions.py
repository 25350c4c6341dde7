"""A task's description written in Markdown reads as formatted text in its row, safely."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import add_tasks_via_api, register, unique_email

PASSWORD = "pw-123456"


def test_a_markdown_description_is_shown_formatted_in_the_row(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    email = unique_email("markdown")
    register(page, base, name="Mo", email=email, password=PASSWORD)
    add_tasks_via_api(
        base,
        email=email,
        password=PASSWORD,
        tasks=[
            {
                "title": "Plan the trip",
                "description": "**Book** the [train](https://example.com/trains) first",
            }
        ],
    )
    row = page.get_by_role("listitem").filter(has_text="Plan the trip")
    expect(row.get_by_role("strong")).to_have_text("Book")
    link = row.get_by_role("link", name="train")
    expect(link).to_have_attribute("href", "https://example.com/trains")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
    expect(row.get_by_text("**Book**")).to_have_count(0)


def test_html_and_script_links_in_a_description_stay_inert(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    email = unique_email("inert")
    register(page, base, name="Ida", email=email, password=PASSWORD)
    add_tasks_via_api(
        base,
        email=email,
        password=PASSWORD,
        tasks=[
            {
                "title": "Odd notes",
                "description": "<b>not bold</b> [click](javascript:alert(1)) costs $5 or $10",
            }
        ],
    )
    row = page.get_by_role("listitem").filter(has_text="Odd notes")
    # Raw HTML is shown as the text it is, and "$" stays a dollar sign (no math).
    expect(row.get_by_text("<b>not bold</b>", exact=False)).to_be_visible()
    expect(row.get_by_text("costs $5 or $10", exact=False)).to_be_visible()
    expect(row.get_by_role("strong")).to_have_count(0)
    link = row.get_by_role("link", name="click")
    href = link.get_attribute("href") or ""
    assert not href.lower().startswith("javascript:")
