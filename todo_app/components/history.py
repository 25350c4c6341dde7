"""The Completed view's chart (completions per day, the streak) and its "Show more"."""

from __future__ import annotations

import reflex as rx

from todo_app.state.tasks import TaskState

# The axes' labels: small enough for a phone's width, still readable.
AXIS_LABELS = {"fontSize": 12}
AXIS_LABEL_GAP = 16


def _days(count: rx.Var[int]) -> rx.Var[str]:
    return rx.cond(count == 1, " day", " days").to(str)


def _top(ticks: rx.Var[list[int]]) -> rx.Var[int]:
    return ticks[ticks.length() - 1]


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
                        # Dates keep a word's width apart, so a phone shows fewer, not a jumble.
                        min_tick_gap=AXIS_LABEL_GAP,
                        # The first date starts clear of the "0" beside it.
                        padding={"left": AXIS_LABEL_GAP},
                        tick=AXIS_LABELS,
                        tick_line=False,
                        stroke=rx.color("gray", 11),
                    ),
                    rx.recharts.y_axis(
                        # Ticks from the server: whole, evenly spaced, every one shown (recharts
                        # would drop some it thinks crowded, leaving 0, 1, 2, 4).
                        ticks=TaskState.chart_ticks,
                        domain=[0, _top(TaskState.chart_ticks)],
                        interval=0,
                        allow_decimals=False,
                        tick=AXIS_LABELS,
                        width=28,
                        stroke=rx.color("gray", 11),
                    ),
                    rx.recharts.graphing_tooltip(cursor=False),
                    data=TaskState.chart_days,
                    # Room for the top count and the last date, which recharts centres on the
                    # plot's edges and would otherwise cut.
                    margin={"top": 10, "right": 20, "bottom": 5, "left": 5},
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
