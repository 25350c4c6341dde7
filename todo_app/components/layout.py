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


# The sidebar's views: (key, label, path, icon); projects come between the two groups.
VIEW_ENTRIES = (
    ("inbox", "Inbox", "/inbox", "inbox"),
    ("today", "Today", "/today", "calendar_check"),
    ("upcoming", "Upcoming", "/upcoming", "calendar_range"),
)
PLACE_ENTRIES = (
    ("completed", "Completed", "/completed", "circle_check_big"),
    ("trash", "Trash", "/trash", "trash_2"),
    ("settings", "Settings", "/settings", "settings"),
)


def nav_link(
    label: str | rx.Var[str],
    href: str | rx.Var[str],
    icon: rx.Component,
    *,
    current: bool | rx.Var[bool],
    extra: rx.Component | None = None,
) -> rx.Component:
    """One sidebar entry; the page it names is marked current for assistive technology."""
    return rx.link(
        rx.hstack(
            icon,
            rx.text(label, flex="1", min_width="0", truncate=True),
            extra if extra is not None else rx.fragment(),
            spacing="2",
            align="center",
            width="100%",
        ),
        href=href,
        aria_current=rx.cond(current, "page", "false"),
        color=rx.color("gray", 12),
        weight=rx.cond(current, "bold", "regular"),
        background_color=rx.cond(current, rx.color("accent", 4), "transparent"),
        _hover={"background_color": rx.color("gray", 4), "color": rx.color("gray", 12)},
        underline="none",
        border_radius="6px",
        padding_x="0.6rem",
        padding_y="0.4rem",
        display="block",
        width="100%",
    )


def _entry(entry: tuple[str, str, str, str], active: str) -> rx.Component:
    key, label, href, icon = entry
    return nav_link(
        label,
        href,
        rx.icon(icon, size=16, aria_hidden="true"),
        current=key == active,
    )


def sidebar_nav(active: str, projects: rx.Component | None = None) -> rx.Component:
    """The views, the projects and the other places, with the signed-in person and Log out."""
    return rx.el.nav(
        rx.vstack(
            *[_entry(entry, active) for entry in VIEW_ENTRIES],
            projects if projects is not None else rx.fragment(),
            *[_entry(entry, active) for entry in PLACE_ENTRIES],
            rx.button(
                "Log out",
                variant="soft",
                on_click=AuthState.logout,
                margin_top="0.5rem",
            ),
            spacing="1",
            width="100%",
        ),
        aria_label="Main",
        width="100%",
    )


def mobile_menu(active: str, projects: rx.Component | None = None) -> rx.Component:
    """At phone width the sidebar is a drawer behind the "Open menu" button."""
    return rx.drawer.root(
        rx.drawer.trigger(
            rx.icon_button(
                rx.icon("menu", size=20),
                variant="ghost",
                aria_label="Open menu",
                title="Menu",
            ),
        ),
        rx.drawer.overlay(z_index="40"),
        rx.drawer.portal(
            rx.drawer.content(
                rx.vstack(
                    rx.drawer.title("Menu", size="4"),
                    rx.drawer.description(
                        "Views, projects and settings", class_name="rt-r-display-none"
                    ),
                    sidebar_nav(active, projects),
                    spacing="3",
                    width="100%",
                ),
                top="0",
                left="0",
                height="100%",
                width="17rem",
                max_width="85vw",
                padding="1rem",
                overflow_y="auto",
                background_color=rx.color("gray", 2),
                z_index="50",
                position="fixed",
            ),
        ),
        direction="left",
    )


def app_header(
    title: str | rx.Var[str],
    *actions: rx.Component,
    active: str = "",
    projects: rx.Component | None = None,
) -> rx.Component:
    """The heading of a signed-in page, the phone's menu button, and the page's own actions.

    It never wraps: the heading is cut short first, so a phone keeps one header row.
    """
    return rx.flex(
        rx.box(mobile_menu(active, projects), display=["block", "block", "none"]),
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
    projects: rx.Component | None = None,
) -> rx.Component:
    """The frame of a signed-in page: the sidebar (a drawer on phones, see `app_header`) and
    the page; private content only once the server checked the session."""
    return rx.box(
        notice_region(),
        rx.cond(
            AuthState.signed_in,
            rx.flex(
                rx.box(
                    sidebar_nav(active, projects),
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
                rx.box(
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
