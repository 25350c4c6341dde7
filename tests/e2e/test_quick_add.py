"""Quick add in the browser: chips for what the typed line sets, putting words back, the "?"."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import register, unique_email

NEW_TASK = "What needs to be done?"


def test_chips_show_what_the_line_sets_and_enter_adds_exactly_that(
    live_app: RunningApp, page: Page
) -> None:
    register(
        page, live_app.url, name="Q", email=unique_email("quick"), password="pw-123456"
    )
    new_task = page.get_by_placeholder(NEW_TASK)
    new_task.press_sequentially("Call mom tomorrow at 6pm #family !high")
    recognised = page.get_by_role("list", name="Recognised")
    for words in ("tomorrow", "at 6pm", "#family", "!high"):
        expect(recognised.get_by_role("button", name=f"Remove {words}")).to_be_visible()

    recognised.get_by_role("button", name="Remove !high").click()
    expect(recognised.get_by_role("button", name="Remove !high")).to_have_count(0)
    new_task.press("Enter")

    row = page.get_by_role("listitem").filter(
        has=page.get_by_role("checkbox", name="Call mom !high", exact=True)
    )
    expect(row).to_be_visible()
    expect(row.get_by_text("Tomorrow 18:00")).to_be_visible()
    expect(row.get_by_text("#family", exact=True)).to_be_visible()
    expect(new_task).to_have_value("")
    expect(recognised).to_have_count(0)


def test_the_question_mark_explains_the_syntax(
    live_app: RunningApp, page: Page
) -> None:
    register(
        page, live_app.url, name="Q", email=unique_email("qhelp"), password="pw-123456"
    )
    page.get_by_role("button", name="How to type a task").click()
    expect(
        page.get_by_text("every month on the 1st", exact=False).first
    ).to_be_visible()
    expect(page.get_by_text("p1 p2 p3 p4", exact=False)).to_be_visible()
