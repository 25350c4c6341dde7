"""Steps a person takes in the browser, shared by the end-to-end tests."""

from __future__ import annotations

import itertools
import re
from typing import Any

import httpx
from playwright.sync_api import Page, expect

_emails = itertools.count(1)


def unique_email(prefix: str) -> str:
    """An email no other test of this run registered."""
    return f"{prefix}{next(_emails)}-{id(_emails)}@example.com"


def register(
    page: Page, base_url: str, *, name: str, email: str, password: str
) -> None:
    """Create an account through /register and land on the task page."""
    page.goto(f"{base_url}/register")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(f"{base_url}/")
    expect(page.get_by_placeholder("What needs to be done?")).to_be_visible()


def log_in(page: Page, base_url: str, *, email: str, password: str) -> None:
    """Log in through /login and land on the task page."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base_url}/")


def add_task(page: Page, title: str) -> None:
    """Type a title into the new-task input and press Enter."""
    new_task = page.get_by_placeholder("What needs to be done?")
    new_task.fill(title)
    new_task.press("Enter")
    expect(page.get_by_role("checkbox", name=title, exact=True)).to_be_visible()


def login_url_pattern(base_url: str) -> re.Pattern[str]:
    """The login page, with or without the page to come back to afterwards."""
    return re.compile(re.escape(f"{base_url}/login") + r"/?(\?next=[^&]*)?$")


def url_pattern(base_url: str, path: str) -> re.Pattern[str]:
    """A pattern matching exactly `path` under the app's URL (static pages may add a "/")."""
    return re.compile(re.escape(f"{base_url}{path}") + ("/?$" if path != "/" else "$"))


def add_tasks_via_api(
    base_url: str, *, email: str, password: str, tasks: list[dict[str, Any]]
) -> None:
    """Create tasks through the REST API (open pages of the user follow live); "completed": True
    completes one after creating it."""
    login = httpx.post(
        f"{base_url}/api/auth/login", json={"email": email, "password": password}
    )
    login.raise_for_status()
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    for fields in tasks:
        body = {key: value for key, value in fields.items() if key != "completed"}
        created = httpx.post(f"{base_url}/api/tasks", json=body, headers=headers)
        created.raise_for_status()
        if fields.get("completed"):
            httpx.patch(
                f"{base_url}/api/tasks/{created.json()['id']}/complete",
                headers=headers,
            ).raise_for_status()


def open_completed(page: Page) -> None:
    """Open the list's collapsed "Completed (N)" section, where completed tasks sink (#12)."""
    summary = page.get_by_text(re.compile(r"^Completed \(\d+\)$"))
    expect(summary).to_be_visible()
    if page.locator("details", has=summary).get_attribute("open") is None:
        summary.click()
