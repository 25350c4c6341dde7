"""The page shown for any address that is not part of the app (Reflex's 404 route)."""

from __future__ import annotations

import reflex as rx

from todo_app.components.layout import app_link, centred_card


def not_found_page() -> rx.Component:
    """A way back home instead of a bare "404"."""
    # Not the account pages' card: its check of a signed-in browser would send it on to "/".
    return centred_card(
        "Page not found",
        rx.text("There is no page at this address. The link may be mistyped or old."),
        app_link("Go to your tasks", href="/"),
    )
