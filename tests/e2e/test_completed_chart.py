"""The Completed view's chart on a phone: whole, evenly spaced counts and labels that do not
run into each other."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import add_tasks_via_api, register, unique_email

PASSWORD = "pw-123456"


def _labels(chart: Locator) -> list[Locator]:
    """The chart's axis labels (SVG text), once recharts has drawn them."""
    expect(chart.locator("text").first).to_be_visible()
    return chart.locator("text").all()


def test_the_chart_counts_in_whole_even_steps_and_its_labels_fit_a_phone(
    live_app: RunningApp, page: Page, artifacts_dir: Path
) -> None:
    base = live_app.url
    email = unique_email("chart")
    register(page, base, name="Cy", email=email, password=PASSWORD)
    add_tasks_via_api(
        base,
        email=email,
        password=PASSWORD,
        tasks=[{"title": f"Done {number}", "completed": True} for number in range(3)],
    )
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{base}/completed")
    chart = page.get_by_role(
        "img", name=re.compile(r"^3 tasks completed in the last 30 days")
    )
    labels = _labels(chart)
    counts = [label.text_content() for label in labels]
    counts = [text for text in counts if text and text.isdigit()]
    assert counts == ["0", "1", "2", "3"]

    chart.screenshot(path=str(artifacts_dir / "completed-chart-375px.png"))
    boxes = [label.bounding_box() for label in labels]
    boxes = [box for box in boxes if box is not None]
    frame = chart.bounding_box()
    assert frame is not None
    for box in boxes:
        inside = (
            frame["x"] <= box["x"]
            and box["x"] + box["width"] <= frame["x"] + frame["width"]
            and frame["y"] <= box["y"]
            and box["y"] + box["height"] <= frame["y"] + frame["height"]
        )
        assert inside, (box, frame)
    for index, first in enumerate(boxes):
        for second in boxes[index + 1 :]:
            apart = (
                first["x"] + first["width"] <= second["x"]
                or second["x"] + second["width"] <= first["x"]
                or first["y"] + first["height"] <= second["y"]
                or second["y"] + second["height"] <= first["y"]
            )
            assert apart, (first, second)
