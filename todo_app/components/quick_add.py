"""Under the new-task input: the parts of the typed line that set a field, as chips, and "?"."""

from __future__ import annotations

import reflex as rx

from todo_app.state.quick_add import Chip, QuickAddState

_ICONS = {
    "date": "calendar",
    "time": "clock",
    "recurrence": "repeat",
    "tag": "tag",
    "priority": "flag",
    "project": "folder",
    "unsupported": "circle_alert",
}
EXAMPLES: tuple[tuple[str, str], ...] = (
    ("tomorrow, fri, next fri, in 3 days, dec 3", "due date (your time zone)"),
    ("at 18:00, 6pm", "time of day"),
    ("every day, every monday, every month on the 1st", "repeat"),
    ("#home #errands", "tags"),
    ("!high !medium !low, !1 !2 !3, or p1 p2 p3 p4", "priority (p1 highest, p4 none)"),
    ("/Family", "project, by its name (spaces allowed: /Home Repairs)"),
    ('"in quotes"', "kept as typed in the title"),
)


def _chip(chip: Chip) -> rx.Component:
    return rx.el.li(
        rx.badge(
            rx.match(
                chip.kind,
                *[(kind, rx.icon(icon, size=12)) for kind, icon in _ICONS.items()],
                rx.icon("sparkles", size=12),
            ),
            rx.text.strong(chip.words),
            rx.text(chip.meaning, as_="span", color=rx.color("gray", 11)),
            rx.icon_button(
                rx.icon("x", size=12),
                size="1",
                variant="ghost",
                aria_label="Remove " + chip.words,
                title="Keep these words in the title",
                on_click=QuickAddState.put_back(chip.index),
                type="button",
            ),
            color_scheme=rx.cond(chip.warning, "amber", "indigo"),
            variant="soft",
            size="2",
            gap="0.35rem",
        ),
        list_style="none",
    )


def recognised_chips() -> rx.Component:
    """What the typed line sets, one chip per part; its button puts the words back."""
    return rx.cond(
        QuickAddState.chips.length() > 0,
        rx.el.ul(
            rx.foreach(QuickAddState.chips, _chip),
            aria_label="Recognised",
            display="flex",
            flex_wrap="wrap",
            gap="0.4rem",
            padding="0",
            margin="0",
        ),
    )


def quick_add_help() -> rx.Component:
    """The "?" beside the new-task input: what one line can say."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.icon_button(
                rx.icon("circle_help", size=18),
                variant="ghost",
                type="button",
                aria_label="How to type a task",
                title="How to type a task",
            )
        ),
        rx.popover.content(
            rx.text("Type one line; these words set a field:", size="2", weight="bold"),
            rx.el.dl(
                *[
                    rx.fragment(
                        rx.el.dt(rx.code(words)),
                        rx.el.dd(meaning, margin_left="1rem", margin_bottom="0.3rem"),
                    )
                    for words, meaning in EXAMPLES
                ],
                font_size="0.85rem",
                margin_top="0.5rem",
            ),
            rx.text(
                'For example "Pay rent every month on the 1st #home !high". '
                "The chips under the input show what was recognised; remove one to keep "
                "its words in the title.",
                size="1",
                color=rx.color("gray", 11),
            ),
            max_width="26rem",
        ),
    )
