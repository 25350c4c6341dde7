"""Today's rows say no more than their heading."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Locator, Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import add_tasks_via_api, register, unique_email

PASSWORD = "pw-123456"


def test_a_row_under_its_days_heading_does_not_repeat_the_day(
    live_app: RunningApp, page: Page
) -> None:
    base, email = live_app.url, unique_email("chips")
    register(page, base, name="Ch", email=email, password=PASSWORD)
    today = date.today()
    add_tasks_via_api(
        base,
        email=email,
        password=PASSWORD,
        tasks=[
            {"title": "Late report", "due_date": (today - timedelta(2)).isoformat()},
            {"title": "Call mum", "due_date": today.isoformat()},
            {"title": "Gym", "due_date": today.isoformat(), "due_time": "18:00"},
            {"title": "Dentist", "due_date": (today + timedelta(1)).isoformat()},
        ],
    )
    expect(page.get_by_role("checkbox", name="Dentist")).to_be_visible()

    def due_badge(title: str) -> Locator:
        row = page.get_by_role("listitem").filter(
            has=page.get_by_role("checkbox", name=title, exact=True)
        )
        return row.get_by_title(re.compile("^Due "))

    # The Inbox mixes days: each row says its own.
    expect(due_badge("Call mum")).to_have_text("Today")
    expect(due_badge("Dentist")).to_have_text("Tomorrow")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(["Overdue", "Today"])
    expect(page.get_by_role("checkbox", name="Call mum")).to_be_visible()
    expect(due_badge("Call mum")).to_have_count(0)
    # The time is still news; how late an overdue task is, too.
    expect(due_badge("Gym")).to_have_text("18:00")
    expect(due_badge("Late report")).to_have_text("2 days overdue")

    nav.get_by_role("link", name="Upcoming").click()
    expect(page.get_by_role("checkbox", name="Dentist")).to_be_visible()
    expect(due_badge("Dentist")).to_have_count(0)
