"""Keyboard shortcuts: a person adds, completes, edits and deletes tasks without the mouse."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import register, unique_email

NEW_TASK = "What needs to be done?"


def _start(page: Page, live_app: RunningApp, prefix: str) -> None:
    register(
        page,
        live_app.url,
        name="Kay",
        email=unique_email(prefix),
        password="password123",
    )


def _add_with_keyboard(page: Page, *titles: str) -> None:
    """Leave the input (focused on arrival), come back with "q", add each title, leave again."""
    new_task = page.get_by_placeholder(NEW_TASK)
    page.keyboard.press("Escape")
    expect(new_task).not_to_be_focused()
    page.keyboard.press("q")
    expect(new_task).to_be_focused()
    expect(new_task).to_have_value("")
    for title in titles:
        page.keyboard.type(title)
        page.keyboard.press("Enter")
        expect(page.get_by_role("checkbox", name=title, exact=True)).to_be_visible()
        expect(new_task).to_have_value("")
    page.keyboard.press("Escape")
    expect(new_task).not_to_be_focused()


def _row(page: Page, title: str) -> Locator:
    return page.get_by_role("listitem").filter(
        has=page.get_by_role("checkbox", name=title, exact=True)
    )


def test_add_select_complete_edit_and_delete_with_the_keyboard_only(
    live_app: RunningApp, page: Page
) -> None:
    _start(page, live_app, "keys")
    _add_with_keyboard(page, "Buy milk", "Write report")
    # The Inbox's manual order: "Buy milk" is the first row.
    page.keyboard.press("j")
    expect(_row(page, "Buy milk")).to_have_attribute("aria-current", "true")
    expect(_row(page, "Buy milk")).to_be_focused()
    page.keyboard.press("j")
    expect(_row(page, "Write report")).to_have_attribute("aria-current", "true")
    expect(_row(page, "Buy milk")).not_to_have_attribute("aria-current", "true")

    page.keyboard.press("x")
    expect(page.get_by_role("checkbox", name="Write report")).to_be_checked()
    page.keyboard.press("k")
    expect(_row(page, "Buy milk")).to_have_attribute("aria-current", "true")
    page.keyboard.press(" ")
    expect(page.get_by_role("checkbox", name="Buy milk")).to_be_checked()

    page.keyboard.press("e")
    editor = page.get_by_role("textbox", name="Edit title")
    expect(editor).to_be_focused()
    editor.fill("Buy oat milk")
    editor.press("Enter")
    expect(page.get_by_role("checkbox", name="Buy oat milk")).to_be_visible()
    # The saved row keeps the focus, so the selection stays on it.
    expect(_row(page, "Buy oat milk")).to_have_attribute("aria-current", "true")

    page.keyboard.press("#")
    expect(page.get_by_role("checkbox", name="Buy oat milk")).to_have_count(0)
    # The focus (and the selection) moves on to the next row.
    expect(_row(page, "Write report")).to_have_attribute("aria-current", "true")
    page.keyboard.press("Delete")
    expect(page.get_by_text("No tasks yet")).to_be_visible()


def test_no_shortcut_fires_while_typing_in_a_field(
    live_app: RunningApp, page: Page
) -> None:
    _start(page, live_app, "typing")
    _add_with_keyboard(page, "Keep me")
    page.keyboard.press("j")
    page.keyboard.press("/")
    search = page.get_by_role("searchbox", name="Search")
    expect(search).to_be_focused()
    page.keyboard.type("x#e")
    expect(search).to_have_value("x#e")
    expect(page.get_by_role("checkbox", name="Keep me")).to_have_count(0)  # filtered
    search.fill("")
    expect(page.get_by_role("checkbox", name="Keep me")).not_to_be_checked()
    page.keyboard.press("Escape")
    page.keyboard.press("n")
    page.keyboard.type("jkx# q")
    expect(page.get_by_placeholder(NEW_TASK)).to_have_value("jkx# q")
    expect(page.get_by_role("checkbox", name="Keep me")).not_to_be_checked()


def test_question_mark_lists_the_shortcuts(live_app: RunningApp, page: Page) -> None:
    _start(page, live_app, "help")
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(
        dialog.get_by_role("cell", name="Select the next or previous task")
    ).to_be_visible()
    # Moving a task has its keys listed too.
    move = dialog.get_by_role("row").filter(
        has=page.get_by_role("cell", name="Move the selected task up or down")
    )
    expect(move.get_by_role("cell").first).to_have_text("Alt+↑ or Alt+↓")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(dialog).to_be_visible()


def test_the_whole_loop_with_the_keyboard_add_complete_undo_delete_restore(
    live_app: RunningApp, page: Page
) -> None:
    _start(page, live_app, "loop")
    _add_with_keyboard(page, "Water plants")
    page.keyboard.press("j")
    page.keyboard.press("x")
    checkbox = page.get_by_role("checkbox", name="Water plants")
    expect(checkbox).to_be_checked()
    expect(
        page.get_by_role("status").filter(has_text="Completed 'Water plants'")
    ).to_be_visible()
    page.keyboard.press("z")
    expect(checkbox).not_to_be_checked()

    page.keyboard.press("j")
    page.keyboard.press("#")
    expect(checkbox).to_have_count(0)
    expect(
        page.get_by_role("status").filter(has_text="Deleted 'Water plants'")
    ).to_be_visible()
    # The last row gone, the focus went to the new-task input: Escape leaves it first.
    expect(page.get_by_placeholder(NEW_TASK)).to_be_focused()
    page.keyboard.press("Escape")
    page.keyboard.press("Control+z")
    expect(checkbox).to_be_visible()
    expect(checkbox).not_to_be_checked()


def test_g_then_t_u_or_i_goes_to_today_upcoming_or_the_inbox(
    live_app: RunningApp, page: Page
) -> None:
    _start(page, live_app, "go")
    page.get_by_placeholder(NEW_TASK).press("Escape")
    for key, path, heading in (
        ("t", "/today", "Today"),
        ("u", "/upcoming", "Upcoming"),
        ("i", "/inbox", "Inbox"),
    ):
        page.keyboard.press("g")
        page.keyboard.press(key)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page).to_have_url(f"{live_app.url}{path}")
        # Each list arrives with the new-task input focused: leave it for the next keys.
        expect(page.get_by_placeholder(NEW_TASK)).to_be_focused()
        page.keyboard.press("Escape")
    # A "t" on its own (no "g" before it) goes nowhere.
    page.keyboard.press("t")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")


def test_the_shortcuts_button_shows_only_where_there_is_a_keyboard(
    live_app: RunningApp, page: Page
) -> None:
    _start(page, live_app, "phone")
    button = page.get_by_role("button", name="Keyboard shortcuts")
    expect(button).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 740})
    expect(button).to_be_hidden()
    # A phone with a keyboard attached still gets the list on "?".
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
