"""Form building blocks: a labelled field, an inline error, a submit button."""

from __future__ import annotations

import reflex as rx


def form_field(
    label: str,
    name: str,
    *,
    field_id: str,
    type_: str = "text",
    autocomplete: str = "off",
    required: bool = False,
    **props: object,
) -> rx.Component:
    """A text input with a real <label> above it."""
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.9rem"),
        rx.input(
            id=field_id,
            name=name,
            type=type_,
            auto_complete=autocomplete,
            required=required,
            size="3",
            width="100%",
            **props,
        ),
        spacing="1",
        width="100%",
    )


def error_callout(message: rx.Var[str]) -> rx.Component:
    """The form's error as readable text, announced by screen readers (role="alert")."""
    return rx.cond(
        message != "",
        rx.callout(
            message,
            icon="triangle_alert",
            color_scheme="red",
            role="alert",
            width="100%",
        ),
    )


def submit_button(label: str) -> rx.Component:
    """The full-width primary button of a form."""
    return rx.button(label, type="submit", size="3", width="100%")
