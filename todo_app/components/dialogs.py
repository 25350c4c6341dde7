"""The confirmation asked before something is deleted."""

from __future__ import annotations

from typing import Any

import reflex as rx


def confirm_dialog(
    title: str,
    description: str | rx.Var[str],
    *,
    open: rx.Var[bool],
    confirm: str,
    on_confirm: Any,
    cancel: str,
    on_cancel: Any,
) -> rx.Component:
    """An alert dialog, open while `open` holds, with a way out and a red `confirm` button."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(cancel, variant="soft", on_click=on_cancel)
                ),
                rx.alert_dialog.action(
                    rx.button(confirm, color_scheme="red", on_click=on_confirm)
                ),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
        open=open,
    )
