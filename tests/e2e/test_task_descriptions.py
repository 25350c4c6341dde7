"""A task's description written in Markdown reads as formatted text in its row, safely."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import add_task, add_tasks_via_api, register, unique_email

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


def test_the_details_dialog_edits_the_markdown_as_plain_text_and_says_so(
    live_app: RunningApp, page: Page
) -> None:
    register(
        page, live_app.url, name="Ed", email=unique_email("md-edit"), password=PASSWORD
    )
    add_task(page, "Pack")
    page.get_by_role("button", name="Edit details of Pack").click()
    field = page.get_by_role("dialog").get_by_label("Description")
    expect(field).to_have_accessible_description(re.compile(r"^Markdown works"))
    field.fill("- *socks*\n- boots")
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    row = page.get_by_role("listitem").filter(has_text="Pack")
    expect(row.get_by_role("emphasis")).to_have_text("socks")

    page.get_by_role("button", name="Edit details of Pack").click()
    expect(page.get_by_role("dialog").get_by_label("Description")).to_have_value(
        "- *socks*\n- boots"
    )
