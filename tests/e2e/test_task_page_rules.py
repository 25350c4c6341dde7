"""Rules of the task page in Chromium: bulk actions on the view, focus, long titles, the way back."""

from __future__ import annotations

import httpx
from playwright.sync_api import BrowserContext, Locator, Page, WebSocket, expect

from bench.server import RunningApp
from tests.e2e.helpers import (
    add_task,
    add_tasks_via_api,
    open_completed,
    register,
    unique_email,
    url_pattern,
)

PASSWORD = "password123"
NEW_TASK = "What needs to be done?"


def _register(page: Page, base: str, prefix: str) -> str:
    email = unique_email(prefix)
    register(page, base, name="Rue", email=email, password=PASSWORD)
    return email


def _row(page: Page, title: str) -> Locator:
    """The list row of the task titled `title`."""
    return page.get_by_role("listitem").filter(
        has=page.get_by_role("checkbox", name=title, exact=True)
    )


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
    live_app: RunningApp, page: Page
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
    live_app: RunningApp, page: Page
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
    open_completed(page)
    expect(page.get_by_role("checkbox", name="File taxes")).to_be_checked()


def test_deleting_a_task_moves_the_focus_to_the_next_row(
    live_app: RunningApp, page: Page
) -> None:
    _register(page, live_app.url, "focus")
    for title in ("First", "Second", "Third"):
        add_task(page, title)  # the Inbox's manual order: First, Second, Third
    page.get_by_role("button", name="Delete Second").click()
    expect(_row(page, "Third")).to_be_focused()
    # The keyboard goes on inside that row: its drag handle, then its checkbox.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Reorder Third")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("checkbox", name="Third")).to_be_focused()


def test_deleting_the_last_task_moves_the_focus_to_the_new_task_input(
    live_app: RunningApp, page: Page
) -> None:
    _register(page, live_app.url, "focus-last")
    add_task(page, "Only one")
    page.get_by_role("button", name="Delete Only one").click()
    expect(page.get_by_text("No tasks yet")).to_be_visible()
    expect(page.get_by_placeholder(NEW_TASK)).to_be_focused()


def test_enter_in_the_inline_edit_returns_the_focus_to_the_row(
    live_app: RunningApp, page: Page
) -> None:
    _register(page, live_app.url, "focus-edit")
    add_task(page, "Walk the dog")
    page.get_by_role("button", name="Edit Walk the dog").click()
    editor = page.get_by_role("textbox", name="Edit title")
    editor.fill("Walk the cat")
    editor.press("Enter")
    expect(_row(page, "Walk the cat")).to_be_focused()


def test_a_long_title_shows_a_counter_and_is_refused_not_cut(
    live_app: RunningApp, page: Page
) -> None:
    _register(page, live_app.url, "long")
    sent: list[str] = []

    def record(socket: WebSocket) -> None:
        socket.on("framesent", lambda payload: sent.append(str(payload)))

    page.on("websocket", record)
    page.reload()
    new_task = page.get_by_placeholder(NEW_TASK)
    new_task.fill("x" * 170)
    expect(page.get_by_text("/200")).to_have_count(0)
    events_before = [frame for frame in sent if frame.startswith("42")]
    new_task.press_sequentially("x" * 17)
    expect(page.get_by_text("187/200")).to_be_visible()
    # The counter is the browser's own: typing sent nothing to the server.
    assert [frame for frame in sent if frame.startswith("42")] == events_before

    new_task.press_sequentially("x" * 18)
    expect(page.get_by_text("205/200")).to_be_visible()
    new_task.press("Enter")
    expect(
        page.get_by_role("alert").filter(
            has_text="Title must be at most 200 characters"
        )
    ).to_be_visible()
    expect(new_task).to_have_value("x" * 205)


def test_the_counter_goes_once_a_long_task_is_added(
    live_app: RunningApp, page: Page
) -> None:
    _register(page, live_app.url, "long-ok")
    title = "y" * 195
    new_task = page.get_by_placeholder(NEW_TASK)
    new_task.fill(title)
    expect(page.get_by_text("195/200")).to_be_visible()
    new_task.press("Enter")
    expect(page.get_by_role("checkbox", name=title)).to_be_visible()
    expect(new_task).to_have_value("")
    expect(page.get_by_text("/200")).to_have_count(0)


def test_back_to_tasks_returns_to_the_filters_the_list_was_left_with(
    live_app: RunningApp, page: Page
) -> None:
    _register(page, live_app.url, "back")
    add_task(page, "Buy milk")
    page.get_by_placeholder("Search").fill("milk")
    expect(page).to_have_url(url_pattern(live_app.url, "/?q=milk"))
    page.get_by_role("link", name="Settings").click()
    expect(page).to_have_url(url_pattern(live_app.url, "/settings"))
    page.get_by_role("link", name="Back to tasks").click()
    expect(page).to_have_url(url_pattern(live_app.url, "/?q=milk"))
    expect(page.get_by_placeholder("Search")).to_have_value("milk")


def test_back_to_tasks_of_a_tab_opened_on_settings_keeps_the_users_order(
    live_app: RunningApp, page: Page, context: BrowserContext
) -> None:
    _register(page, live_app.url, "back-fresh")
    # A new tab (signed in by the browser's key) whose first page is Settings.
    settings = context.new_page()
    settings.goto(f"{live_app.url}/settings")
    back = settings.get_by_role("link", name="Back to tasks")
    expect(back).to_have_attribute("href", "/")
    back.click()
    expect(settings).to_have_url(url_pattern(live_app.url, "/"))
    expect(settings.get_by_role("combobox", name="Sort by")).to_have_text(
        "Sort: Manual"
    )


def test_settings_change_the_time_zone_from_a_searchable_list(
    live_app: RunningApp, page: Page
) -> None:
    email = _register(page, live_app.url, "zone")
    httpx.patch(
        f"{live_app.url}/api/auth/me",
        json={"timezone": "Asia/Tokyo"},
        headers={"Authorization": f"Bearer {_token(live_app.url, email)}"},
    ).raise_for_status()
    page.get_by_role("link", name="Settings").click()
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value("Asia/Tokyo")
    # The input offers the server's zone names as the person types (a <datalist>).
    expect(zone).to_have_attribute("list", "timezone-names")
    zone.fill("europe/paris")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.get_by_text("Time zone set to Europe/Paris")).to_be_visible()
    expect(zone).to_have_value("Europe/Paris")
    page.reload()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")
