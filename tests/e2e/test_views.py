"""The app shell of #12: the sidebar's views with their own URLs and headings, the phone's
drawer, the start page, a task's own URL, and screenshots of every view."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import (
    add_task,
    add_tasks_via_api,
    register,
    unique_email,
    url_pattern,
)
from tests.e2e.test_accessibility import SERIOUS, _describe, _violations
from todo_app.state.readable_dates import day_heading

PASSWORD = "password123"
VIEWS = {
    "/inbox": "Inbox",
    "/today": "Today",
    "/upcoming": "Upcoming",
    "/completed": "Completed",
}


def _heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_each_view_has_its_url_and_heading_through_reload_and_back(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(page, base, name="Vi", email=unique_email("views"), password=PASSWORD)
    _heading(page, "Inbox")
    nav = page.get_by_role("navigation", name="Main")
    for path, name in VIEWS.items():
        nav.get_by_role("link", name=name, exact=True).click()
        expect(page).to_have_url(url_pattern(base, path))
        _heading(page, name)
        expect(nav.get_by_role("link", name=name, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
    page.reload()
    _heading(page, "Completed")
    page.go_back()
    expect(page).to_have_url(url_pattern(base, "/upcoming"))
    _heading(page, "Upcoming")


def test_filters_stay_in_the_query_string_of_the_view(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(page, base, name="Vi", email=unique_email("views-q"), password=PASSWORD)
    add_task(page, "Buy milk")
    page.goto(f"{base}/inbox?q=milk")
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("milk")
    page.get_by_role("link", name="Active", exact=True).click()
    expect(page).to_have_url(url_pattern(base, "/inbox?filter=active&q=milk"))
    expect(page.get_by_role("checkbox", name="Buy milk")).to_be_visible()


def test_settings_can_make_the_app_start_in_today(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(
        page, base, name="Vi", email=unique_email("views-start"), password=PASSWORD
    )
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("group", name="Start page").get_by_role(
        "button", name="Today"
    ).click()
    expect(
        page.get_by_role("group", name="Start page").get_by_role("button", name="Today")
    ).to_have_attribute("aria-pressed", "true")
    page.goto(f"{base}/")
    expect(page).to_have_url(url_pattern(base, "/today"))
    _heading(page, "Today")


def test_a_task_has_its_own_url_that_opens_its_details(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(page, base, name="Vi", email=unique_email("views-task"), password=PASSWORD)
    add_task(page, "Water the plants")
    page.get_by_role("button", name="Edit details of Water the plants").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Title")).to_have_value("Water the plants")
    dialog.get_by_role("button", name="Cancel").click()
    task_id = (
        page.get_by_role("listitem")
        .filter(has_text="Water the plants")
        .get_attribute("id")
        .removeprefix("task-")
    )
    page.goto(f"{base}/tasks/{task_id}")
    expect(page.get_by_role("dialog").get_by_label("Title")).to_have_value(
        "Water the plants"
    )
    page.keyboard.press("Escape")
    expect(page).to_have_url(url_pattern(base, "/inbox"))
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_a_phone_opens_the_sidebar_from_a_menu_button(
    live_app: RunningApp, page: Page, artifacts_dir: Path
) -> None:
    base = live_app.url
    page.set_viewport_size({"width": 375, "height": 740})
    register(page, base, name="Vi", email=unique_email("views-375"), password=PASSWORD)
    add_task(page, "A task with a rather long title that must not push the page wider")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    page.get_by_role("button", name="Open menu").click()
    drawer = page.get_by_role("dialog")
    drawer.get_by_role("link", name="Today", exact=True).click()
    expect(page).to_have_url(url_pattern(base, "/today"))
    _heading(page, "Today")
    page.get_by_role("button", name="Filters").click()
    expect(page.get_by_role("combobox", name="Filter by priority")).to_be_visible()
    page.keyboard.press("Escape")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_today_and_upcoming_show_tasks_under_their_headings(
    live_app: RunningApp, page: Page
) -> None:
    base, email = live_app.url, unique_email("views-dated")
    register(page, base, name="Vi", email=email, password=PASSWORD)
    today = date.today()
    add_tasks_via_api(
        base,
        email=email,
        password=PASSWORD,
        tasks=[
            {"title": "Late report", "due_date": (today - timedelta(2)).isoformat()},
            {"title": "Call mum", "due_date": today.isoformat()},
            {"title": "Dentist", "due_date": (today + timedelta(1)).isoformat()},
            {"title": "Pay rent", "due_date": (today + timedelta(3)).isoformat()},
            {"title": "Someday"},
        ],
    )
    expect(page.get_by_role("checkbox", name="Someday")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Today"
    ).click()
    _heading(page, "Today")
    sections = page.get_by_role("heading", level=2)
    expect(sections).to_have_text(["Overdue", "Today"])
    expect(page.get_by_role("list", name="Tasks")).to_contain_text(
        "Overdue" + "Late report"
    )
    expect(page.get_by_role("checkbox", name="Dentist")).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Someday")).to_have_count(0)

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Upcoming"
    ).click()
    _heading(page, "Upcoming")
    expect(sections).to_have_text(
        ["Today", "Tomorrow", day_heading(today + timedelta(3), today)]
    )
    expect(page.get_by_role("list", name="Tasks")).to_contain_text(
        "Tomorrow" + "Dentist"
    )
    expect(page.get_by_role("checkbox", name="Late report")).to_have_count(0)

    # A task added in Today is due today.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Today"
    ).click()
    expect(sections).to_have_text(["Overdue", "Today"])
    add_task(page, "Water the plants")
    # Its badge would only repeat the heading here; the Inbox's says the day.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Inbox"
    ).click()
    row = page.get_by_role("listitem").filter(has_text="Water the plants")
    expect(row).to_contain_text("Today")


def _theme(page: Page, base: str, theme: str) -> None:
    page.goto(f"{base}/settings")
    page.get_by_role("button", name=theme.capitalize(), exact=True).click()
    expect(page.locator("html")).to_have_class(re.compile(rf"\b{theme}\b"))


def screenshot_every_view(
    page: Page, base: str, artifacts_dir: Path, views: dict[str, str]
) -> None:
    """Every view at 1280 and 375 px, light and dark, into the git-ignored artifacts folder;
    none of them scrolls sideways on a phone."""
    for theme in ("light", "dark"):
        _theme(page, base, theme)
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            for path, name in views.items():
                page.goto(f"{base}{path}")
                _heading(page, name)
                expect(page.get_by_text("Loading tasks…")).to_have_count(0)
                page.screenshot(
                    path=str(
                        artifacts_dir / f"view-{name.lower()}-{width}-{theme}.png"
                    ),
                    full_page=True,
                )
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth"
                    " - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{path} at {width} px scrolls sideways"
                if width == 1280:
                    # axe-core: no contrast problem, nothing serious, in either theme.
                    violations = _violations(page)
                    bad = [
                        v
                        for v in violations
                        if v["id"] == "color-contrast" or v["impact"] in SERIOUS
                    ]
                    assert bad == [], f"{path} {theme}: {_describe(bad)}"


def _create_project(page: Page, base: str, name: str) -> int:
    page.get_by_role("navigation", name="Main").get_by_role(
        "button", name="Add project"
    ).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_role("combobox", name="Colour").click()
    page.get_by_role("option", name="Teal").click()
    dialog.get_by_role("button", name="Save project").click()
    expect(page).to_have_url(re.compile(re.escape(f"{base}/projects/") + r"\d+$"))
    _heading(page, name)
    return int(page.url.rsplit("/", 1)[1])


def test_a_projects_tasks_show_under_it_and_in_today_and_upcoming(
    live_app: RunningApp, page: Page, artifacts_dir: Path
) -> None:
    base, email = live_app.url, unique_email("views-project")
    register(page, base, name="Vi", email=email, password=PASSWORD)
    add_task(page, "Inbox thing")
    project_id = _create_project(page, base, "Garden")
    add_task(page, "Plant tulips")
    today = date.today()
    add_tasks_via_api(
        base,
        email=email,
        password=PASSWORD,
        tasks=[
            {
                "title": "Mow the lawn",
                "project_id": project_id,
                "due_date": today.isoformat(),
            },
            {
                "title": "Prune roses",
                "project_id": project_id,
                "due_date": (today + timedelta(2)).isoformat(),
            },
        ],
    )
    expect(page.get_by_role("checkbox", name="Prune roses")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Inbox thing")).to_have_count(0)
    nav = page.get_by_role("navigation", name="Main")
    garden = nav.get_by_role("link", name="Garden")
    expect(garden).to_contain_text("3")
    expect(garden).to_have_attribute("aria-current", "page")

    nav.get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("checkbox", name="Inbox thing")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Plant tulips")).to_have_count(0)

    nav.get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(["Today"])
    expect(page.get_by_role("list", name="Tasks")).to_contain_text(
        "Today" + "Mow the lawn"
    )
    nav.get_by_role("link", name="Upcoming").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(
        ["Today", day_heading(today + timedelta(2), today)]
    )
    expect(page.get_by_role("list", name="Tasks")).to_contain_text(
        day_heading(today + timedelta(2), today) + "Prune roses"
    )

    # Renamed in another tab: this one follows (live sync).
    other = page.context.new_page()
    other.goto(f"{base}/projects/{project_id}")
    _heading(other, "Garden")
    other.get_by_role("button", name="Project actions").click()
    other.get_by_role("menuitem", name="Rename or recolour").click()
    other.get_by_role("dialog").get_by_label("Name").fill("Backyard")
    other.get_by_role("dialog").get_by_role("button", name="Save project").click()
    _heading(other, "Backyard")
    expect(nav.get_by_role("link", name="Backyard")).to_be_visible()
    other.close()

    screenshot_every_view(
        page,
        base,
        artifacts_dir,
        {
            "/inbox": "Inbox",
            "/today": "Today",
            "/upcoming": "Upcoming",
            "/completed": "Completed",
            f"/projects/{project_id}": "Backyard",
        },
    )


def test_each_list_counts_its_own_items_and_a_task_added_elsewhere_says_where(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(page, base, name="Vi", email=unique_email("views-own"), password=PASSWORD)
    project_id = _create_project(page, base, "Home")
    for title in ("Fix door", "Paint wall", "Mow lawn"):
        add_task(page, title)
    expect(page).to_have_title("3 items left · Home")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Inbox").click()
    expect(page.get_by_text("Your Inbox is empty")).to_be_visible()
    expect(page).to_have_title("0 items left · Inbox")

    new_task = page.get_by_placeholder("What needs to be done?")
    new_task.fill("Oil hinge /home")
    new_task.press("Enter")
    expect(page.get_by_text("Added to Home")).to_be_visible()
    # Nothing is filtered: the list does not say so.
    expect(page.get_by_text("Your Inbox is empty")).to_be_visible()
    expect(page.get_by_text("Nothing matches")).to_have_count(0)
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page).to_have_url(url_pattern(base, f"/projects/{project_id}"))
    expect(page.get_by_role("checkbox", name="Oil hinge")).to_be_visible()
    expect(page).to_have_title("4 items left · Home")
    expect(page.get_by_text("Added to Home")).to_have_count(0)

    nav.get_by_role("link", name="Today").click()
    expect(page.get_by_text("All done for today")).to_be_visible()
    expect(page.get_by_text("0 items left")).to_be_visible()
    nav.get_by_role("link", name="Upcoming").click()
    expect(page.get_by_text("Nothing scheduled")).to_be_visible()
    nav.get_by_role("link", name="Completed").click()
    expect(page.get_by_text("Nothing completed yet")).to_be_visible()
    page.goto(f"{base}/inbox?q=hinge")
    expect(page.get_by_text("Nothing matches")).to_be_visible()


def test_a_project_address_that_names_none_says_so_and_leads_to_the_inbox(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(page, base, name="Vi", email=unique_email("views-gone"), password=PASSWORD)
    add_task(page, "Buy milk")
    for ref in ("abc", "999999"):
        page.goto(f"{base}/projects/{ref}")
        _heading(page, "Project not found")
        expect(page).to_have_title("Project not found · Todo")
        # The heading says it: no error message besides, to linger on later pages.
        expect(page.get_by_text("Project not found")).to_have_count(1)
        for control in (
            page.get_by_placeholder("What needs to be done?"),
            page.get_by_placeholder("Search"),
            page.get_by_role("button", name="Project actions"),
            page.get_by_role("checkbox", name="Buy milk"),
        ):
            expect(control).to_have_count(0)
    page.get_by_role("link", name="Go to the Inbox").click()
    expect(page).to_have_url(url_pattern(base, "/inbox"))
    expect(page.get_by_role("checkbox", name="Buy milk")).to_be_visible()


def test_the_completed_view_offers_only_what_applies_to_its_history(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    email = unique_email("views-done")
    register(page, base, name="Vi", email=email, password=PASSWORD)
    add_tasks_via_api(
        base,
        email=email,
        password=PASSWORD,
        tasks=[{"title": "Done", "completed": True}, {"title": "Still open"}],
    )
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Completed"
    ).click()
    _heading(page, "Completed")
    expect(page.get_by_role("checkbox", name="Done")).to_be_checked()
    # Nothing older to show; reopening everything, the status filters and the open tasks'
    # count belong to the lists, not to the history.
    for control in (
        page.get_by_role("button", name="Show more"),
        page.get_by_role("checkbox", name="Mark all as complete"),
        page.get_by_role("navigation", name="Status filter"),
        page.get_by_text(re.compile(r"items? left")),
        # The history is by day of completion: no sort order to pick.
        page.get_by_role("combobox", name="Sort by"),
    ):
        expect(control).to_have_count(0)
    expect(page).to_have_title("Completed · Todo")


def test_deleting_a_project_asks_first(live_app: RunningApp, page: Page) -> None:
    base = live_app.url
    register(page, base, name="Vi", email=unique_email("views-del"), password=PASSWORD)
    _create_project(page, base, "Errands")
    add_task(page, "Post the letter")
    page.get_by_role("button", name="Project actions").click()
    page.get_by_role("menuitem", name="Delete project").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Delete “Errands” and its 1 task?")
    confirm.get_by_role("button", name="Delete project").click()
    expect(page).to_have_url(url_pattern(base, "/inbox"))
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Errands")).to_have_count(0)
    nav.get_by_role("link", name="Trash").click()
    expect(page.get_by_text("Post the letter")).to_be_visible()


def test_a_deleted_project_comes_back_with_undo_and_an_archived_one_stays_reachable(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(page, base, name="Vi", email=unique_email("views-undo"), password=PASSWORD)
    project_id = _create_project(page, base, "Errands")
    add_task(page, "Post the letter")
    page.get_by_role("button", name="Project actions").click()
    page.get_by_role("menuitem", name="Delete project").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete project").click()
    expect(page).to_have_url(url_pattern(base, "/inbox"))
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Errands")).to_have_count(0)
    page.get_by_role("button", name="Undo").click()
    expect(page).to_have_url(url_pattern(base, f"/projects/{project_id}"))
    _heading(page, "Errands")
    expect(page.get_by_role("checkbox", name="Post the letter")).to_be_visible()

    page.get_by_role("button", name="Project actions").click()
    page.get_by_role("menuitem", name="Archive").click()
    expect(nav.get_by_role("link", name="Errands")).not_to_be_visible()
    nav.get_by_text("Archived (1)").click()
    nav.get_by_role("link", name="Errands").click()
    _heading(page, "Errands")
    page.get_by_role("button", name="Project actions").click()
    page.get_by_role("menuitem", name="Unarchive").click()
    expect(nav.get_by_text("Archived (1)")).to_have_count(0)
    expect(nav.get_by_role("link", name="Errands")).to_be_visible()


def _drag(page: Page, grip: Locator, row: Locator, onto: Locator) -> None:
    """A person's drag with the mouse: press on `grip`, move in steps, let go where `row`
    lies over `onto` (dnd-kit starts a drag only after a few pixels of movement)."""
    start, moved, target = grip.bounding_box(), row.bounding_box(), onto.bounding_box()
    assert start and moved and target
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    grip.hover()
    page.mouse.down()
    page.mouse.move(x, y - 10, steps=4)
    page.mouse.move(x, y + target["y"] - moved["y"], steps=12)
    page.mouse.up()


def _touch_drag(page: Page, grip: Locator, row: Locator, onto: Locator) -> None:
    """The same drag with a finger (Chromium's touch input): down on `grip`, moved in steps,
    lifted where `row` lies over `onto`."""
    start, moved, target = grip.bounding_box(), row.bounding_box(), onto.bounding_box()
    assert start and moved and target
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    end = y + target["y"] - moved["y"]
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, at: float | None = None) -> None:
        points = [] if at is None else [{"x": x, "y": at}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", y)
    for step in range(1, 13):
        touch("touchMove", y + (end - y) * step / 12)
    touch("touchEnd")
    cdp.detach()


def test_reorder_by_drag_and_keyboard_then_complete_into_the_history(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(
        page, base, name="Vi", email=unique_email("views-order"), password=PASSWORD
    )
    project_id = _create_project(page, base, "Chores")
    for title in ("Alpha", "Bravo", "Charlie"):
        add_task(page, title)
    rows = page.get_by_role("list", name="Tasks").get_by_role("checkbox")

    def order(*titles: str) -> None:
        expect(rows).to_have_count(len(titles))
        for index, title in enumerate(titles):
            expect(rows.nth(index)).to_have_accessible_name(title)

    order("Alpha", "Bravo", "Charlie")

    def row(title: str) -> Locator:
        return page.get_by_role("listitem").filter(has_text=title)

    # Only the handle drags: Bravo dragged by its title onto Alpha stays where it was.
    _drag(page, page.get_by_text("Bravo", exact=True), row("Bravo"), row("Alpha"))
    _drag(
        page,
        page.get_by_role("button", name="Reorder Charlie"),
        row("Charlie"),
        row("Alpha"),
    )
    order("Charlie", "Alpha", "Bravo")
    page.reload()
    order("Charlie", "Alpha", "Bravo")

    page.get_by_role("listitem").filter(has_text="Alpha").focus()
    page.keyboard.press("Alt+ArrowDown")
    order("Charlie", "Bravo", "Alpha")
    page.goto(f"{base}/projects/{project_id}")
    order("Charlie", "Bravo", "Alpha")

    page.get_by_role("checkbox", name="Bravo").click()
    expect(page.get_by_role("checkbox", name="Bravo")).to_be_checked()
    page.reload()
    expect(page.get_by_text("Completed (1)", exact=True)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Completed"
    ).click()
    _heading(page, "Completed")
    expect(page.get_by_role("heading", level=2, name="Today")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Bravo")).to_be_checked()
    expect(
        page.get_by_role(
            "img", name=re.compile(r"^1 task completed in the last 30 days")
        )
    ).to_be_visible()
    expect(page.get_by_text("1 completed · streak 1 day")).to_be_visible()


def _three_chores(live_app: RunningApp, page: Page, prefix: str) -> Locator:
    """A new user's project "Chores" with Alpha, Bravo and Charlie: its rows' checkboxes."""
    base = live_app.url
    register(page, base, name="Vi", email=unique_email(prefix), password=PASSWORD)
    _create_project(page, base, "Chores")
    for title in ("Alpha", "Bravo", "Charlie"):
        add_task(page, title)
    return page.get_by_role("list", name="Tasks").get_by_role("checkbox")


def test_a_finger_on_the_handle_reorders_on_a_phone(
    live_app: RunningApp, page: Page
) -> None:
    rows = _three_chores(live_app, page, "views-touch")
    page.set_viewport_size({"width": 375, "height": 740})
    expect(rows).to_have_count(3)

    def row(title: str) -> Locator:
        return page.get_by_role("listitem").filter(has_text=title)

    _touch_drag(
        page,
        page.get_by_role("button", name="Reorder Charlie"),
        row("Charlie"),
        row("Alpha"),
    )

    def moved() -> None:
        for index, title in enumerate(("Charlie", "Alpha", "Bravo")):
            expect(rows.nth(index)).to_have_accessible_name(title)

    moved()
    page.reload()  # stored, not only shown
    moved()


def test_the_drag_handle_is_reached_with_tab_and_reorders_with_the_keyboard(
    live_app: RunningApp, page: Page
) -> None:
    rows = _three_chores(live_app, page, "views-handle")

    def order(*titles: str) -> None:
        expect(rows).to_have_count(len(titles))
        for index, title in enumerate(titles):
            expect(rows.nth(index)).to_have_accessible_name(title)

    handle = page.get_by_role("button", name="Reorder Charlie")
    page.get_by_role("checkbox", name="Charlie").focus()
    page.keyboard.press("Shift+Tab")
    expect(handle).to_be_focused()
    box = handle.bounding_box()
    assert box is not None
    assert box["width"] >= 24 and box["height"] >= 24, box

    # Each step is announced (the screen reader's view of the drag); the next waits for it.
    announced = page.get_by_role("status")
    page.keyboard.press("Space")
    expect(handle).to_have_attribute("aria-pressed", "true")
    expect(announced.filter(has_text="Charlie is in its place.")).to_have_count(1)
    page.keyboard.press("ArrowUp")
    expect(announced.filter(has_text="Charlie is at Bravo.")).to_have_count(1)
    page.keyboard.press("ArrowUp")
    expect(announced.filter(has_text="Charlie is at Alpha.")).to_have_count(1)
    page.keyboard.press("Space")
    order("Charlie", "Alpha", "Bravo")
    page.reload()
    order("Charlie", "Alpha", "Bravo")


def test_project_actions_name_the_project_and_archiving_can_be_undone(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(
        page, base, name="Vi", email=unique_email("views-archive"), password=PASSWORD
    )
    _create_project(page, base, "Work")
    _create_project(page, base, "Home")
    for title in ("Fix the tap", "Paint the door"):
        add_task(page, title)
    actions = page.get_by_role("button", name="Project actions")
    nav = page.get_by_role("navigation", name="Main")

    actions.click()
    page.get_by_role("menuitem", name="Delete project").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm.get_by_role("heading")).to_have_text(
        "Delete “Home” and its 2 tasks?"
    )
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_have_count(0)

    # Renaming: the name field has the focus; a name in use is quoted as it is written.
    actions.click()
    page.get_by_role("menuitem", name="Rename or recolour").click()
    name = page.get_by_role("dialog").get_by_label("Name")
    expect(name).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("wORK")
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog").get_by_role("alert")).to_have_text(
        "You already have a project named “Work”"
    )
    page.keyboard.press("Escape")

    banner = page.get_by_role("status").filter(has_text="This project is archived")
    expect(banner).to_have_count(0)
    actions.click()
    page.get_by_role("menuitem", name="Archive").click()
    expect(banner).to_be_visible()
    expect(nav.get_by_role("link", name="Home")).not_to_be_visible()
    page.get_by_role("status").filter(has_text="Archived Home").get_by_role(
        "button", name="Undo"
    ).click()
    expect(banner).to_have_count(0)
    expect(nav.get_by_role("link", name="Home")).to_be_visible()

    actions.click()
    page.get_by_role("menuitem", name="Archive").click()
    banner.get_by_role("button", name="Unarchive").click()
    expect(banner).to_have_count(0)
    expect(nav.get_by_role("link", name="Home")).to_be_visible()


def test_an_archived_project_offers_no_new_task_form_but_a_clear_unarchive(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(
        page, base, name="Vi", email=unique_email("views-readonly"), password=PASSWORD
    )
    _create_project(page, base, "Home")
    new_task = page.get_by_placeholder("What needs to be done?")
    expect(new_task).to_be_visible()
    page.get_by_role("button", name="Project actions").click()
    page.get_by_role("menuitem", name="Archive").click()
    banner = page.get_by_role("status").filter(has_text="This project is archived")
    expect(banner).to_be_visible()
    expect(new_task).to_have_count(0)
    expect(banner).to_contain_text("Unarchive it to add tasks")

    # "Unarchive" is a filled button in the app's accent colour, not grey on the grey banner.
    unarchive = banner.get_by_role("button", name="Unarchive")
    # The theme's accent, read in the page's heading (inside the theme, outside the banner).
    accent = page.get_by_role("heading", level=1).evaluate(
        """(heading) => {
            const probe = document.createElement("span");
            probe.style.backgroundColor = "var(--accent-9)";
            heading.append(probe);
            const color = getComputedStyle(probe).backgroundColor;
            probe.remove();
            return color;
        }"""
    )
    expect(unarchive).to_have_css("background-color", accent)

    unarchive.click()
    expect(banner).to_have_count(0)
    expect(new_task).to_be_visible()


def test_a_message_stays_on_its_page(live_app: RunningApp, page: Page) -> None:
    base = live_app.url
    register(
        page, base, name="Vi", email=unique_email("views-notice"), password=PASSWORD
    )
    add_task(page, "Pay rent")
    page.get_by_role("button", name="Delete Pay rent", exact=True).click()
    message = page.get_by_role("status").filter(has_text="Deleted 'Pay rent'")
    expect(message).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Today", exact=True
    ).click()
    _heading(page, "Today")
    expect(message).to_have_count(0)
