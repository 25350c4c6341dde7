"""Form building blocks: a labelled field, a select of an enum's options, an inline error."""

from __future__ import annotations

import enum
from typing import Any

import reflex as rx

from todo_app.models import Priority, Recurrence

# How an option reads where its value capitalised ("due_date" -> "Due date") would not do.
OPTION_LABELS: dict[type[enum.Enum], dict[str, str]] = {
    Priority: {Priority.none.value: "No priority"},
    Recurrence: {Recurrence.none.value: "Does not repeat"},
}


def enum_options(choices: type[enum.Enum]) -> list[tuple[str, str]]:
    """(value, label) of every member of `choices`, in the order the enum declares them."""
    special = OPTION_LABELS.get(choices, {})
    return [
        (member.value, special.get(member.value, _capitalised(member.value)))
        for member in choices
    ]


def _capitalised(value: str) -> str:
    return value.replace("_", " ").capitalize()


LABEL_STYLE = {"font_weight": "500", "font_size": "0.9rem"}


def _stacked(
    heading: rx.Component, control: rx.Component, **props: Any
) -> rx.Component:
    return rx.vstack(heading, control, spacing="1", **{"width": "100%", **props})


def labelled(
    label: str, field_id: str, control: rx.Component, **props: Any
) -> rx.Component:
    """A control with a real <label> above it."""
    return _stacked(
        rx.el.label(label, html_for=field_id, **LABEL_STYLE), control, **props
    )


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
    """A large text input with a real <label> above it (account forms)."""
    return labelled(
        label,
        field_id,
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
    )


def password_field(
    label: str, name: str, *, field_id: str, autocomplete: str
) -> rx.Component:
    """A required password input; `autocomplete` tells password managers which one it is."""
    return form_field(
        label,
        name,
        field_id=field_id,
        type_="password",
        autocomplete=autocomplete,
        required=True,
    )


def select_field(
    label: str,
    name: str,
    options: list[tuple[str, str]],
    default: str | rx.Var[str],
    on_change: Any = None,
    *,
    more_items: rx.Component | None = None,
    **props: Any,
) -> rx.Component:
    """A labelled select that sends its value with the form under `name` (and to `on_change`).

    `options` are (value, label) pairs; `more_items` follows them, for choices only known in
    the browser (an `rx.foreach` of `rx.select.item`). No value may be "": Radix keeps it for
    "nothing chosen".
    """
    items = [rx.select.item(text, value=value) for value, text in options]
    return _stacked(
        # Radix's trigger is a button named by its aria-label; the text above is for the eye.
        rx.el.span(label, **LABEL_STYLE),
        rx.select.root(
            rx.select.trigger(aria_label=label, width="100%"),
            rx.select.content(*items, *([] if more_items is None else [more_items])),
            name=name,
            default_value=default,
            **({} if on_change is None else {"on_change": on_change}),
        ),
        **props,
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


def error_form(
    error: rx.Var[str], *children: rx.Component, on_submit: Any, spacing: str = "4"
) -> rx.Component:
    """A form with its error on top and its fields below."""
    return rx.form(
        rx.vstack(error_callout(error), *children, spacing=spacing, width="100%"),
        on_submit=on_submit,
        width="100%",
    )


def submit_button(label: str) -> rx.Component:
    """The full-width primary button of a form."""
    return rx.button(label, type="submit", size="3", width="100%")
