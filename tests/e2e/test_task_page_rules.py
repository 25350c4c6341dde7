"""Rules of the task page in Chromium: bulk actions on the view."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveApp
from tests.e2e.helpers import (
    add_tasks_via_api,
    register,
    unique_email,
)

PASSWORD = "password123"


def _register(page: Page, base: str, prefix: str) -> str:
    email = unique_email(prefix)
    register(page, base, name="Rue", email=email, password=PASSWORD)
    return email


def _token(base: str, email: str) -> str:
    """A bearer token of the REST API for the user `email`."""
    response = httpx.post(
        f"{base}/api/auth/login", json={"email": email, "password": PASSWORD}
    )
    response.raise_for_status()
    return response.json()["access_token"]


def _completed_titles(base: str, email: str) -> set[str]:
    listed = httpx.get(
        f"{base}/api/tasks",
        params={"status": "completed"},
        headers={"Authorization": f"Bearer {_token(base, email)}"},
    )
    return {task["title"] for task in listed.json()}


def test_mark_all_under_a_tag_filter_completes_only_that_tags_tasks(
    live_app: LiveApp, page: Page
) -> None:
    email = _register(page, live_app.url, "bulk")
    add_tasks_via_api(
        live_app.url,
        email=email,
        password=PASSWORD,
        tasks=[
            {"title": "Water plants", "tags": ["home"]},
            {"title": "Sweep", "tags": ["home"]},
            {"title": "File taxes", "tags": ["work"]},
        ],
    )
    page.goto(f"{live_app.url}/?tag=%23Home")
    expect(page.get_by_role("checkbox", name="File taxes")).to_have_count(0)

    page.get_by_role("checkbox", name="Mark all as complete").click()

    expect(page.get_by_role("checkbox", name="Water plants")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Sweep")).to_be_checked()
    expect(page.get_by_role("button", name="Clear completed (2)")).to_be_visible()
    assert _completed_titles(live_app.url, email) == {"Water plants", "Sweep"}


def test_clear_completed_says_how_many_of_the_view_it_deletes(
    live_app: LiveApp, page: Page
) -> None:
    email = _register(page, live_app.url, "clear")
    add_tasks_via_api(
        live_app.url,
        email=email,
        password=PASSWORD,
        tasks=[
            {"title": "Water plants", "tags": ["home"], "completed": True},
            {"title": "File taxes", "tags": ["work"], "completed": True},
        ],
    )
    page.goto(f"{live_app.url}/?tag=home")
    page.get_by_role("button", name="Clear completed (1)").click()
    expect(page.get_by_text("Nothing matches")).to_be_visible()
    page.goto(f"{live_app.url}/")
    expect(page.get_by_role("checkbox", name="File taxes")).to_be_checked()
