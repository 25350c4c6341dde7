"""The details dialog lists a task's reminders, adds them (before, at the due time, at a moment)
and removes them; what the service refuses shows as a readable error in the dialog."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import add_task, add_tasks_via_api, register, unique_email

PASSWORD = "pw123456"


def _reminders_via_api(base: str, email: str, title: str) -> list[dict[str, object]]:
    login = httpx.post(
        f"{base}/api/auth/login", json={"email": email, "password": PASSWORD}
    )
    login.raise_for_status()
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    found = httpx.get(f"{base}/api/tasks", params={"q": title}, headers=headers)
    found.raise_for_status()
    (task,) = found.json()
    listed = httpx.get(f"{base}/api/tasks/{task['id']}/reminders", headers=headers)
    listed.raise_for_status()
    return listed.json()


def test_details_dialog_adds_lists_and_removes_reminders(
    live_app: RunningApp, page: Page
) -> None:
    email = unique_email("dialog-reminders")
    register(page, live_app.url, name="Rae", email=email, password=PASSWORD)
    due = date.today() + timedelta(days=5)
    add_tasks_via_api(
        live_app.url,
        email=email,
        password=PASSWORD,
        tasks=[{"title": "Dentist", "due_date": due.isoformat(), "due_time": "10:00"}],
    )
    page.get_by_role("button", name="Edit details of Dentist").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("No reminders.")).to_be_visible()
    # They sit below Save and Cancel, which do not cover them: the dialog says so.
    expect(
        dialog.get_by_text("Added and removed at once: Save is not needed")
    ).to_be_visible()

    # "2 hours before": the unit is the dialog's, the API stores minutes.
    dialog.get_by_label("How long before").fill("2")
    dialog.get_by_label("Unit").click()
    page.get_by_role("option", name="hours").click()
    dialog.get_by_role("button", name="Add reminder").click()
    listed = dialog.get_by_role("list", name="Reminders of this task")
    expect(listed.get_by_role("listitem")).to_have_count(1)
    expect(listed).to_contain_text("2 hours before")
    expect(listed).to_contain_text(f"Fires {due.isoformat()} 08:00")

    # At a moment of its own, on the user's clock.
    dialog.get_by_label("Remind", exact=True).click()
    page.get_by_role("option", name="At a date and time").click()
    dialog.get_by_label("Date and time").fill(f"{due.isoformat()}T07:30")
    dialog.get_by_role("button", name="Add reminder").click()
    expect(listed.get_by_role("listitem")).to_have_count(2)
    expect(listed.get_by_role("listitem").first).to_contain_text(
        f"At {due.isoformat()} 07:30"
    )

    dialog.get_by_role("button", name="Remove reminder 2 hours before").click()
    expect(listed.get_by_role("listitem")).to_have_count(1)
    expect(listed).not_to_contain_text("2 hours before")
    stored = _reminders_via_api(live_app.url, email, "Dentist")
    assert [(r["type"], r["minutes"]) for r in stored] == [("at", None)]


def test_details_dialog_shows_why_a_reminder_cannot_be_added(
    live_app: RunningApp, page: Page
) -> None:
    email = unique_email("dialog-reminders")
    register(page, live_app.url, name="Rae", email=email, password=PASSWORD)
    add_task(page, "Someday")
    page.get_by_role("button", name="Edit details of Someday").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Remind", exact=True).click()
    page.get_by_role("option", name="At the due time").click()
    dialog.get_by_role("button", name="Add reminder").click()
    expect(dialog.get_by_role("alert")).to_contain_text("needs a task with a due date")
    expect(dialog.get_by_text("No reminders.")).to_be_visible()
    assert _reminders_via_api(live_app.url, email, "Someday") == []
