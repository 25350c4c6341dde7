"""A time of day set in the new-task form shows on the row and can be changed in the dialog."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import register, unique_email
from todo_app.state.readable_dates import readable_date


def test_a_task_with_a_time_shows_it_on_its_row(
    live_app: RunningApp, page: Page
) -> None:
    register(
        page, live_app.url, name="Tim", email=unique_email("time"), password="pw-123456"
    )
    due = date.today() + timedelta(days=3)
    later, shown = due.isoformat(), readable_date(due, date.today())
    page.get_by_placeholder("What needs to be done?").fill("Dentist")
    page.get_by_text("More options").click()
    page.get_by_label("Due date").fill(later)
    page.get_by_label("Time").fill("18:30")
    page.get_by_role("button", name="Add task").click()
    expect(page.get_by_text(f"{shown} 18:30")).to_be_visible()

    page.get_by_role("button", name="Edit details of Dentist").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Time")).to_have_value("18:30")
    dialog.get_by_label("Time").fill("09:15")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"{shown} 09:15")).to_be_visible()
