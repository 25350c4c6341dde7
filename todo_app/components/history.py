"""The Completed view's chart (completions per day, the streak) and its "Show more"."""

from __future__ import annotations

import reflex as rx

from todo_app.state.tasks import TaskState


def _days(count: rx.Var[int]) -> rx.Var[str]:
    return rx.cond(count == 1, " day", " days").to(str)


def completion_chart() -> rx.Component:
    """Tasks completed per day over the last 30 days, with the current streak."""
    summary = (
        TaskState.chart_total.to_string()
        + rx.cond(TaskState.chart_total == 1, " task", " tasks").to(str)
        + " completed in the last 30 days; streak "
        + TaskState.streak.to_string()
        + _days(TaskState.streak)
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Last 30 days", as_="h2", size="3"),
                rx.spacer(),
                rx.text(
                    rx.text.strong(TaskState.chart_total),
                    " completed · streak ",
                    rx.text.strong(TaskState.streak),
                    _days(TaskState.streak),
                    size="2",
                ),
                width="100%",
                align="center",
                wrap="wrap",
            ),
            rx.box(
                rx.recharts.bar_chart(
                    rx.recharts.bar(
                        data_key="done", name="Completed", fill=rx.color("accent", 9)
                    ),
                    rx.recharts.x_axis(
                        data_key="day",
                        interval="preserveStartEnd",
                        tick_line=False,
                        stroke=rx.color("gray", 11),
                    ),
                    rx.recharts.y_axis(
                        allow_decimals=False, width=28, stroke=rx.color("gray", 11)
                    ),
                    rx.recharts.graphing_tooltip(cursor=False),
                    data=TaskState.chart_days,
                    width="100%",
                    height=160,
                ),
                # The chart's numbers in words: a picture alone says nothing to a screen reader.
                role="img",
                aria_label=summary,
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def show_more_history() -> rx.Component:
    """Thirty more days of completed tasks, up to a year, while there are older ones."""
    return rx.cond(
        TaskState.more_history,
        rx.button(
            "Show more",
            variant="soft",
            on_click=TaskState.show_more_history,
            width="fit-content",
        ),
    )
