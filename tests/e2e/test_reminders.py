"""A reminder that fires shows its toast and the bell in every open tab; "Complete" completes.

The app's reminder clock runs a minute ahead (TODO_REMINDER_CLOCK_AHEAD_SECONDS in
`conftest.E2E_ENV`): a reminder set 1 minute ahead, as a person would, is due at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import open_completed, register, unique_email

PASSWORD = "password123"


def _api(base_url: str, email: str) -> httpx.Client:
    login = httpx.post(
        f"{base_url}/api/auth/login", json={"email": email, "password": PASSWORD}
    )
    login.raise_for_status()
    token = login.json()["access_token"]
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"})


def test_fired_reminder_shows_in_two_tabs_and_complete_completes_the_task(
    live_app: RunningApp, page: Page, context: BrowserContext
) -> None:
    email = unique_email("remind")
    register(page, live_app.url, name="Rita", email=email, password=PASSWORD)
    # A second tab of the same browser profile: signed in as the same person.
    other_tab = context.new_page()
    other_tab.goto(f"{live_app.url}/")
    expect(other_tab.get_by_placeholder("What needs to be done?")).to_be_visible()
    with _api(live_app.url, email) as api:
        task = api.post("/api/tasks", json={"title": "Water the plants"})
        task.raise_for_status()
        fire_at = datetime.now(UTC) + timedelta(minutes=1)
        api.post(
            f"/api/tasks/{task.json()['id']}/reminders",
            json={"type": "at", "at": fire_at.isoformat()},
        ).raise_for_status()
    for tab in (page, other_tab):
        toast = tab.get_by_role("alert", name="Reminder")
        expect(toast).to_contain_text("Water the plants")
        expect(tab.get_by_role("button", name="Reminders, 1 unread")).to_be_visible()
    page.get_by_role("alert", name="Reminder").get_by_role(
        "button", name="Complete"
    ).click()
    for tab in (page, other_tab):
        # Completed elsewhere (the toast, another tab): the row sinks below the list.
        open_completed(tab)
        expect(
            tab.get_by_role("checkbox", name="Water the plants", exact=True)
        ).to_be_checked()
        expect(tab.get_by_role("alert", name="Reminder")).to_have_count(0)


def test_the_bell_is_highlighted_only_while_something_is_unread(
    live_app: RunningApp, page: Page
) -> None:
    email = unique_email("bell")
    register(page, live_app.url, name="Rita", email=email, password=PASSWORD)
    transparent = "rgba(0, 0, 0, 0)"
    bell = page.get_by_role("button", name="Reminders", exact=True)
    expect(bell).to_have_css("background-color", transparent)
    with _api(live_app.url, email) as api:
        task = api.post("/api/tasks", json={"title": "Water the plants"})
        task.raise_for_status()
        api.post(
            f"/api/tasks/{task.json()['id']}/reminders",
            json={
                "type": "at",
                "at": (datetime.now(UTC) + timedelta(minutes=1)).isoformat(),
            },
        ).raise_for_status()
    unread = page.get_by_role("button", name="Reminders, 1 unread")
    expect(unread).not_to_have_css("background-color", transparent)
    # Read: the toast's "Dismiss" (the toast lies over the bell until then).
    page.get_by_role("alert", name="Reminder").get_by_role(
        "button", name="Dismiss"
    ).click()
    page.mouse.move(0, 0)  # a ghost button has a background under the pointer
    expect(bell).to_have_css("background-color", transparent)
