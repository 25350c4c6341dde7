"""Automatic accessibility checks (axe-core) of the task page with rich tasks, in both themes."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import (
    add_tasks_via_api,
    open_completed,
    register,
    unique_email,
)

PASSWORD = "password123"
SERIOUS = {"serious", "critical"}


def _rich_tasks() -> list[dict[str, object]]:
    today = date.today()
    return [
        {"title": "Ship the release", "priority": "high", "tags": ["work"]},
        {
            "title": "Renew passport",
            "priority": "medium",
            "due_date": (today - timedelta(days=2)).isoformat(),
            "description": "Photos are in the top drawer",
        },
        {
            "title": "Team standup",
            "priority": "low",
            "due_date": today.isoformat(),
            "recurrence": "daily",
            "tags": ["work", "meetings"],
        },
        {
            "title": "Plan the holiday",
            "due_date": (today + timedelta(days=30)).isoformat(),
            "tags": ["family"],
        },
        {"title": "Buy milk", "tags": ["errands"], "completed": True},
    ]


def _show_theme(page: Page, theme: str) -> None:
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name=theme.capitalize(), exact=True).click()
    expect(page.locator("html")).to_have_class(re.compile(rf"\b{theme}\b"))
    page.get_by_role("link", name="Back to tasks").click()
    open_completed(page)
    expect(page.get_by_role("checkbox", name="Buy milk")).to_be_checked()


def _violations(page: Page) -> list[dict[str, object]]:
    # Colours fade after a theme switch: check the settled page, not a frame of the fade.
    # An animation cancelled meanwhile (a message dismissed) rejects `finished`: it is over.
    page.evaluate(
        "Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))"
    )
    return Axe().run(page).response["violations"]


def _describe(violations: list[dict[str, object]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): "
        + "; ".join(
            str(node.get("failureSummary", "")).replace("\n", " ")
            + " @ "
            + str(node.get("target"))
            for node in v["nodes"][:5]
        )
        for v in violations
    )


def test_task_page_has_no_contrast_or_serious_violations_in_either_theme(
    live_app: RunningApp, page: Page, artifacts_dir: Path
) -> None:
    email = unique_email("axe")
    register(page, live_app.url, name="Axel", email=email, password=PASSWORD)
    add_tasks_via_api(live_app.url, email=email, password=PASSWORD, tasks=_rich_tasks())
    open_completed(page)
    expect(page.get_by_role("checkbox", name="Buy milk")).to_be_checked()
    row = page.get_by_role("listitem").filter(has_text="Renew passport")
    expect(row).to_contain_text("2 days overdue")
    # One main landmark holding the list: a screen reader's way past the sidebar.
    main = page.get_by_role("main")
    expect(main.get_by_role("list", name="Tasks", exact=True)).to_be_visible()
    for theme in ("light", "dark"):
        _show_theme(page, theme)
        expect(page.get_by_role("checkbox", name="Team standup")).to_be_visible()
        page.screenshot(path=str(artifacts_dir / f"tasks-{theme}.png"), full_page=True)
        violations = _violations(page)
        contrast = [v for v in violations if v["id"] == "color-contrast"]
        serious = [v for v in violations if v["impact"] in SERIOUS]
        assert contrast == [], f"{theme}: {_describe(contrast)}"
        assert serious == [], f"{theme}: {_describe(serious)}"


def test_details_dialog_has_no_serious_violations(
    live_app: RunningApp, page: Page
) -> None:
    email = unique_email("axe-dialog")
    register(page, live_app.url, name="Axel", email=email, password=PASSWORD)
    add_tasks_via_api(live_app.url, email=email, password=PASSWORD, tasks=_rich_tasks())
    page.get_by_role("button", name="Edit details of Renew passport").click()
    expect(page.get_by_role("dialog").get_by_label("Title")).to_be_focused()
    serious = [v for v in _violations(page) if v["impact"] in SERIOUS]
    assert serious == [], _describe(serious)
