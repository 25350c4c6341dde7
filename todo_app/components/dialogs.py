"""The confirmation asked before something is deleted."""

from __future__ import annotations

from typing import Any

import reflex as rx


def confirm_dialog(
    title: str | rx.Var[str],
    description: str | rx.Var[str],
    *,
    open: rx.Var[bool],
    confirm: str,
    on_confirm: Any,
    cancel: str,
    on_cancel: Any,
    fields: tuple[rx.Component, ...] = (),
) -> rx.Component:
    """An alert dialog, open while `open` holds, with a way out and a red `confirm` button.

    With `fields` (a password to confirm with, an error), the dialog is a form: `on_confirm`
    receives its data and the dialog stays open until the state closes it.
    """
    buttons = rx.flex(
        rx.alert_dialog.cancel(rx.button(cancel, variant="soft", on_click=on_cancel)),
        rx.button(confirm, color_scheme="red", type="submit")
        if fields
        else rx.alert_dialog.action(
            rx.button(confirm, color_scheme="red", on_click=on_confirm)
        ),
        spacing="3",
        justify="end",
        margin_top="1rem",
    )
    body = (
        rx.form(
            rx.vstack(*fields, spacing="3", width="100%"),
            buttons,
            on_submit=on_confirm,
            width="100%",
        )
        if fields
        else buttons
    )
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description),
            body,
        ),
        open=open,
    )
