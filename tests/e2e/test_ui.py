"""The task page's looks and behaviours beyond the main journey, in Chromium."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import (
    add_task,
    login_url_pattern,
    register,
    unique_email,
    url_pattern,
)
from todo_app.state.readable_dates import full_date


def _register_with_tasks(page: Page, base: str) -> None:
    register(page, base, name="Theo", email=unique_email("ui"), password="password123")
    for title in ("Buy milk", "Pay rent"):
        add_task(page, title)


def test_wrong_credentials_are_shown_as_an_alert(
    live_app: RunningApp, page: Page
) -> None:
    page.goto(f"{live_app.url}/login")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Incorrect email or password")
    expect(page).to_have_url(login_url_pattern(live_app.url))


def test_register_errors_are_shown_as_an_alert(
    live_app: RunningApp, page: Page
) -> None:
    email = unique_email("taken")
    register(page, live_app.url, name="First", email=email, password="password123")
    page.get_by_role("button", name="Log out", exact=True).click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Password must be at least 8 characters"
    )
    page.get_by_label("Password").fill("password123")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_have_text(
        "An account with this email already exists"
    )


def test_log_out_in_one_tab_logs_out_the_other(
    live_app: RunningApp, context: BrowserContext, page: Page
) -> None:
    register(
        page,
        live_app.url,
        name="Tab",
        email=unique_email("tabs"),
        password="password123",
    )
    add_task(page, "Shared between tabs")
    second = context.new_page()
    second.goto(f"{live_app.url}/")
    expect(second.get_by_role("checkbox", name="Shared between tabs")).to_be_visible()

    page.get_by_role("button", name="Log out", exact=True).click()

    expect(second).to_have_url(login_url_pattern(live_app.url))
    expect(second.get_by_text("Shared between tabs")).to_have_count(0)


def test_an_emptied_title_deletes_the_task_with_undo(
    live_app: RunningApp, page: Page
) -> None:
    _register_with_tasks(page, live_app.url)
    page.get_by_role("button", name="Edit Pay rent").click()
    editor = page.get_by_role("textbox", name="Edit title")
    editor.fill("")
    editor.press("Enter")
    expect(page.get_by_role("checkbox", name="Pay rent")).to_have_count(0)
    expect(page.get_by_text("1 item left")).to_be_visible()
    message = page.get_by_role("status").filter(has_text="Deleted 'Pay rent'")
    message.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("checkbox", name="Pay rent")).to_be_visible()
    expect(page.get_by_text("2 items left")).to_be_visible()


def test_keyboard_only_add_edit_and_cancel(live_app: RunningApp, page: Page) -> None:
    register(
        page,
        live_app.url,
        name="Kay",
        email=unique_email("keys"),
        password="password123",
    )
    new_task = page.get_by_placeholder("What needs to be done?")
    expect(new_task).to_be_focused()
    page.keyboard.type("Typed only")
    page.keyboard.press("Enter")
    expect(page.get_by_role("checkbox", name="Typed only")).to_be_visible()

    page.get_by_role("button", name="Edit Typed only").focus()
    page.keyboard.press("Enter")
    editor = page.get_by_role("textbox", name="Edit title")
    expect(editor).to_be_focused()
    page.keyboard.type(" and changed")
    page.keyboard.press("Escape")
    expect(editor).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Typed only", exact=True)).to_be_visible()

    page.get_by_role("checkbox", name="Typed only").focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Typed only")).to_be_checked()


def test_optional_fields_show_in_the_row(live_app: RunningApp, page: Page) -> None:
    register(
        page,
        live_app.url,
        name="Opt",
        email=unique_email("opts"),
        password="password123",
    )
    yesterday = date.today() - timedelta(days=1)
    page.get_by_text("More options").click()
    page.get_by_label("Due date").fill(yesterday.isoformat())
    page.get_by_label("Tags").fill("home, errands")
    new_task = page.get_by_placeholder("What needs to be done?")
    new_task.fill("Overdue errand")
    new_task.press("Enter")
    row = page.get_by_role("listitem").filter(has_text="Overdue errand")
    # Readable dates (#12): how late it is, the full date in the badge's title.
    expect(row).to_contain_text("1 day overdue")
    expect(row.get_by_title(f"Due {full_date(yesterday)}")).to_be_visible()
    expect(row).to_contain_text("#errands")
    expect(row).to_contain_text("#home")


def test_search_filters_the_list_and_survives_a_reload(
    live_app: RunningApp, page: Page
) -> None:
    _register_with_tasks(page, live_app.url)
    page.get_by_placeholder("Search").fill("milk")
    expect(page).to_have_url(url_pattern(live_app.url, "/?q=milk"))
    expect(page.get_by_role("checkbox", name="Pay rent")).to_have_count(0)
    page.reload()
    expect(page.get_by_placeholder("Search")).to_have_value("milk")
    expect(page.get_by_role("checkbox", name="Buy milk")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Pay rent")).to_have_count(0)
    page.get_by_placeholder("Search").fill("bread")
    expect(page.get_by_text("Nothing matches")).to_be_visible()


def test_clear_completed_appears_only_when_something_is_completed(
    live_app: RunningApp, page: Page
) -> None:
    _register_with_tasks(page, live_app.url)
    clear = page.get_by_role("button", name="Clear completed")
    expect(clear).to_have_count(0)
    page.get_by_role("checkbox", name="Mark all as complete").click()
    expect(page.get_by_text("0 items left")).to_be_visible()
    clear.click()
    expect(page.get_by_text("No tasks yet")).to_be_visible()


def test_task_page_fits_a_375px_phone(
    live_app: RunningApp, page: Page, artifacts_dir: Path
) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    _register_with_tasks(page, live_app.url)
    # The row's icons fold into one menu on a phone (#12).
    more = page.get_by_role("button", name="More actions for Pay rent")
    expect(more).to_be_in_viewport()
    expect(page.get_by_role("button", name="Delete Pay rent")).to_be_hidden()
    more.click()
    page.get_by_role("menuitem", name="Delete").click()
    expect(page.get_by_role("checkbox", name="Pay rent")).to_have_count(0)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.screenshot(path=str(artifacts_dir / "tasks-375px.png"), full_page=True)


def test_edit_title_from_the_phone_menu_opens_the_title_field(
    live_app: RunningApp, page: Page
) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    _register_with_tasks(page, live_app.url)
    page.get_by_role("button", name="More actions for Pay rent").click()
    page.get_by_role("menuitem", name="Edit title").click()
    # The menu gives focus back to its button as it closes: not while the title is edited.
    title = page.get_by_role("textbox", name="Edit title")
    expect(title).to_be_focused()
    title.fill("Pay the rent")
    title.press("Enter")
    expect(page.get_by_role("checkbox", name="Pay the rent")).to_be_visible()
