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


def test_the_trash_says_when_in_words_and_empties_after_asking(
    live_app: RunningApp, page: Page
) -> None:
    register(
        page,
        live_app.url,
        name="Tia",
        email=unique_email("trash-empty"),
        password="password123",
    )
    for title in ("Old draft", "Older draft"):
        add_task(page, title)
        page.get_by_role("button", name=f"Delete {title}", exact=True).click()
        expect(page.get_by_role("checkbox", name=title)).to_have_count(0)
    add_task(page, "Keep me")
    page.get_by_role("link", name="Trash").click()
    deleted = page.get_by_role("list", name="Deleted tasks")
    expect(deleted.get_by_role("listitem")).to_have_count(2)
    expect(deleted.get_by_text("Deleted today")).to_have_count(2)

    page.get_by_role("button", name="Empty trash").click()
    dialog = page.get_by_role("alertdialog", name="Empty the trash?")
    expect(dialog).to_contain_text("All 2 tasks in the trash will be deleted forever")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(deleted.get_by_role("listitem")).to_have_count(2)

    page.get_by_role("button", name="Empty trash").click()
    dialog.get_by_role("button", name="Empty trash").click()
    expect(page.get_by_text("The trash is empty")).to_be_visible()
    expect(
        page.get_by_role("status").filter(has_text="2 tasks deleted forever")
    ).to_be_visible()
    page.get_by_role("link", name="Back to tasks").click()
    expect(page.get_by_role("checkbox", name="Keep me")).to_be_visible()
