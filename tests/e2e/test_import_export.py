"""Settings: export the tasks as a file, and import a Todoist CSV with a summary."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import add_task, register, unique_email

TODOIST_CSV = (
    "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\r\n"
    "task,Buy milk @errands,,4,1,,,,en,UTC\r\n"
    "section,Later,,,,,,,,\r\n"
    "task,Call mum,,1,1,,,,en,UTC\r\n"
)


def test_export_downloads_the_tasks_and_import_adds_a_todoist_file(
    live_app: RunningApp, page: Page, tmp_path: Path
) -> None:
    base = live_app.url
    register(page, base, name="Io", email=unique_email("io"), password="pw-123456")
    add_task(page, "Water plants")
    page.get_by_role("link", name="Settings").click()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export JSON").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    document = json.loads(Path(download.path()).read_text())
    assert [task["title"] for task in document["tasks"]] == ["Water plants"]

    todoist = tmp_path / "Groceries.csv"
    todoist.write_text(TODOIST_CSV)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose file", exact=True).click()
    chooser.value.set_files(todoist)
    expect(page.get_by_text("Groceries.csv")).to_be_visible()
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_role("status").filter(has_text="imported")).to_have_text(
        "2 tasks imported; 1 line skipped: line 3: projects and sections are not "
        "imported: the tasks go to your Inbox"
    )

    page.get_by_role("link", name="Back to tasks").click()
    expect(page.get_by_role("checkbox", name="Buy milk", exact=True)).to_be_visible()
    expect(page.get_by_role("checkbox", name="Call mum", exact=True)).to_be_visible()
