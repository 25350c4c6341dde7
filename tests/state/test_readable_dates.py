"""Readable dates of rows and day headings, judged against the user's today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from todo_app.state.readable_dates import (
    day_heading,
    full_date,
    overdue_label,
    readable_date,
    time_ago,
)
from todo_app.state.task_view import TaskView, due_texts, today_heading, with_sections

# A Tuesday.
TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    "day,text",
    [
        (date(2026, 12, 1), "Today"),
        (date(2026, 12, 2), "Tomorrow"),
        (date(2026, 11, 30), "Yesterday"),
        (date(2026, 12, 3), "Thu"),
        (date(2026, 12, 7), "Mon"),
        (date(2026, 12, 8), "8 Dec"),
        (date(2026, 11, 29), "29 Nov"),
        (date(2026, 1, 3), "3 Jan"),
        (date(2027, 12, 3), "3 Dec 2027"),
        (date(2025, 12, 31), "31 Dec 2025"),
    ],
)
def test_readable_date_names_near_days_and_shortens_far_ones(
    day: date, text: str
) -> None:
    assert readable_date(day, TODAY) == text


def test_a_weekday_name_is_used_for_the_coming_six_days_only() -> None:
    names = [readable_date(date(2026, 12, d), TODAY) for d in range(3, 9)]
    assert names == ["Thu", "Fri", "Sat", "Sun", "Mon", "8 Dec"]


@pytest.mark.parametrize(
    "day,text",
    [(date(2026, 11, 30), "1 day overdue"), (date(2026, 11, 28), "3 days overdue")],
)
def test_overdue_label_counts_days_in_the_singular_and_plural(
    day: date, text: str
) -> None:
    assert overdue_label(day, TODAY) == text


def test_full_date_spells_the_weekday_and_month() -> None:
    assert full_date(date(2027, 12, 3)) == "Friday, 3 December 2027"


@pytest.mark.parametrize(
    "day,text",
    [
        (date(2026, 12, 1), "Today"),
        (date(2026, 12, 2), "Tomorrow"),
        (date(2026, 12, 3), "Thu 3 Dec"),
        (date(2027, 1, 6), "Wed 6 Jan 2027"),
    ],
)
def test_day_heading_names_today_and_tomorrow_then_weekday_and_date(
    day: date, text: str
) -> None:
    assert day_heading(day, TODAY) == text


def test_due_texts_of_an_overdue_task_say_how_late_and_keep_the_full_date() -> None:
    assert due_texts(date(2026, 11, 28), "09:30", TODAY) == {
        "due_label": "28 Nov 09:30",
        "overdue_label": "3 days overdue",
        "due_full": "Due Saturday, 28 November 2026 09:30",
    }


def test_due_texts_of_a_task_due_later_have_no_overdue_text() -> None:
    texts = due_texts(date(2026, 12, 4), None, TODAY)
    assert (texts["due_label"], texts["overdue_label"]) == ("Fri", "")


def test_due_texts_are_empty_without_a_due_date() -> None:
    assert set(due_texts(None, None, TODAY).values()) == {""}


def _row(task_id: int) -> TaskView:
    return TaskView(
        id=task_id,
        title=f"Task {task_id}",
        description="",
        priority="none",
        due_date="",
        due_time="",
        due_state="",
        tags=[],
        recurrence="none",
        project_id="",
    )


def test_with_sections_heads_each_group_once_in_order() -> None:
    rows = with_sections(
        [_row(1), _row(2), _row(3), _row(4)],
        ["Overdue", "Overdue", "Today", "Today"],
    )
    assert [row.section for row in rows] == ["Overdue", "", "Today", ""]


def test_today_heading_puts_late_tasks_under_overdue() -> None:
    assert today_heading(date(2026, 11, 30), TODAY) == "Overdue"
    assert today_heading(TODAY, TODAY) == "Today"


# 09:00 in London on Tuesday 1 December 2026.
MOMENT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("elapsed", "text"),
    [
        (timedelta(seconds=-5), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=59, seconds=59), "59 minutes ago"),
        (timedelta(hours=1), "1 hour ago"),
        (timedelta(hours=23), "23 hours ago"),
        (timedelta(days=1), "1 day ago"),
        (timedelta(days=6, hours=23), "6 days ago"),
        (timedelta(days=7), "24 Nov"),
        (timedelta(days=400), "27 Oct 2025"),
    ],
)
def test_time_ago_says_how_long_ago_then_the_date(
    elapsed: timedelta, text: str
) -> None:
    assert time_ago(MOMENT - elapsed, MOMENT, "Europe/London") == text


def test_time_ago_dates_a_week_old_moment_in_the_users_zone() -> None:
    # 23:30 UTC on 23 November is already the 24th in Auckland.
    moment = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert time_ago(moment, MOMENT, "Pacific/Auckland") == "24 Nov"
    assert time_ago(moment, MOMENT, "Europe/London") == "23 Nov"
