"""Messages for the person: the latest one, at the bottom of the screen, announced politely.

They replace toasts sent from the server as scripts, which the Content-Security-Policy blocks.
A message fades out on its own after a few seconds (a CSS animation whose end dismisses it),
or earlier with its close button; errors stay until dismissed. A message about a change that
can be undone ("Deleted 'Pay rent'") has an "Undo" button for about 8 seconds.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventHandler, no_args_event_spec

from todo_app.components.shortcuts import shortcut_mark
from todo_app.state.auth import AuthState
from todo_app.state.tasks import TaskState

TONE_COLORS = {"info": "gray", "success": "green", "error": "red"}


class FadingBox(rx.el.Div):
    """A <div> that reports the end of its CSS animation: Reflex's elements and Radix's
    callout do not take `on_animation_end`, and the app fails to compile with it."""

    on_animation_end: EventHandler[no_args_event_spec]


def notice_message() -> rx.Component:
    """The current message with its close button."""
    is_error = AuthState.notice_tone == "error"
    callout = rx.callout.root(
        rx.flex(
            rx.callout.text(AuthState.notice),
            rx.cond(
                AuthState.notice_undo,
                rx.button(
                    "Undo",
                    size="1",
                    variant="soft",
                    on_click=TaskState.undo,
                    custom_attrs=shortcut_mark("undo"),
                ),
            ),
            rx.cond(
                AuthState.notice_href != "",
                rx.button(
                    "Open",
                    size="1",
                    variant="soft",
                    # Where the new task went: the message has said so, no need to keep it.
                    on_click=[
                        AuthState.dismiss_notice,
                        rx.redirect(AuthState.notice_href),
                    ],
                ),
            ),
            rx.icon_button(
                rx.icon("x", size=14),
                variant="ghost",
                size="1",
                color_scheme="gray",
                aria_label="Dismiss message",
                on_click=AuthState.dismiss_notice,
            ),
            align="center",
            justify="between",
            spacing="3",
        ),
        color_scheme=rx.match(
            AuthState.notice_tone, *TONE_COLORS.items(), TONE_COLORS["info"]
        ),
        role=rx.cond(is_error, "alert", "status"),
        variant="surface",
        high_contrast=True,
        box_shadow="var(--shadow-4)",
    )
    return FadingBox.create(
        callout,
        key=AuthState.notice_id,
        # Errors stay; a message with "Undo" or "Open" stays a little longer than others.
        class_name=rx.cond(
            is_error,
            "todo-notice",
            rx.cond(
                AuthState.notice_undo | (AuthState.notice_href != ""),
                "todo-notice todo-notice-fades todo-notice-undo",
                "todo-notice todo-notice-fades",
            ),
        ),
        on_animation_end=AuthState.dismiss_notice,
    )


def notice_region() -> rx.Component:
    """Where messages appear: fixed at the bottom, above the page, on every page."""
    return rx.box(
        rx.cond(AuthState.notice != "", notice_message()),
        position="fixed",
        bottom="1rem",
        left="50%",
        transform="translateX(-50%)",
        z_index="1000",
        width="max-content",
        max_width="calc(100vw - 2rem)",
    )
