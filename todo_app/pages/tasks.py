"""The task lists: the Inbox (also /), Today, Upcoming, Completed, a project, a task's own URL."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from todo_app.components.history import completion_chart, show_more_history
from todo_app.components.layout import (
    app_header,
    loading_state,
    signed_in_page,
)
from todo_app.components.list_controls import (
    list_controls,
    list_footer,
    pager,
    toggle_all_control,
)
from todo_app.components.projects import (
    archived_project_banner,
    delete_project_confirmation,
    project_menu,
)
from todo_app.components.reminders import reminder_bell, reminder_toast
from todo_app.components.shortcuts import shortcuts_dialog
from todo_app.components.task_form import new_task_form, task_url_dialog
from todo_app.components.task_list import task_list
from todo_app.state.tasks import TaskState


def tasks_page_title(view: str = "Todo") -> rx.Var[str]:
    """The browser tab's title: the view, and how many items are left once there are tasks."""
    return rx.cond(
        TaskState.has_tasks,
        TaskState.items_left_label + f" · {view}",
        view,
    ).to(str)


def task_list_page(title: str | rx.Var[str], active: str) -> rx.Component:
    """One list of the signed-in user's tasks with filters, footer and pager."""
    return signed_in_page(
        app_header(
            title,
            *([project_menu()] if active == "project" else []),
            reminder_bell(),
            shortcuts_dialog(),
            active=active,
        ),
        *([archived_project_banner()] if active == "project" else []),
        *(
            [completion_chart()]
            if active == "completed"
            else [new_task_form()]  # a task added there would not show
        ),
        list_controls(),
        rx.vstack(
            toggle_all_control(),
            rx.cond(TaskState.loading, loading_state("Loading tasks…"), task_list()),
            *([show_more_history()] if active == "completed" else [pager()]),
            list_footer(),
            spacing="3",
            width="100%",
        ),
        reminder_toast(),
        task_url_dialog(),
        *([delete_project_confirmation()] if active == "project" else []),
        active=active,
    )


def _view_page(title: str, active: str) -> Callable[[], rx.Component]:
    def page() -> rx.Component:
        return task_list_page(title, active)

    page.__name__ = f"{active}_page"
    page.__doc__ = f"The {title} list."
    return page


inbox_page = _view_page("Inbox", "inbox")
today_page = _view_page("Today", "today")
upcoming_page = _view_page("Upcoming", "upcoming")
completed_page = _view_page("Completed", "completed")


def project_page() -> rx.Component:
    """One project's tasks; its name is the heading."""
    return task_list_page(TaskState.heading, "project")
