"""Today's rows say no more than their heading; the import's file input has a label."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

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


def test_the_import_file_input_has_a_label(
    live_app: RunningApp, page: Page, tmp_path: Path
) -> None:
    base = live_app.url
    register(page, base, name="Im", email=unique_email("import"), password=PASSWORD)
    page.get_by_role("link", name="Settings").click()
    file_input = page.get_by_label("File to import", exact=True)
    expect(file_input).to_have_attribute("type", "file")

    exported = tmp_path / "tasks.csv"
    exported.write_text(
        "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,"
        "TIMEZONE\r\ntask,Buy milk,,4,1,,,,en,UTC\r\n"
    )
    file_input.set_input_files(exported)
    expect(page.get_by_text("tasks.csv")).to_be_visible()
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_role("status").filter(has_text="imported")).to_have_text(
        "1 task imported"
    )
