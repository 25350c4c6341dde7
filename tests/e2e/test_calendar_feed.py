"""Settings: the private calendar feed link, shown, copied, replaced; the link opens the feed."""

from __future__ import annotations

import re

import httpx
from icalendar import Calendar
from playwright.sync_api import BrowserContext, Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import add_tasks_via_api, register, unique_email

FEED_PATH = re.compile(r"/api/calendar/[A-Za-z0-9_-]{43}\.ics$")


def _fetch_feed(app: RunningApp, url: str) -> httpx.Response:
    assert url.startswith(f"{app.url}/api/calendar/"), url
    return httpx.get(app.direct_url + url.removeprefix(app.url), timeout=10)


def test_calendar_link_in_settings_opens_the_feed_and_a_new_link_retires_it(
    live_app: RunningApp, context: BrowserContext, page: Page
) -> None:
    base = live_app.url
    email = unique_email("calendar")
    register(page, base, name="Cal", email=email, password="pw-123456")
    add_tasks_via_api(
        base,
        email=email,
        password="pw-123456",
        tasks=[
            {"title": "Pay rent", "due_date": "2030-01-31", "recurrence": "monthly"}
        ],
    )
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Calendar feed")).to_be_visible()
    link = page.get_by_label("Private calendar link")
    expect(link).to_have_value("")
    expect(page.get_by_role("list", name="How to subscribe")).to_contain_text(
        "Google Calendar"
    )

    page.get_by_role("button", name="Show link").click()
    expect(link).to_have_value(FEED_PATH)
    first = link.input_value()
    feed = _fetch_feed(live_app, first)
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    titles = [
        str(e["SUMMARY"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")
    ]
    assert titles == ["Pay rent"]

    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Calendar link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == first

    page.get_by_role("button", name="New link").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("The current link stops working")
    dialog.get_by_role("button", name="Make a new link").click()
    expect(dialog).to_be_hidden()
    expect(link).not_to_have_value(first)
    expect(link).to_have_value(FEED_PATH)
    assert _fetch_feed(live_app, first).status_code == 404
    assert _fetch_feed(live_app, link.input_value()).status_code == 200
