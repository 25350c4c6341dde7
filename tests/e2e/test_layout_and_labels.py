"""The task and project dialogs fit the screen and read in order; Today's rows say no more
than their heading; the import's file input is named by a label."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import add_task, add_tasks_via_api, register, unique_email

PASSWORD = "pw-123456"


def _box(locator: Locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    return box


def _follows(earlier: Locator, later: Locator) -> bool:
    """Whether `later` comes after `earlier` in the document (and so in reading order)."""
    return earlier.evaluate(
        "(first, second) => Boolean(first.compareDocumentPosition(second)"
        " & Node.DOCUMENT_POSITION_FOLLOWING)",
        later.element_handle(),
    )


def _api(base: str, email: str) -> httpx.Client:
    login = httpx.post(
        f"{base}/api/auth/login", json={"email": email, "password": PASSWORD}
    )
    login.raise_for_status()
    token = login.json()["access_token"]
    return httpx.Client(
        base_url=f"{base}/api", headers={"Authorization": f"Bearer {token}"}
    )


@pytest.mark.parametrize(
    "width,height", [(1280, 800), (375, 667)], ids=["desktop", "phone"]
)
def test_details_dialog_ends_with_its_actions_and_fits_the_screen(
    live_app: RunningApp, page: Page, artifacts_dir: Path, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    base, email = live_app.url, unique_email("dialog")
    register(page, base, name="Di", email=email, password=PASSWORD)
    api = _api(base, email)
    garden = api.post("/projects", json={"name": "Garden"}).raise_for_status().json()
    add_task(page, "Plant tulips")

    if width < 768:
        page.get_by_role("button", name="More actions for Plant tulips").click()
        page.get_by_role("menuitem", name="Edit details").click()
    else:
        page.get_by_role("button", name="Edit details of Plant tulips").click()
    dialog = page.get_by_role("dialog")

    save = dialog.get_by_role("button", name="Save", exact=True)
    cancel = dialog.get_by_role("button", name="Cancel", exact=True)
    add_reminder = dialog.get_by_role("button", name="Add reminder")
    reminders = dialog.get_by_role("heading", name="Reminders")
    # Save and Cancel come after the reminders, which they do not cover.
    assert _follows(add_reminder, save)
    assert _follows(reminders, cancel)

    # Taller than either screen, the dialog still fits: its body scrolls, the actions stay.
    assert add_reminder.evaluate(
        "(button) => { let box = button.parentElement;"
        " while (getComputedStyle(box).overflowY !== 'auto') { box = box.parentElement; }"
        " return box.scrollHeight > box.clientHeight; }"
    )
    dialog_box = _box(dialog)
    assert dialog_box["y"] >= 0
    assert dialog_box["y"] + dialog_box["height"] <= height
    page.screenshot(path=str(artifacts_dir / f"details-dialog-{width}.png"))
    add_reminder.scroll_into_view_if_needed()
    expect(add_reminder).to_be_in_viewport()
    save_box = _box(save)
    assert save_box["y"] + save_box["height"] <= height
    assert _box(add_reminder)["y"] + _box(add_reminder)["height"] <= save_box["y"]
    page.screenshot(path=str(artifacts_dir / f"details-dialog-{width}-scrolled.png"))

    # The project is a select like the others, chosen by keyboard, and Save sends it.
    project = dialog.get_by_role("combobox", name="Project", exact=True)
    expect(project).to_have_text("Inbox")
    project.focus()
    project.press("Enter")
    # Open, the list focuses the current choice; the arrow moves on from there.
    expect(page.get_by_role("option", name="Inbox")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("option", name="Garden")).to_be_focused()
    page.keyboard.press("Enter")
    expect(project).to_have_text("Garden")
    save.click()
    expect(dialog).to_have_count(0)
    # Moved out of the Inbox, into the project.
    expect(page.get_by_role("checkbox", name="Plant tulips")).to_have_count(0)
    saved = api.get("/tasks").raise_for_status().json()
    assert [(task["title"], task["project_id"]) for task in saved] == [
        ("Plant tulips", garden["id"])
    ]


def test_enter_in_a_details_field_still_saves(live_app: RunningApp, page: Page) -> None:
    base = live_app.url
    register(page, base, name="Di", email=unique_email("dialog"), password=PASSWORD)
    add_task(page, "Buy milk")
    page.get_by_role("button", name="Edit details of Buy milk").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill("Buy oat milk")
    dialog.get_by_label("Title").press("Enter")
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Buy oat milk")).to_be_visible()


def test_project_dialog_has_a_full_width_name_and_a_colour_select(
    live_app: RunningApp, page: Page, artifacts_dir: Path
) -> None:
    base = live_app.url
    register(page, base, name="Pa", email=unique_email("project"), password=PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role(
        "button", name="Add project"
    ).click()
    dialog = page.get_by_role("dialog")
    name = dialog.get_by_label("Name", exact=True)
    colour = dialog.get_by_role("combobox", name="Colour", exact=True)
    expect(colour).to_have_text("Charcoal")
    # As wide as the form, like the Colour select below it (less the text field's padding).
    assert _box(name)["width"] == pytest.approx(_box(colour)["width"], abs=8)
    page.screenshot(path=str(artifacts_dir / "project-dialog.png"))

    name.fill("Garden")
    colour.focus()
    colour.press("Enter")
    page.get_by_role("option", name="Teal").click()
    expect(colour).to_have_text("Teal")
    dialog.get_by_role("button", name="Save project").click()
    expect(page.get_by_role("heading", level=1, name="Garden")).to_be_visible()

    page.get_by_role("button", name="Project actions").click()
    page.get_by_role("menuitem", name="Rename or recolour").click()
    expect(dialog.get_by_role("combobox", name="Colour")).to_have_text("Teal")


def test_the_new_task_forms_project_select_starts_at_the_page_shown(
    live_app: RunningApp, page: Page
) -> None:
    base, email = live_app.url, unique_email("project")
    register(page, base, name="Pa", email=email, password=PASSWORD)
    garden = _api(base, email).post("/projects", json={"name": "Garden"})
    page.goto(f"{base}/projects/{garden.raise_for_status().json()['id']}")
    page.get_by_text("More options").click()
    project = page.get_by_role("combobox", name="Project", exact=True)
    expect(project).to_have_text("Garden")
    page.get_by_placeholder("What needs to be done?").fill("Prune roses")
    page.get_by_role("button", name="Add task").click()
    expect(page.get_by_role("checkbox", name="Prune roses")).to_be_visible()

    page.goto(f"{base}/inbox")
    page.get_by_text("More options").click()
    expect(project).to_have_text("Inbox")


def test_a_row_under_its_days_heading_does_not_repeat_the_day(
    live_app: RunningApp, page: Page
) -> None:
    base, email = live_app.url, unique_email("chips")
    register(page, base, name="Ch", email=email, password=PASSWORD)
    today = date.today()
    add_tasks_via_api(
        base,
        email=email,
        password=PASSWORD,
        tasks=[
            {"title": "Late report", "due_date": (today - timedelta(2)).isoformat()},
            {"title": "Call mum", "due_date": today.isoformat()},
            {"title": "Gym", "due_date": today.isoformat(), "due_time": "18:00"},
            {"title": "Dentist", "due_date": (today + timedelta(1)).isoformat()},
        ],
    )
    expect(page.get_by_role("checkbox", name="Dentist")).to_be_visible()

    def due_badge(title: str) -> Locator:
        row = page.get_by_role("listitem").filter(
            has=page.get_by_role("checkbox", name=title, exact=True)
        )
        return row.get_by_title(re.compile("^Due "))

    # The Inbox mixes days: each row says its own.
    expect(due_badge("Call mum")).to_have_text("Today")
    expect(due_badge("Dentist")).to_have_text("Tomorrow")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(["Overdue", "Today"])
    expect(page.get_by_role("checkbox", name="Call mum")).to_be_visible()
    expect(due_badge("Call mum")).to_have_count(0)
    # The time is still news; how late an overdue task is, too.
    expect(due_badge("Gym")).to_have_text("18:00")
    expect(due_badge("Late report")).to_have_text("2 days overdue")

    nav.get_by_role("link", name="Upcoming").click()
    expect(page.get_by_role("checkbox", name="Dentist")).to_be_visible()
    expect(due_badge("Dentist")).to_have_count(0)


def test_the_import_file_input_has_a_label(
    live_app: RunningApp, page: Page, tmp_path: Path
) -> None:
    base = live_app.url
    register(page, base, name="Im", email=unique_email("import"), password=PASSWORD)
    page.get_by_role("link", name="Settings").click()
    file_input = page.get_by_label("File to import", exact=True)
    expect(file_input).to_have_attribute("type", "file")

    exported = tmp_path / "tasks.csv"
    exported.write_text(
        "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,"
        "TIMEZONE\r\ntask,Buy milk,,4,1,,,,en,UTC\r\n"
    )
    file_input.set_input_files(exported)
    expect(page.get_by_text("tasks.csv")).to_be_visible()
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_role("status").filter(has_text="imported")).to_have_text(
        "1 task imported"
    )
