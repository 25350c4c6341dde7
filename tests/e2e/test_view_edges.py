"""Edges of the lists a person meets: a task link that names no task of theirs, the controls
Today and Upcoming leave out, and a task added onto another page of a long list."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import (
    add_task,
    add_tasks_via_api,
    register,
    unique_email,
    url_pattern,
)
from todo_app.state.task_view import PAGE_SIZE

PASSWORD = "password123"


def test_a_task_link_that_names_no_task_says_so_and_leads_to_the_inbox(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(page, base, name="Vi", email=unique_email("edge-task"), password=PASSWORD)
    add_task(page, "Buy milk")
    for ref in ("abc", "999999"):
        page.goto(f"{base}/tasks/{ref}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Task not found")
        expect(page).to_have_title("Task not found · Todo")
        # The heading says it: no error message besides, no Inbox under the address.
        expect(page.get_by_text("Task not found")).to_have_count(1)
        for control in (
            page.get_by_placeholder("What needs to be done?"),
            page.get_by_placeholder("Search"),
            page.get_by_role("checkbox", name="Buy milk"),
            page.get_by_role("dialog"),
        ):
            expect(control).to_have_count(0)
    page.get_by_role("link", name="Go to the Inbox").click()
    expect(page).to_have_url(url_pattern(base, "/inbox"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    expect(page.get_by_role("checkbox", name="Buy milk")).to_be_visible()


def test_today_and_upcoming_offer_no_status_filters_or_sorting(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(page, base, name="Vi", email=unique_email("edge-dated"), password=PASSWORD)
    add_task(page, "Pay rent")
    # The Inbox has them: they are left out on purpose below.
    expect(page.get_by_role("navigation", name="Status filter")).to_be_visible()
    expect(page.get_by_role("combobox", name="Sort by")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Today", "Upcoming"):
        nav.get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        expect(page.get_by_text("items left")).to_be_visible()
        for control in (
            page.get_by_role("navigation", name="Status filter"),
            page.get_by_role("combobox", name="Sort by"),
            page.get_by_role("button", name="Sort ascending"),
            page.get_by_role("button", name="Sort descending"),
        ):
            expect(control).to_have_count(0)
        # What does apply there stays.
        expect(page.get_by_role("searchbox", name="Search")).to_be_visible()
        expect(page.get_by_role("combobox", name="Filter by priority")).to_be_visible()
        expect(page.get_by_role("combobox", name="Filter by tag")).to_be_visible()


def test_a_task_added_to_a_long_list_says_it_went_to_the_end_and_opens_there(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    email = unique_email("edge-long")
    register(page, base, name="Vi", email=email, password=PASSWORD)
    add_tasks_via_api(
        base,
        email=email,
        password=PASSWORD,
        tasks=[{"title": f"Chore {number:03}"} for number in range(PAGE_SIZE)],
    )
    page.reload()
    expect(page.get_by_role("checkbox", name="Chore 000")).to_be_visible()
    new_task = page.get_by_placeholder("What needs to be done?")
    new_task.fill("Call the plumber")
    new_task.press("Enter")
    expect(page.get_by_text("Added at the end of the list")).to_be_visible()
    expect(new_task).to_have_value("")
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page).to_have_url(url_pattern(base, "/?page=2"))
    expect(page.get_by_role("checkbox", name="Call the plumber")).to_be_visible()
    expect(page.get_by_text("Added at the end of the list")).to_have_count(0)


def test_a_not_found_page_marks_no_place_of_the_sidebar_as_current(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(
        page, base, name="Vi", email=unique_email("edge-current"), password=PASSWORD
    )
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Inbox")).to_have_attribute(
        "aria-current", "page"
    )
    for path, heading in (
        ("/tasks/abc", "Task not found"),
        ("/projects/999999", "Project not found"),
    ):
        page.goto(f"{base}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(nav.get_by_role("link", name="Inbox")).to_have_attribute(
            "aria-current", "false"
        )
        expect(nav.locator("[aria-current=page]")).to_have_count(0)
