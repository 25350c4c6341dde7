"""System notifications of reminders: the Settings switch asks the browser's permission only
when clicked; while on and allowed, a due reminder also raises a system notification; a
blocked permission leaves it off and says what to do.

An init script wraps `window.Notification` so the test sees what the page constructs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import register, unique_email

PASSWORD = "password123"
SWITCH = "System notifications in this browser"
# Records every notification the page constructs and every permission request.
RECORD_NOTIFICATIONS = """
(() => {
  const Real = window.Notification;
  window.__notifications = [];
  window.__permissionRequests = 0;
  class Recording extends Real {
    constructor(title, options) {
      window.__notifications.push({ title, body: options?.body ?? "" });
      super(title, options);
    }
  }
  const ask = Real.requestPermission.bind(Real);
  Recording.requestPermission = () => {
    window.__permissionRequests += 1;
    return ask();
  };
  window.Notification = Recording;
})();
"""
# A person who clicks "Block" when the browser asks.
BLOCK_WHEN_ASKED = """
(() => {
  let answer = "default";
  Object.defineProperty(window.Notification, "permission", {
    get: () => answer,
    configurable: true,
  });
  window.Notification.requestPermission = async () => {
    window.__permissionRequests += 1;
    answer = "denied";
    return answer;
  };
})();
"""


def _reminder_in_a_minute(base: str, email: str, title: str) -> None:
    login = httpx.post(
        f"{base}/api/auth/login", json={"email": email, "password": PASSWORD}
    )
    login.raise_for_status()
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    task = httpx.post(f"{base}/api/tasks", json={"title": title}, headers=headers)
    task.raise_for_status()
    at = datetime.now(UTC) + timedelta(minutes=1)
    httpx.post(
        f"{base}/api/tasks/{task.json()['id']}/reminders",
        json={"type": "at", "at": at.isoformat()},
        headers=headers,
    ).raise_for_status()


def _notifications(page: Page) -> list[dict[str, str]]:
    return page.evaluate("window.__notifications")


def test_switch_on_with_permission_raises_a_system_notification_for_a_due_reminder(
    live_app: RunningApp, context: BrowserContext, page: Page
) -> None:
    context.grant_permissions(["notifications"], origin=live_app.url)
    context.add_init_script(RECORD_NOTIFICATIONS)
    email = unique_email("notify")
    register(page, live_app.url, name="Nia", email=email, password=PASSWORD)
    page.goto(f"{live_app.url}/settings")
    switch = page.get_by_role("switch", name=SWITCH)
    expect(switch).to_have_attribute("aria-checked", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(page.get_by_role("status").filter(has_text="On:")).to_contain_text(
        "system notification"
    )

    page.goto(f"{live_app.url}/")
    expect(page.get_by_placeholder("What needs to be done?")).to_be_visible()
    _reminder_in_a_minute(live_app.url, email, "Call the bank")
    expect(page.get_by_role("alert", name="Reminder")).to_contain_text("Call the bank")
    page.wait_for_function("window.__notifications.length > 0")
    assert _notifications(page) == [{"title": "Reminder", "body": "Call the bank"}]
    # The switch stays on in this browser; turning it off stops the notifications.
    page.goto(f"{live_app.url}/settings")
    expect(switch).to_have_attribute("aria-checked", "true")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")


def test_blocked_permission_leaves_the_switch_off_and_says_how_to_allow_it(
    live_app: RunningApp, context: BrowserContext, page: Page
) -> None:
    context.add_init_script(RECORD_NOTIFICATIONS)
    context.add_init_script(BLOCK_WHEN_ASKED)
    email = unique_email("notify")
    register(page, live_app.url, name="Nia", email=email, password=PASSWORD)
    page.goto(f"{live_app.url}/settings")
    switch = page.get_by_role("switch", name=SWITCH)
    expect(switch).to_have_attribute("aria-checked", "false")
    # Nothing asks before the person clicks the switch.
    assert page.evaluate("window.__permissionRequests") == 0
    switch.click()
    status = page.get_by_role("status").filter(has_text="blocks notifications")
    expect(status).to_contain_text("allow notifications for this site")
    expect(switch).to_have_attribute("aria-checked", "false")
    assert page.evaluate("window.__permissionRequests") == 1

    page.goto(f"{live_app.url}/")
    expect(page.get_by_placeholder("What needs to be done?")).to_be_visible()
    _reminder_in_a_minute(live_app.url, email, "Call the bank")
    expect(page.get_by_role("alert", name="Reminder")).to_contain_text("Call the bank")
    assert _notifications(page) == []
