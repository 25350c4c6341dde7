"""Page frames: the centred card of the account pages and the header of the signed-in pages."""

from __future__ import annotations

import reflex as rx

from todo_app.components.notices import notice_region
from todo_app.components.projects import project_dialog
from todo_app.components.sidebar import mobile_menu, sidebar_nav
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
    return centred_card(
        title,
        *children,
        # A browser that is still signed in goes on to its tasks.
        on_mount=AuthState.open_auth_page(STORED_BROWSER_KEY),
    )


def centred_card(title: str, *children: rx.Component, **props: object) -> rx.Component:
    """A card with a heading in the middle of the page (and the page's messages)."""
    return rx.center(
        rx.el.main(
            rx.card(
                rx.vstack(
                    rx.heading(title, size="7", as_="h1"),
                    *children,
                    spacing="4",
                    width="100%",
                ),
                size="3",
                width="100%",
            ),
            width="100%",
            max_width="26rem",
        ),
        notice_region(),
        padding="1rem",
        min_height="100vh",
        **props,
    )


def app_header(
    title: str | rx.Var[str],
    *actions: rx.Component,
    active: str = "",
) -> rx.Component:
    """The heading of a signed-in page, the phone's menu button, and the page's own actions.

    It never wraps: the heading is cut short first, so a phone keeps one header row.
    """
    return rx.flex(
        rx.box(mobile_menu(active), display=["block", "block", "none"]),
        rx.heading(
            title,
            size=rx.breakpoints(initial="6", sm="8"),
            as_="h1",
            truncate=True,
            min_width="0",
            flex="1",
        ),
        rx.hstack(*actions, spacing="3", align="center", flex_shrink="0"),
        align="center",
        wrap="nowrap",
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


def project_not_found() -> rx.Component:
    """What a project address shows when it names none of the person's projects."""
    return _not_found(
        "folder_x",
        "There is no project of yours at this address. It may have been deleted, "
        "or the link is mistyped.",
    )


def task_not_found() -> rx.Component:
    """What a task address shows when it names none of the person's tasks."""
    return _not_found(
        "file_x",
        "There is no task of yours at this address. It may have been deleted, "
        "or the link is mistyped.",
    )


def _not_found(icon: str, explanation: str) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon(icon, size=32, aria_hidden="true"),
            rx.text(
                explanation,
                size="2",
                color=rx.color("gray", 11),
                text_align="center",
            ),
            app_link("Go to the Inbox", href="/inbox"),
            align="center",
            spacing="3",
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


def signed_in_page(
    *children: rx.Component,
    active: str = "",
) -> rx.Component:
    """The frame of a signed-in page: the sidebar (a drawer on phones, see `app_header`) and
    the page; private content only once the server checked the session."""
    return rx.box(
        notice_region(),
        rx.cond(
            AuthState.signed_in,
            rx.flex(
                # "Add project" in the sidebar opens this dialog, on every page.
                project_dialog(),
                rx.box(
                    sidebar_nav(active),
                    display=["none", "none", "block"],
                    width="15rem",
                    flex_shrink="0",
                    padding="1rem",
                    position="sticky",
                    top="0",
                    height="100vh",
                    overflow_y="auto",
                    border_right=f"1px solid {rx.color('gray', 5)}",
                ),
                # The page's own content: the landmark a screen reader jumps to.
                rx.el.main(
                    rx.vstack(*children, spacing="5", width="100%"),
                    max_width="48rem",
                    margin_x="auto",
                    padding_x=["0.75rem", "1rem", "1.5rem"],
                    padding_y="1.5rem",
                    width="100%",
                    min_width="0",
                ),
                width="100%",
            ),
            rx.box(
                session_check(),
                max_width="48rem",
                margin_x="auto",
                padding_x=["0.75rem", "1rem", "1.5rem"],
                padding_y="1.5rem",
            ),
        ),
        width="100%",
    )
