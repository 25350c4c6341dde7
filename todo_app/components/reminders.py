"""The reminder bell (unread count, recent list) and the toast of a reminder that fired.

The toast is a component rendered from state, not a toast sent as a script: the
Content-Security-Policy forbids eval (CONTRIBUTING).
"""

from __future__ import annotations

import reflex as rx

from todo_app.state.reminder_view import ReminderView
from todo_app.state.tasks import TaskState


def reminder_row(item: rx.Var[ReminderView]) -> rx.Component:
    """One reminder in the bell's list: the task, when it fired, and whether it was missed."""
    return rx.hstack(
        rx.text(item.title, weight=rx.cond(item.unread, "bold", "regular"), size="2"),
        rx.spacer(),
        rx.cond(item.missed, rx.badge("missed", color_scheme="orange"), rx.fragment()),
        rx.text(item.when, size="1", color=rx.color("gray", 11)),
        role="listitem",
        width="100%",
        align="center",
        spacing="2",
    )


def reminder_bell() -> rx.Component:
    """The header's bell: the unread count, and a popover with the recent reminders."""
    label = rx.cond(
        TaskState.bell_count > 0,
        "Reminders, " + TaskState.bell_count.to_string() + " unread",
        "Reminders",
    )
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("bell", size=16),
                rx.cond(
                    TaskState.bell_count > 0,
                    rx.badge(TaskState.bell_count, color_scheme="red"),
                    rx.fragment(),
                ),
                # Highlighted only while something is unread, as the badge is.
                variant=rx.cond(TaskState.bell_count > 0, "soft", "ghost"),
                aria_label=label,
            ),
        ),
        rx.popover.content(
            rx.vstack(
                rx.heading("Reminders", size="3", as_="h2"),
                rx.cond(
                    TaskState.reminders.length() > 0,
                    rx.vstack(
                        rx.foreach(TaskState.reminders, reminder_row),
                        role="list",
                        width="100%",
                        spacing="2",
                    ),
                    rx.text("No reminders lately.", size="2"),
                ),
                width="20rem",
                spacing="3",
            ),
        ),
        on_open_change=TaskState.open_bell,
    )


def reminder_toast() -> rx.Component:
    """The newest unread reminder, with "Complete" and "Snooze 10 min"; in every open tab."""
    return rx.cond(
        TaskState.toast_id > 0,
        rx.card(
            rx.vstack(
                rx.text("Reminder", size="1", weight="bold"),
                rx.text(TaskState.toast_title, size="3"),
                rx.hstack(
                    rx.button(
                        "Complete",
                        on_click=TaskState.complete_from_reminder(
                            TaskState.toast_id, TaskState.toast_task_id
                        ),
                    ),
                    rx.button(
                        "Snooze 10 min",
                        variant="soft",
                        on_click=TaskState.snooze_reminder(TaskState.toast_id),
                    ),
                    rx.button(
                        "Dismiss",
                        variant="ghost",
                        color_scheme="gray",
                        on_click=TaskState.dismiss_reminder(TaskState.toast_id),
                    ),
                    spacing="2",
                ),
                spacing="2",
            ),
            role="alert",
            aria_label="Reminder",
            # What assets/notifications.js raises a system notification with.
            custom_attrs={
                "data-reminder-id": TaskState.toast_id.to_string(),
                "data-reminder-title": TaskState.toast_title,
            },
            position="fixed",
            top="1rem",
            right="1rem",
            z_index="50",
            max_width="22rem",
        ),
        rx.fragment(),
    )
