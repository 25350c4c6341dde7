"""The sidebar: the views, the projects with their open counts, the other places; on a phone
the same in a drawer behind "Open menu"."""

from __future__ import annotations

import reflex as rx

from todo_app.state.auth import AuthState
from todo_app.state.project_view import ProjectEntry
from todo_app.state.projects import ProjectState
from todo_app.state.tasks import TaskState

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
    current: bool | rx.Var[bool] = key == active
    if current and key == "inbox":
        # A task's address shows the Inbox, unless it names none of the person's tasks:
        # "Task not found" is no place of the sidebar's.
        current = ~TaskState.task_missing
    return nav_link(
        label,
        href,
        rx.icon(icon, size=16, aria_hidden="true"),
        current=current,
    )


def sidebar_nav(active: str) -> rx.Component:
    """The views, the projects and the other places, with the signed-in person and Log out."""
    return rx.el.nav(
        rx.vstack(
            *[_entry(entry, active) for entry in VIEW_ENTRIES],
            sidebar_projects(),
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


def mobile_menu(active: str) -> rx.Component:
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
                    sidebar_nav(active),
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


def _dot(color: rx.Var[str] | str) -> rx.Component:
    return rx.box(
        width="0.6rem",
        height="0.6rem",
        border_radius="50%",
        background_color=color,
        flex_shrink="0",
        aria_hidden="true",
    )


def _project_link(project: ProjectEntry) -> rx.Component:
    return nav_link(
        project.name,
        project.href,
        _dot(project.dot),
        current=(TaskState.list_kind == "project")
        & (TaskState.project_id == project.id),
        extra=rx.cond(
            project.open_count > 0,
            rx.text(
                project.open_count,
                size="1",
                color=rx.color("gray", 11),
            ),
        ),
    )


def sidebar_projects() -> rx.Component:
    """The user's projects with their open counts, and "Add project"."""
    return rx.vstack(
        rx.hstack(
            rx.text("Projects", size="1", weight="bold", color=rx.color("gray", 11)),
            rx.spacer(),
            rx.icon_button(
                rx.icon("plus", size=14),
                variant="ghost",
                size="1",
                aria_label="Add project",
                title="Add project",
                on_click=ProjectState.new_project,
            ),
            width="100%",
            align="center",
            padding_x="0.6rem",
            padding_top="0.75rem",
        ),
        rx.foreach(TaskState.projects, _project_link),
        rx.cond(
            TaskState.archived_projects.length() > 0,
            rx.el.details(
                rx.el.summary(
                    "Archived (",
                    TaskState.archived_projects.length(),
                    ")",
                    font_size="var(--font-size-1)",
                    color=rx.color("gray", 11),
                    cursor="pointer",
                    padding_x="0.6rem",
                    padding_y="0.25rem",
                ),
                rx.vstack(
                    rx.foreach(TaskState.archived_projects, _project_link),
                    spacing="1",
                    width="100%",
                ),
                width="100%",
            ),
        ),
        spacing="1",
        width="100%",
        on_mount=TaskState.load_projects,
    )
