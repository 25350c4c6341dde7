"""The trash in Chromium: delete, find the task in the trash, restore it, delete it forever;
another tab of the same user follows live."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import add_task, register, unique_email, url_pattern


def test_deleted_task_can_be_restored_from_the_trash_or_deleted_forever(
    live_app: RunningApp, context: BrowserContext, page: Page
) -> None:
    register(
        page,
        live_app.url,
        name="Tia",
        email=unique_email("trash"),
        password="password123",
    )
    add_task(page, "Pay rent")
    add_task(page, "Old draft")
    trash_tab = context.new_page()
    trash_tab.goto(f"{live_app.url}/trash")
    expect(trash_tab.get_by_text("The trash is empty")).to_be_visible()

    # The row's delete button keeps its name; no question asked.
    page.get_by_role("button", name="Delete Pay rent", exact=True).click()
    page.get_by_role("button", name="Delete Old draft", exact=True).click()
    expect(page.get_by_role("checkbox", name="Pay rent")).to_have_count(0)
    # The other tab shows the trash as it fills, without a reload.
    deleted = trash_tab.get_by_role("list", name="Deleted tasks")
    expect(deleted.get_by_role("listitem")).to_have_count(2)

    page.get_by_role("link", name="Trash").click()
    expect(page).to_have_url(url_pattern(live_app.url, "/trash"))
    page.get_by_role("button", name="Restore Pay rent").click()
    expect(page.get_by_role("button", name="Restore Pay rent")).to_have_count(0)
    expect(trash_tab.get_by_role("button", name="Restore Pay rent")).to_have_count(0)

    page.get_by_role("button", name="Delete forever Old draft").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Old draft")
    dialog.get_by_role("button", name="Delete forever", exact=True).click()
    expect(page.get_by_text("The trash is empty")).to_be_visible()
    expect(trash_tab.get_by_text("The trash is empty")).to_be_visible()

    page.get_by_role("link", name="Back to tasks").click()
    expect(page.get_by_role("checkbox", name="Pay rent")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Old draft")).to_have_count(0)
