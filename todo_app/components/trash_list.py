"""The trash: a row per deleted task with Restore and "Delete forever", and its confirmation."""

from __future__ import annotations

import reflex as rx

from todo_app.components.dialogs import confirm_dialog
from todo_app.components.layout import empty_message
from todo_app.state.trash import TrashRow, TrashState


def trash_row(row: TrashRow) -> rx.Component:
    """One deleted task: its title, the day it was deleted, and what can be done with it."""
    title = row.title.to(str)
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(row.title, word_break="break-word"),
                rx.text(
                    row.deleted,
                    title=row.deleted_on,
                    size="1",
                    color=rx.color("gray", 11),
                ),
                spacing="1",
                flex="1",
                min_width="0",
            ),
            rx.button(
                rx.icon("undo_2", size=16),
                "Restore",
                variant="soft",
                aria_label="Restore " + title,
                on_click=TrashState.restore(row.id),
            ),
            rx.button(
                rx.icon("trash_2", size=16),
                "Delete forever",
                variant="ghost",
                color_scheme="red",
                aria_label="Delete forever " + title,
                on_click=TrashState.ask_delete_forever(row.id),
            ),
            spacing="3",
            align="center",
            padding_y="0.6rem",
            border_bottom=f"1px solid {rx.color('gray', 5)}",
        ),
        key=row.id,
        list_style="none",
    )


def empty_trash() -> rx.Component:
    """What the trash shows when it holds nothing."""
    return empty_message(
        rx.icon("trash", size=32),
        "The trash is empty",
        "Deleted tasks wait here "
        + TrashState.keep_days.to_string()
        + " days, then go for good.",
    )


def trash_list() -> rx.Component:
    """The most recently deleted tasks, newest first."""
    return rx.cond(
        TrashState.rows.length() > 0,
        rx.vstack(
            rx.flex(
                rx.button(
                    rx.icon("trash_2", size=16),
                    "Empty trash",
                    variant="soft",
                    color_scheme="red",
                    on_click=TrashState.ask_empty_trash,
                ),
                justify="end",
                width="100%",
            ),
            rx.el.ul(
                rx.foreach(TrashState.rows, trash_row),
                aria_label="Deleted tasks",
                padding="0",
                margin="0",
                width="100%",
            ),
            rx.cond(
                TrashState.more_label != "",
                rx.text(TrashState.more_label, size="2", color=rx.color("gray", 11)),
            ),
            width="100%",
        ),
        empty_trash(),
    )


def delete_forever_confirmation() -> rx.Component:
    """Asks before a task leaves the trash for good."""
    return confirm_dialog(
        "Delete this task forever?",
        "“" + TrashState.confirm_forever_title + "” cannot be restored afterwards.",
        open=TrashState.confirm_forever_id != 0,
        confirm="Delete forever",
        on_confirm=TrashState.confirm_delete_forever,
        cancel="Keep in trash",
        on_cancel=TrashState.cancel_delete_forever,
    )


def empty_trash_confirmation() -> rx.Component:
    """Asks before every task in the trash goes for good."""
    return confirm_dialog(
        "Empty the trash?",
        rx.cond(
            TrashState.total == 1,
            "The task in the trash will be deleted forever. This cannot be undone.",
            "All "
            + TrashState.total.to_string()
            + " tasks in the trash will be deleted forever. This cannot be undone.",
        ),
        open=TrashState.confirm_empty,
        confirm="Empty trash",
        on_confirm=TrashState.confirm_empty_trash,
        cancel="Cancel",
        on_cancel=TrashState.cancel_empty_trash,
    )
