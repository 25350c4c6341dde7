"""The badges of a task row: priority, due date, recurrence, tags."""

from __future__ import annotations

import reflex as rx

from todo_app.models import Priority
from todo_app.state.task_view import TaskView

# Three hues apart from each other and from red, which says "overdue" alone.
PRIORITY_COLORS = {
    Priority.low: "blue",
    Priority.medium: "yellow",
    Priority.high: "orange",
}
OVERDUE_COLOR = "red"


def priority_badge(priority: rx.Var[str]) -> rx.Component:
    """The task's priority as a coloured badge (nothing for "none")."""
    return rx.match(
        priority,
        *[
            (
                level.value,
                rx.badge(
                    rx.icon("flag", size=12, aria_hidden="true"),
                    f"{level.value.capitalize()} priority",
                    color_scheme=color,
                    variant="soft",
                    # Step 12 text: step 11 on a soft blue or amber badge misses 4.5:1.
                    high_contrast=True,
                ),
            )
            for level, color in PRIORITY_COLORS.items()
        ],
        rx.fragment(),
    )


def tag_badges(tags: rx.Var[list[str]]) -> rx.Component:
    """The task's tags."""
    return rx.foreach(
        tags, lambda tag: rx.badge(f"#{tag}", variant="outline", color_scheme="gray")
    )


def _calendar_badge(
    text: str | rx.Var[str], color: str, full: rx.Var[str], variant: str = "soft"
) -> rx.Component:
    return rx.badge(
        rx.icon("calendar", size=12, aria_hidden="true"),
        text,
        color_scheme=color,
        variant=variant,
        # Gray keeps its contrast without it; the hues need step 12 text.
        high_contrast=color != "gray",
        # The full date, on hover and as the accessible description.
        title=full,
    )


def due_date_badge(task: TaskView, completed: rx.Var[bool]) -> rx.Component:
    """The due date as read ("Today", "Fri", "3 Dec"), red with "3 days overdue" when an open
    task is late (days on the user's calendar: `state.readable_dates`); the full date is in
    the badge's title. A completed task shows its date plainly. Under a heading that names
    the day (Today's "Today", Upcoming's days) only the time is left to say, if any.
    """
    label = rx.cond(task.day_in_heading, task.due_time, task.due_label).to(str)
    neutral = _calendar_badge(label, "gray", task.due_full)
    return rx.cond(
        label != "",
        rx.cond(
            completed,
            neutral,
            rx.match(
                task.due_state,
                (
                    "overdue",
                    _calendar_badge(task.overdue_label, OVERDUE_COLOR, task.due_full),
                ),
                # Soft, not solid: "Today" marks the row without outshouting the page.
                ("today", _calendar_badge(label, "green", task.due_full)),
                neutral,
            ),
        ),
    )


def project_badge(task: TaskView) -> rx.Component:
    """The task's project, with its colour, on lists that mix projects (Today, Upcoming)."""
    return rx.cond(
        task.project_name != "",
        rx.badge(
            rx.box(
                width="0.5rem",
                height="0.5rem",
                border_radius="50%",
                background_color=task.project_dot,
                aria_hidden="true",
            ),
            task.project_name,
            variant="outline",
            color_scheme="gray",
        ),
    )


def recurrence_badge(recurrence: rx.Var[str]) -> rx.Component:
    """A repeat icon with the period, for recurring tasks."""
    return rx.cond(
        recurrence != "none",
        rx.badge(
            rx.icon("repeat", size=12, aria_hidden="true"),
            "Repeats " + recurrence.to(str),
            color_scheme="violet",
            variant="soft",
        ),
    )
