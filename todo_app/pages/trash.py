"""The trash page /trash."""

from __future__ import annotations

import reflex as rx

from todo_app.components.layout import (
    app_header,
    app_link,
    loading_state,
    signed_in_page,
)
from todo_app.components.trash_list import (
    delete_forever_confirmation,
    empty_trash_confirmation,
    trash_list,
)
from todo_app.state.trash import TrashState


def trash_page() -> rx.Component:
    """The signed-in user's deleted tasks, to restore or delete forever."""
    return signed_in_page(
        app_header("Trash", app_link("Back to tasks", href="/"), active="trash"),
        rx.cond(TrashState.loading, loading_state("Loading the trash…"), trash_list()),
        delete_forever_confirmation(),
        empty_trash_confirmation(),
        active="trash",
    )
