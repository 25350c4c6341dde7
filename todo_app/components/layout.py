"""Page frames: the centred card of the account pages and the header of the signed-in pages."""

from __future__ import annotations

import reflex as rx

from todo_app.components.notices import notice_region
from todo_app.state.auth import (
    BROWSER_LOCATION,
    STORED_BROWSER_KEY,
    TYPED_TASK,
    AuthState,
)


def app_link(
    *children: rx.Component | str, href: str | rx.Var[str], **props: object
) -> rx.Component:
    """A link whose hover colour keeps 4.5:1 contrast (Reflex's default hover, step 8, does not)."""
    return rx.link(
        *children, href=href, _hover={"color": rx.color("accent", 12)}, **props
    )


def auth_card(title: str, *children: rx.Component) -> rx.Component:
    """A centred card with a heading, for the login and register pages."""
    return rx.center(
        rx.card(
            rx.vstack(
                rx.heading(title, size="7", as_="h1"),
                *children,
                spacing="4",
                width="100%",
            ),
            size="3",
            width="100%",
            max_width="26rem",
        ),
        notice_region(),
        # A browser that is still signed in goes on to its tasks.
        on_mount=AuthState.open_auth_page(STORED_BROWSER_KEY),
        padding="1rem",
        min_height="100vh",
    )


def app_header(title: str, *actions: rx.Component) -> rx.Component:
    """The heading of a signed-in page with its links and the log-out button."""
    return rx.flex(
        rx.heading(title, size="8", as_="h1"),
        rx.spacer(),
        rx.hstack(
            *actions,
            rx.button("Log out", variant="soft", on_click=AuthState.logout),
            spacing="3",
            align="center",
        ),
        align="center",
        wrap="wrap",
        spacing="3",
        width="100%",
    )


def empty_message(
    icon: rx.Component, title: str | rx.Var[str], hint: str | rx.Var[str]
) -> rx.Component:
    """What a list shows without rows: an icon, a short title and a hint what to do."""
    return rx.center(
        rx.vstack(
            icon,
            rx.text(title, size="4", weight="medium"),
            rx.text(hint, size="2", color=rx.color("gray", 11)),
            align="center",
            spacing="1",
        ),
        padding_y="2.5rem",
        width="100%",
    )


def loading_state(label: str) -> rx.Component:
    """A spinner with text, shown while data comes."""
    return rx.hstack(
        rx.spinner(size="3"),
        rx.text(label),
        role="status",
        spacing="3",
        align="center",
        padding_y="2rem",
        justify="center",
        width="100%",
    )


def session_check() -> rx.Component:
    """Shown while the tab is not signed in on its connection: the browser proves its session.

    Mounting sends the key this browser keeps in localStorage; the server continues that
    session (and loads the page) or sends the tab to /login, keeping a typed new task.
    """
    return rx.box(
        loading_state("Checking your session…"),
        on_mount=AuthState.resume(STORED_BROWSER_KEY, BROWSER_LOCATION, TYPED_TASK),
    )


def signed_in_page(*children: rx.Component) -> rx.Component:
    """The frame of a signed-in page: private content only once the server checked the session."""
    return rx.box(
        notice_region(),
        rx.cond(
            AuthState.signed_in,
            rx.vstack(*children, spacing="5", width="100%"),
            session_check(),
        ),
        max_width="48rem",
        margin_x="auto",
        padding_x=["0.75rem", "1rem", "1.5rem"],
        padding_y="1.5rem",
        width="100%",
    )
