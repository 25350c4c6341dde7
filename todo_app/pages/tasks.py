"""The task page /."""

from __future__ import annotations

import reflex as rx

from todo_app.components.layout import (
    app_header,
    app_link,
    loading_state,
    signed_in_page,
)
from todo_app.components.list_controls import (
    list_controls,
    list_footer,
    pager,
    toggle_all_control,
)
from todo_app.components.reminders import reminder_bell, reminder_toast
from todo_app.components.shortcuts import shortcuts_dialog
from todo_app.components.task_form import new_task_form
from todo_app.components.task_list import task_list
from todo_app.state.tasks import TaskState


def tasks_page_title() -> rx.Var[str]:
    """The browser tab's title: how many items are left, once there are tasks."""
    return rx.cond(
        TaskState.has_tasks, TaskState.items_left_label + " · Todo", "Todo"
    ).to(str)


def tasks_page() -> rx.Component:
    """The signed-in user's tasks with filters, footer and pager."""
    return signed_in_page(
        app_header(
            "Todo",
            rx.text(TaskState.user_name, size="2", color=rx.color("gray", 11)),
            reminder_bell(),
            shortcuts_dialog(),
            app_link("Trash", href="/trash"),
            app_link("Settings", href="/settings"),
        ),
        new_task_form(),
        list_controls(),
        rx.vstack(
            toggle_all_control(),
            rx.cond(TaskState.loading, loading_state("Loading tasks…"), task_list()),
            pager(),
            list_footer(),
            spacing="3",
            width="100%",
        ),
        reminder_toast(),
    )
