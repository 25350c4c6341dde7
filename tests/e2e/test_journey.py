"""A user's whole journey through the real production build, in Chromium."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import (
    add_task,
    log_in,
    login_url_pattern,
    register,
    unique_email,
    url_pattern,
)


def test_register_manage_tasks_log_out_and_change_password(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    email = unique_email("journey")
    register(page, base, name="Ada", email=email, password="first-password")
    expect(page.get_by_text("No tasks yet")).to_be_visible()

    for title in ("Buy milk", "Walk the dog", "Pay rent"):
        add_task(page, title)
    expect(page.get_by_text("3 items left")).to_be_visible()

    page.get_by_role("checkbox", name="Buy milk").click()
    expect(page.get_by_role("checkbox", name="Buy milk")).to_be_checked()
    expect(page.get_by_text("2 items left")).to_be_visible()

    # The footer's filters, not the sidebar's Completed view (#12).
    status_filter = page.get_by_role("navigation", name="Status filter")
    status_filter.get_by_role("link", name="Active", exact=True).click()
    expect(page).to_have_url(url_pattern(base, "/?filter=active"))
    expect(page.get_by_role("checkbox", name="Buy milk")).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Walk the dog")).to_be_visible()

    status_filter.get_by_role("link", name="Completed", exact=True).click()
    expect(page).to_have_url(url_pattern(base, "/?filter=completed"))
    expect(page.get_by_role("checkbox", name="Buy milk")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Pay rent")).to_have_count(0)

    page.reload()
    expect(page).to_have_url(url_pattern(base, "/?filter=completed"))
    expect(page.get_by_role("checkbox", name="Buy milk")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Walk the dog")).to_have_count(0)
    expect(page.get_by_text("2 items left")).to_be_visible()

    status_filter.get_by_role("link", name="All", exact=True).click()
    expect(page).to_have_url(url_pattern(base, "/"))
    page.get_by_text("Walk the dog", exact=True).dblclick()
    editor = page.get_by_role("textbox", name="Edit title")
    editor.fill("Walk the cat")
    editor.press("Enter")
    expect(page.get_by_role("checkbox", name="Walk the cat")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Walk the dog")).to_have_count(0)

    page.get_by_role("button", name="Delete Walk the cat").click()
    expect(page.get_by_role("checkbox", name="Walk the cat")).to_have_count(0)
    expect(page.get_by_text("1 item left")).to_be_visible()

    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page).to_have_url(login_url_pattern(base))
    page.goto(f"{base}/")
    expect(page).to_have_url(login_url_pattern(base))
    page.goto(f"{base}/settings")
    expect(page).to_have_url(login_url_pattern(base))

    other_email = unique_email("other")
    register(page, base, name="Bob", email=other_email, password="other-password")
    expect(page.get_by_text("No tasks yet")).to_be_visible()
    expect(page.get_by_text("Pay rent")).to_have_count(0)
    expect(page.get_by_text("Buy milk")).to_have_count(0)
    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page).to_have_url(login_url_pattern(base))

    log_in(page, base, email=email, password="first-password")
    expect(page.get_by_role("checkbox", name="Pay rent")).to_be_visible()
    page.get_by_role("link", name="Settings").click()
    expect(page).to_have_url(url_pattern(base, "/settings"))
    page.get_by_label("Current password").fill("first-password")
    page.get_by_label("New password").fill("second-password")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Password changed")).to_be_visible()
    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page).to_have_url(login_url_pattern(base))

    log_in(page, base, email=email, password="second-password")
    expect(page.get_by_role("checkbox", name="Pay rent")).to_be_visible()
