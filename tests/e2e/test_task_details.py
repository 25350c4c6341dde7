"""Editing every field of a task in the "Edit details" dialog, and the small list comforts."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import add_task, register, unique_email
from todo_app.state.readable_dates import full_date, readable_date


def _register(page: Page, base: str) -> None:
    register(page, base, name="Dee", email=unique_email("details"), password="pw123456")


def test_edit_details_changes_every_field(live_app: RunningApp, page: Page) -> None:
    _register(page, live_app.url)
    add_task(page, "Buy milk")
    page.get_by_role("button", name="Edit details of Buy milk").click()
    dialog = page.get_by_role("dialog")
    title = dialog.get_by_label("Title")
    expect(title).to_be_focused()
    expect(title).to_have_value("Buy milk")

    due = date.today() + timedelta(days=3)
    title.fill("Buy oat milk")
    dialog.get_by_label("Description").fill("Two cartons, from the corner shop")
    dialog.get_by_label("Due date").fill(due.isoformat())
    dialog.get_by_label("Priority").click()
    page.get_by_role("option", name="High").click()
    dialog.get_by_label("Repeat").click()
    page.get_by_role("option", name="Weekly").click()
    dialog.get_by_label("Tags").fill("Shop, home")
    dialog.get_by_role("button", name="Save").click()

    expect(dialog).to_have_count(0)
    row = page.get_by_role("listitem").filter(has_text="Buy oat milk")
    expect(row).to_contain_text("Two cartons, from the corner shop")
    expect(row.get_by_title(f"Due {full_date(due)}")).to_have_text(
        readable_date(due, date.today())
    )
    expect(row).to_contain_text("High priority")
    expect(row).to_contain_text("Repeats weekly")
    expect(row).to_contain_text("#home")
    expect(row).to_contain_text("#shop")

    # The dialog opens again with what was saved; the due date can be cleared.
    page.get_by_role("button", name="Edit details of Buy oat milk").click()
    expect(dialog.get_by_label("Due date")).to_have_value(due.isoformat())
    expect(dialog.get_by_label("Tags")).to_have_value("home, shop")
    dialog.get_by_role("button", name="Clear due date").click()
    expect(dialog.get_by_label("Due date")).to_have_value("")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    # A repeating task keeps a date: clearing it starts the repeat today.
    expect(row.get_by_title(re.compile("^Due "))).to_have_text("Today")


def test_edit_details_shows_a_field_error_and_keeps_the_typing(
    live_app: RunningApp, page: Page
) -> None:
    _register(page, live_app.url)
    add_task(page, "Pay rent")
    page.get_by_role("button", name="Edit details of Pay rent").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill("")
    dialog.get_by_label("Description").fill("Before the first")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_have_text("Title must not be empty")
    expect(dialog.get_by_label("Description")).to_have_value("Before the first")
    dialog.get_by_label("Title").fill("Pay the rent")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Pay the rent")).to_be_visible()


def test_escape_closes_the_details_dialog_without_saving(
    live_app: RunningApp, page: Page
) -> None:
    _register(page, live_app.url)
    add_task(page, "Water plants")
    details = page.get_by_role("button", name="Edit details of Water plants")
    details.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Title")).to_be_focused()
    page.keyboard.type(" and the garden")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(
        page.get_by_role("checkbox", name="Water plants", exact=True)
    ).to_be_visible()
    expect(details).to_be_focused()
    details.click()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)


def test_the_row_shows_the_description_clamped_to_two_lines(
    live_app: RunningApp, page: Page
) -> None:
    _register(page, live_app.url)
    add_task(page, "Read the report")
    page.get_by_role("button", name="Edit details of Read the report").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Description").fill("A long description. " * 40)
    dialog.get_by_role("button", name="Save").click()
    description = page.get_by_text("A long description.", exact=False)
    expect(description).to_be_visible()
    line_height = description.evaluate(
        "e => parseFloat(getComputedStyle(e).lineHeight)"
    )
    height = description.bounding_box()["height"]
    assert height <= 2 * line_height + 1


def test_toggling_under_all_keeps_the_row_and_counts(
    live_app: RunningApp, page: Page
) -> None:
    _register(page, live_app.url)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page.get_by_text("More options").click()
    page.get_by_label("Due date").fill(yesterday)
    add_task(page, "Late report")
    add_task(page, "Call mum")
    row = page.get_by_role("listitem").filter(has_text="Late report")
    expect(row).to_contain_text("1 day overdue")
    page.get_by_role("checkbox", name="Late report").click()
    expect(page.get_by_role("checkbox", name="Late report")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Call mum")).not_to_be_checked()
    # A completed task is not overdue any more.
    expect(row).to_contain_text("Yesterday")
    expect(row).not_to_contain_text("overdue")
    expect(page.get_by_text("1 item left")).to_be_visible()
    expect(page.get_by_role("button", name="Clear completed (1)")).to_be_visible()
    expect(page).to_have_title("1 item left · Todo")
    page.get_by_role("checkbox", name="Late report").click()
    expect(page.get_by_role("checkbox", name="Late report")).not_to_be_checked()
    expect(page).to_have_title("2 items left · Todo")
    expect(page.get_by_role("button", name="Clear completed")).to_have_count(0)


def test_a_change_made_elsewhere_while_editing_is_shown_and_mine_can_be_kept(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    email = unique_email("conflict")
    register(page, base, name="Cy", email=email, password="pw123456")
    add_task(page, "Buy milk")
    page.get_by_role("button", name="Edit details of Buy milk").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Title")).to_have_value("Buy milk")

    # Meanwhile a script renames the task through the API.
    token = httpx.post(
        f"{base}/api/auth/login", json={"email": email, "password": "pw123456"}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    (task,) = httpx.get(f"{base}/api/tasks", headers=headers).json()
    httpx.patch(
        f"{base}/api/tasks/{task['id']}",
        json={"title": "Buy oat milk"},
        headers=headers,
    ).raise_for_status()

    dialog.get_by_label("Description").fill("Two litres")
    dialog.get_by_role("button", name="Save").click()
    alert = dialog.get_by_role("alert")
    expect(alert).to_contain_text("changed elsewhere")
    changes = alert.get_by_role("table")
    expect(changes.get_by_role("row").filter(has_text="Title")).to_contain_text(
        "Buy oat milk"
    )
    alert.get_by_role("button", name="Keep mine").click()
    expect(dialog).to_have_count(0)
    row = page.get_by_role("listitem").filter(has_text="Buy milk")
    expect(row).to_contain_text("Two litres")


def test_saving_the_details_of_a_task_in_an_archived_project_keeps_it_there(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    _register(page, base)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Add project").click()
    page.get_by_role("dialog").get_by_label("Name").fill("Old")
    page.get_by_role("dialog").get_by_role("button", name="Save project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Old")
    add_task(page, "Kept")
    page.get_by_role("button", name="Project actions").click()
    page.get_by_role("menuitem", name="Archive").click()
    expect(page.get_by_text("This project is archived")).to_be_visible()

    # The picker offers the archived project the task is in (no other archived one).
    page.get_by_role("button", name="Edit details of Kept").click()
    dialog = page.get_by_role("dialog")
    picker = dialog.get_by_role("combobox", name="Project", exact=True)
    expect(picker).to_have_text("Old (archived)")
    picker.click()
    expect(page.get_by_role("option", name="Old (archived)")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.get_by_role("option")).to_have_count(0)
    dialog.get_by_label("Title").fill("Kept, renamed")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    # Still in the archived project, not moved to the Inbox.
    expect(page.get_by_role("checkbox", name="Kept, renamed")).to_be_visible()
