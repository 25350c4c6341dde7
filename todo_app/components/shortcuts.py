"""Keyboard shortcuts: the "?" dialog that lists them, and the marks the key handler looks for.

The keys themselves are handled in the browser by `assets/shortcuts.js`: it moves a visible
selection through the rows and presses the row's own controls, so a shortcut does exactly what
the click does (the same event, the same rules).
"""

from __future__ import annotations

import reflex as rx

# `data-shortcut` names an element the key handler presses or focuses.
SHORTCUT_ATTR = "data-shortcut"
SEARCH_INPUT_ID = "task-search"
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("q or n", "New task"),
    ("/", "Search"),
    ("j or ↓, k or ↑", "Select the next or previous task"),
    ("x or Space", "Complete or reopen the selected task"),
    ("e or Enter", "Edit the selected task's title"),
    ("# or Delete", "Delete the selected task"),
    ("Alt+↑ or Alt+↓", "Move the selected task up or down (Sort: Manual)"),
    (
        "Space, then ↑ or ↓",
        "On a drag handle: pick the task up, move it, Space to drop",
    ),
    ("z or Ctrl+Z", "Undo what was just done"),
    ("g then t, u or i", "Go to Today, Upcoming or the Inbox"),
    ("Escape", "Leave the input, or clear the selection"),
    ("?", "Show these shortcuts"),
)


def shortcut_mark(name: str) -> dict[str, str]:
    """The custom attribute that lets the key handler find an element by what it does."""
    return {SHORTCUT_ATTR: name}


def _shortcut_row(keys: str, action: str) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.code(keys)),
        rx.table.cell(action),
    )


def shortcuts_dialog() -> rx.Component:
    """A keyboard button in the header that opens the list of shortcuts (also on "?")."""
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.icon_button(
                rx.icon("keyboard", size=18),
                variant="ghost",
                aria_label="Keyboard shortcuts",
                title="Keyboard shortcuts (?)",
                custom_attrs=shortcut_mark("help"),
                # Phones have no keyboard: the button shows from the tablet breakpoint on.
                # Hidden, it still opens the list on "?" (assets/shortcuts.js presses it).
                display=["none", "none", "inline-flex"],
            )
        ),
        rx.dialog.content(
            rx.dialog.title("Keyboard shortcuts"),
            rx.dialog.description(
                "They work anywhere on the page except while you type in a field.",
                size="2",
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Keys"),
                        rx.table.column_header_cell("Action"),
                    )
                ),
                rx.table.body(*[_shortcut_row(k, a) for k, a in SHORTCUTS]),
                size="1",
                margin_top="0.75rem",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Close", variant="soft")),
                justify="end",
                margin_top="1rem",
            ),
            max_width="30rem",
        ),
    )
