"""What every page shows while its connection to the server is down.

It replaces Reflex's own overlay (a pulsing icon and a toast naming the websocket URL), which
speaks to developers, not to the person using the app.
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

OFFLINE_TEXT = "Offline - reconnecting..."


def offline_banner() -> rx.Component:
    """A calm line at the top of the screen while the browser cannot reach the server.

    The status region is always there, so screen readers announce the text when it appears.
    Reflex retries by itself; events sent meanwhile wait in the browser and go out once it
    is back (the new-task form keeps its text until then).
    """
    return rx.box(
        rx.cond(
            has_connection_errors,
            rx.callout.root(
                rx.callout.icon(rx.icon("wifi_off", size=16)),
                rx.callout.text(OFFLINE_TEXT),
                color_scheme="gray",
                variant="surface",
                high_contrast=True,
                size="1",
                box_shadow="var(--shadow-3)",
            ),
        ),
        role="status",
        position="fixed",
        top="0.75rem",
        left="50%",
        transform="translateX(-50%)",
        z_index="1000",
        width="max-content",
        max_width="calc(100vw - 2rem)",
    )


def connection_overlay(stateful: bool) -> rx.Component | None:
    """Reflex's app-wide "Overlay" wrap: the offline banner (nothing for an app without state)."""
    if not stateful:
        return None
    # A memo component of its own, as Reflex's default overlay: connection changes then
    # re-render only the banner, not the page.
    return rx.fragment(rx.memo(offline_banner)())
