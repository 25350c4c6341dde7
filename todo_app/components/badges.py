"""The badges of a task row: priority, due date, recurrence, tags."""

from __future__ import annotations

import reflex as rx

from todo_app.models import Priority

PRIORITY_COLORS = {Priority.low: "blue", Priority.medium: "amber", Priority.high: "red"}


def priority_badge(priority: rx.Var[str]) -> rx.Component:
    """The task's priority as a coloured badge (nothing for "none")."""
    return rx.match(
        priority,
        *[
            (
                level.value,
                rx.badge(
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
    text: str | rx.Var[str], color: str, variant: str = "soft"
) -> rx.Component:
    return rx.badge(
        rx.icon("calendar", size=12),
        text,
        color_scheme=color,
        variant=variant,
        # Gray keeps its contrast without it; red and green need step 12 text.
        high_contrast=color != "gray",
    )


def due_date_badge(
    due_date: rx.Var[str],
    due_time: rx.Var[str],
    due_state: rx.Var[str],
    completed: rx.Var[bool],
) -> rx.Component:
    """The due date (and time): red with "Overdue" when past, "Today" when due today,
    "Tomorrow" the day before (days on the user's calendar: `state.task_view.due_state`).

    A completed task shows its date plainly, whatever its state.
    """
    at = rx.cond(due_time != "", " " + due_time.to(str), "")

    def neutral() -> rx.Component:
        return _calendar_badge("Due " + due_date.to(str) + at, "gray")

    return rx.cond(
        due_date != "",
        rx.cond(
            completed,
            neutral(),
            rx.match(
                due_state,
                (
                    "overdue",
                    _calendar_badge("Overdue · " + due_date.to(str) + at, "red"),
                ),
                ("today", _calendar_badge("Today" + at, "green", "solid")),
                ("tomorrow", _calendar_badge("Tomorrow" + at, "gray")),
                neutral(),
            ),
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
