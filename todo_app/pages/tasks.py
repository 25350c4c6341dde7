"""The task lists: the Inbox (also /), Today, Upcoming, Completed, a project, a task's own URL."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from todo_app.components.history import completion_chart, show_more_history
from todo_app.components.layout import (
    app_header,
    loading_state,
    project_not_found,
    signed_in_page,
    task_not_found,
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
from todo_app.state.task_view import DATED_KINDS
from todo_app.state.tasks import TaskState


def tasks_page_title(view: str | rx.Var[str] = "Todo") -> rx.Var[str]:
    """The browser tab's title: the view, and how many of its items are left once the user
    has tasks."""
    return rx.cond(
        TaskState.has_tasks,
        TaskState.items_left_label + " · " + view,
        view,
    ).to(str)


def project_page_title() -> rx.Var[str]:
    """A project's tab: its name ("3 items left · Home"), "Project" until it has loaded."""
    return rx.cond(
        TaskState.project_missing,
        "Project not found · Todo",
        tasks_page_title(
            rx.cond(TaskState.heading != "", TaskState.heading, "Project").to(str)
        ),
    ).to(str)


def task_page_title() -> rx.Var[str]:
    """A task address's tab: "Task not found" when it names none of the person's tasks."""
    return (
        rx.cond(
            TaskState.task_missing, "Task not found · Todo", tasks_page_title("Inbox")
        )
        .to(str)
        .to(str)
    )


def _new_task_form(active: str) -> rx.Component:
    # As in Todoist, an archived project is read-only for adding: its banner says to
    # unarchive it first.
    if active != "project":
        return new_task_form()
    return rx.cond(TaskState.project_archived, rx.fragment(), new_task_form())


def task_list_page(
    title: str | rx.Var[str], active: str, *, task_address: bool = False
) -> rx.Component:
    """One list of the signed-in user's tasks with filters, footer and pager; at a task
    address (`task_address`), the Inbox under that task's details."""
    completed = active == "completed"
    # Today and Upcoming show open tasks by date: no status filters, no sorting; the
    # Completed history is by day of completion.
    dated = active in DATED_KINDS
    content = [
        # The Completed view shows history: a task added there would not show, and its
        # rows are all done, so "Mark all", the status filters and "items left" do not apply.
        completion_chart() if completed else _new_task_form(active),
        list_controls(sortable=not (dated or completed)),
        rx.vstack(
            *([] if completed else [toggle_all_control()]),
            rx.cond(TaskState.loading, loading_state("Loading tasks…"), task_list()),
            show_more_history() if completed else pager(),
            *([] if completed else [list_footer(statuses=not dated)]),
            spacing="3",
            width="100%",
        ),
    ]
    actions = [reminder_bell(), shortcuts_dialog()]
    if active == "project":
        # A project that is not the person's: no list, nothing to add to it or act on.
        content = [
            rx.cond(
                TaskState.project_missing,
                project_not_found(),
                rx.fragment(
                    archived_project_banner(), *content, delete_project_confirmation()
                ),
            )
        ]
        actions.insert(
            0, rx.cond(TaskState.project_missing, rx.fragment(), project_menu())
        )
    if task_address:
        # A task that is not the person's: the Inbox under its address would mislead.
        content = [
            rx.cond(TaskState.task_missing, task_not_found(), rx.fragment(*content))
        ]
    return signed_in_page(
        app_header(title, *actions, active=active),
        *content,
        reminder_toast(),
        task_url_dialog(),
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


def task_page() -> rx.Component:
    """A task's own address: the Inbox with its details open, or "Task not found"."""
    return task_list_page(TaskState.heading, "inbox", task_address=True)


def project_page() -> rx.Component:
    """One project's tasks; its name is the heading."""
    return task_list_page(TaskState.heading, "project")
