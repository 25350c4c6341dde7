"""Pieces of the task page: a row and its badges, the new-task form, filters, footer, pager."""

from __future__ import annotations

import reflex as rx

from todo_app.components.forms import error_callout
from todo_app.components.layout import app_link
from todo_app.state.task_details import TaskDetailsState
from todo_app.state.task_view import TaskView
from todo_app.state.tasks import TaskState

PRIORITY_COLORS = {"low": "blue", "medium": "amber", "high": "red"}
PRIORITY_OPTIONS = [
    ("none", "No priority"),
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
]
RECURRENCE_OPTIONS = [
    ("none", "Does not repeat"),
    ("daily", "Daily"),
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
    ("yearly", "Yearly"),
]
SORT_OPTIONS = [
    ("created", "Created"),
    ("title", "Title"),
    ("due_date", "Due date"),
    ("priority", "Priority"),
]


def priority_badge(priority: rx.Var[str]) -> rx.Component:
    """The task's priority as a coloured badge (nothing for "none")."""
    return rx.match(
        priority,
        *[
            (
                value,
                rx.badge(
                    f"{value.capitalize()} priority",
                    color_scheme=color,
                    variant="soft",
                    # Step 12 text: step 11 on a soft blue or amber badge misses 4.5:1.
                    high_contrast=True,
                ),
            )
            for value, color in PRIORITY_COLORS.items()
        ],
        rx.fragment(),
    )


def tag_badges(tags: rx.Var[list[str]]) -> rx.Component:
    """The task's tags."""
    return rx.foreach(
        tags, lambda tag: rx.badge(f"#{tag}", variant="outline", color_scheme="gray")
    )


def is_completed(task: TaskView) -> rx.Var[bool]:
    """Whether the row's task is completed (read from the state's ids, not from the row)."""
    return TaskState.completed_ids.contains(task.id)


def due_date_label(task: TaskView) -> rx.Component:
    """The due date: red with "Overdue" when past, highlighted with "Today" when due today."""

    def neutral() -> rx.Component:
        return rx.badge(
            rx.icon("calendar", size=12),
            "Due " + task.due_date.to(str),
            color_scheme="gray",
            variant="soft",
        )

    return rx.cond(
        task.due_date != "",
        rx.cond(
            is_completed(task),
            neutral(),
            rx.match(
                task.due_state,
                (
                    "overdue",
                    rx.badge(
                        rx.icon("calendar", size=12),
                        "Overdue · " + task.due_date.to(str),
                        color_scheme="red",
                        variant="soft",
                        high_contrast=True,
                    ),
                ),
                (
                    "today",
                    rx.badge(
                        rx.icon("calendar", size=12),
                        "Today",
                        color_scheme="green",
                        variant="solid",
                        high_contrast=True,
                    ),
                ),
                neutral(),
            ),
        ),
    )


def recurrence_icon(recurrence: rx.Var[str]) -> rx.Component:
    """A repeat icon with the period, for recurring tasks."""
    return rx.cond(
        recurrence != "none",
        rx.badge(
            rx.icon("repeat", size=12, aria_hidden="true"),
            "Repeats " + recurrence.to(str),
            color_scheme="violet",
            variant="soft",
        ),
    )


def task_title(task: TaskView) -> rx.Component:
    """The title, or while editing an input: Enter or blur saves, Escape cancels."""
    return rx.cond(
        TaskState.editing_id == task.id,
        rx.form(
            rx.input(
                name="title",
                default_value=task.title,
                auto_focus=True,
                aria_label="Edit title",
                max_length=200,
                on_blur=TaskState.save_edit,
                on_key_down=TaskState.edit_key_down,
                width="100%",
            ),
            rx.cond(
                TaskState.edit_notice != "",
                rx.text(
                    TaskState.edit_notice,
                    role="status",
                    size="1",
                    color=rx.color("amber", 11),
                ),
            ),
            on_submit=TaskState.submit_edit,
            width="100%",
        ),
        rx.text(
            task.title,
            on_double_click=TaskState.start_edit(task.id),
            text_decoration=rx.cond(is_completed(task), "line-through", "none"),
            color=rx.cond(
                is_completed(task), rx.color("gray", 11), rx.color("gray", 12)
            ),
            word_break="break-word",
            cursor="text",
        ),
    )


def task_row(task: TaskView) -> rx.Component:
    """One task: checkbox, title (inline editable), badges, edit and delete buttons."""
    return rx.el.li(
        rx.flex(
            rx.box(
                rx.checkbox(
                    checked=is_completed(task),
                    on_change=lambda _checked: TaskState.toggle(task.id),
                    aria_label=task.title,
                    size="3",
                ),
                padding_top="0.15rem",
                flex_shrink="0",
            ),
            rx.vstack(
                task_title(task),
                rx.flex(
                    priority_badge(task.priority),
                    due_date_label(task),
                    recurrence_icon(task.recurrence),
                    tag_badges(task.tags),
                    wrap="wrap",
                    spacing="2",
                ),
                rx.cond(
                    task.description != "",
                    rx.text(
                        task.description,
                        size="2",
                        color=rx.color("gray", 11),
                        # At most two lines; the details dialog shows all of it.
                        overflow="hidden",
                        display="-webkit-box",
                        style={"WebkitLineClamp": "2", "WebkitBoxOrient": "vertical"},
                        word_break="break-word",
                    ),
                ),
                spacing="1",
                flex="1",
                min_width="0",
            ),
            rx.icon_button(
                rx.icon("pencil", size=16),
                variant="ghost",
                margin="0",
                aria_label="Edit " + task.title.to(str),
                on_click=TaskState.start_edit(task.id),
            ),
            task_details_dialog(task),
            rx.icon_button(
                rx.icon("trash_2", size=16),
                variant="ghost",
                margin="0",
                color_scheme="red",
                aria_label="Delete " + task.title.to(str),
                on_click=TaskState.delete(task.id),
            ),
            spacing="3",
            align="start",
            padding_y="0.6rem",
            border_bottom=f"1px solid {rx.color('gray', 5)}",
        ),
        key=task.id,
        list_style="none",
    )


def _select(
    name: str, options: list[tuple[str, str]], label: str, default: str | rx.Var[str]
) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", weight="medium", as_="span"),
        rx.select.root(
            rx.select.trigger(aria_label=label, width="100%"),
            rx.select.content(
                *[rx.select.item(text, value=value) for value, text in options]
            ),
            name=name,
            default_value=default,
        ),
        spacing="1",
        min_width="9rem",
        flex="1",
    )


def new_task_form() -> rx.Component:
    """The new-task input; Enter adds. Optional fields sit under "More options", keyboard-reachable."""
    return rx.form(
        rx.vstack(
            rx.input(
                name="title",
                placeholder="What needs to be done?",
                aria_label="New task",
                max_length=200,
                size="3",
                width="100%",
                auto_focus=True,
            ),
            rx.el.details(
                rx.el.summary(
                    "More options",
                    cursor="pointer",
                    font_size="0.9rem",
                    width="fit-content",
                ),
                rx.flex(
                    rx.vstack(
                        rx.el.label(
                            "Due date", html_for="new-due-date", font_size="0.8rem"
                        ),
                        rx.input(id="new-due-date", name="due_date", type="date"),
                        spacing="1",
                        flex="1",
                        min_width="9rem",
                    ),
                    _select("priority", PRIORITY_OPTIONS, "Priority", "none"),
                    _select("recurrence", RECURRENCE_OPTIONS, "Repeat", "none"),
                    rx.vstack(
                        rx.el.label("Tags", html_for="new-tags", font_size="0.8rem"),
                        rx.input(
                            id="new-tags", name="tags", placeholder="home, errands"
                        ),
                        spacing="1",
                        flex="1",
                        min_width="9rem",
                    ),
                    rx.vstack(
                        rx.el.label(
                            "Description",
                            html_for="new-description",
                            font_size="0.8rem",
                        ),
                        rx.text_area(
                            id="new-description", name="description", rows="2"
                        ),
                        spacing="1",
                        width="100%",
                    ),
                    rx.button("Add task", type="submit"),
                    wrap="wrap",
                    spacing="3",
                    padding_top="0.75rem",
                    align="end",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=TaskState.add_task,
        reset_on_submit=True,
        width="100%",
    )


def _filter_link(name: str, label: str) -> rx.Component:
    selected = TaskState.filter == name
    return app_link(
        label,
        href=TaskState.filter_hrefs[name],
        aria_current=rx.cond(selected, "page", "false"),
        weight=rx.cond(selected, "bold", "regular"),
        underline=rx.cond(selected, "always", "hover"),
        padding_x="0.4rem",
    )


def status_filters() -> rx.Component:
    """The All / Active / Completed links (kept in the URL as ?filter=...)."""
    return rx.el.nav(
        rx.hstack(
            _filter_link("all", "All"),
            _filter_link("active", "Active"),
            _filter_link("completed", "Completed"),
            spacing="2",
        ),
        aria_label="Status filter",
    )


def list_controls() -> rx.Component:
    """Search, priority and tag filters, and sorting."""
    return rx.flex(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder="Search",
            aria_label="Search",
            type="search",
            value=TaskState.search,
            on_change=TaskState.set_search,
            debounce_timeout=300,
            flex="2",
            min_width="10rem",
        ),
        rx.select.root(
            rx.select.trigger(aria_label="Filter by priority"),
            rx.select.content(
                rx.select.item("Any priority", value="any"),
                *[
                    rx.select.item(text, value=value)
                    for value, text in PRIORITY_OPTIONS
                ],
            ),
            value=rx.cond(TaskState.priority == "", "any", TaskState.priority),
            on_change=TaskState.set_priority_filter,
        ),
        rx.select.root(
            rx.select.trigger(aria_label="Filter by tag"),
            rx.select.content(
                rx.select.item("Any tag", value="any"),
                rx.foreach(
                    TaskState.tags, lambda tag: rx.select.item("#" + tag, value=tag)
                ),
            ),
            value=rx.cond(TaskState.tag == "", "any", TaskState.tag),
            on_change=TaskState.set_tag_filter,
        ),
        rx.hstack(
            rx.select.root(
                rx.select.trigger(aria_label="Sort by"),
                rx.select.content(
                    *[
                        rx.select.item(f"Sort: {text}", value=value)
                        for value, text in SORT_OPTIONS
                    ]
                ),
                value=TaskState.sort,
                on_change=TaskState.set_sort,
            ),
            rx.icon_button(
                rx.cond(
                    TaskState.order == "asc",
                    rx.icon("arrow_up_narrow_wide", size=16),
                    rx.icon("arrow_down_wide_narrow", size=16),
                ),
                variant="soft",
                aria_label=rx.cond(
                    TaskState.order == "asc", "Sort ascending", "Sort descending"
                ),
                title=rx.cond(TaskState.order == "asc", "Ascending", "Descending"),
                on_click=TaskState.toggle_order,
            ),
            spacing="1",
        ),
        wrap="wrap",
        spacing="2",
        width="100%",
    )


def toggle_all_control() -> rx.Component:
    """Complete every task (or reopen all when everything is done)."""
    return rx.cond(
        TaskState.has_tasks,
        rx.el.label(
            rx.hstack(
                rx.checkbox(
                    checked=TaskState.all_completed,
                    on_change=lambda _checked: TaskState.toggle_all(),
                    aria_label="Mark all as complete",
                ),
                rx.text("Mark all as complete", size="2"),
                spacing="2",
                align="center",
            ),
        ),
    )


def empty_state() -> rx.Component:
    """What the list shows without rows: no tasks at all, or none matching the filters."""
    return rx.center(
        rx.vstack(
            rx.icon(rx.cond(TaskState.has_tasks, "search_x", "list_todo"), size=32),
            rx.text(
                rx.cond(TaskState.has_tasks, "Nothing matches", "No tasks yet"),
                size="4",
                weight="medium",
            ),
            rx.text(
                rx.cond(
                    TaskState.has_tasks,
                    "Try another filter or search.",
                    "Add your first task above.",
                ),
                size="2",
                color=rx.color("gray", 11),
            ),
            align="center",
            spacing="1",
        ),
        padding_y="2.5rem",
        width="100%",
    )


def task_list() -> rx.Component:
    """The visible page of tasks, keyed by id."""
    return rx.cond(
        TaskState.tasks.length() > 0,
        rx.el.ul(
            rx.foreach(TaskState.tasks, task_row),
            aria_label="Tasks",
            padding="0",
            margin="0",
            width="100%",
        ),
        empty_state(),
    )


def pager() -> rx.Component:
    """Previous / next page links when the list has more than one page."""
    return rx.cond(
        TaskState.page_count > 1,
        rx.hstack(
            rx.cond(
                TaskState.page > 1,
                app_link("Previous page", href=TaskState.previous_page_href),
            ),
            rx.text(
                "Page ",
                TaskState.page,
                " of ",
                TaskState.page_count,
                size="2",
            ),
            rx.cond(
                TaskState.page < TaskState.page_count,
                app_link("Next page", href=TaskState.next_page_href),
            ),
            spacing="4",
            justify="center",
            width="100%",
        ),
    )


def list_footer() -> rx.Component:
    """Items left, the status filters, and "Clear completed" when something is completed."""
    return rx.cond(
        TaskState.has_tasks,
        rx.flex(
            rx.text(TaskState.items_left_label, size="2", role="status"),
            status_filters(),
            rx.cond(
                TaskState.completed_count > 0,
                rx.button(
                    "Clear completed (",
                    TaskState.completed_count,
                    ")",
                    variant="ghost",
                    on_click=TaskState.clear_completed,
                ),
                rx.box(),
            ),
            justify="between",
            align="center",
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
    )


def delete_confirmation() -> rx.Component:
    """Asks before deleting a task whose title was emptied."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this task?"),
            rx.alert_dialog.description(
                "The title of “", TaskState.confirm_delete_title, "” was emptied."
            ),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(
                        "Keep task", variant="soft", on_click=TaskState.cancel_delete
                    )
                ),
                rx.alert_dialog.action(
                    rx.button(
                        "Delete task",
                        color_scheme="red",
                        on_click=TaskState.confirm_delete,
                    )
                ),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
        open=TaskState.confirm_delete_id != 0,
    )


def _labelled(label: str, field_id: str, control: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_size="0.9rem", font_weight="500"),
        control,
        spacing="1",
        width="100%",
    )


def task_details_dialog(task: TaskView) -> rx.Component:
    """The row's "Edit details" button and its dialog (open for one task at a time).

    Each row has its own dialog root so that closing it returns focus to the row's button.
    """
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.icon_button(
                rx.icon("sliders_horizontal", size=16),
                variant="ghost",
                margin="0",
                aria_label="Edit details of " + task.title.to(str),
                title="Edit details",
            ),
        ),
        task_details_content(),
        open=TaskDetailsState.task_id == task.id,
        # No on_click on the button: Radix then keeps it as the trigger (focus returns to it
        # on close) and reports opening and closing here.
        on_open_change=lambda is_open: TaskDetailsState.details_open_change(
            task.id, is_open
        ),
    )


def task_details_content() -> rx.Component:
    """Every field of the task: Save checks them with the shared schema, Escape cancels."""
    return rx.dialog.content(
        rx.dialog.title("Edit task"),
        rx.dialog.description(
            "Change any field, then save.", size="2", color=rx.color("gray", 11)
        ),
        rx.form(
            rx.vstack(
                error_callout(TaskDetailsState.error),
                _labelled(
                    "Title",
                    "details-title",
                    rx.input(
                        id="details-title",
                        name="title",
                        default_value=TaskDetailsState.values["title"],
                        max_length=200,
                        auto_focus=True,
                        width="100%",
                    ),
                ),
                _labelled(
                    "Description",
                    "details-description",
                    rx.text_area(
                        id="details-description",
                        name="description",
                        default_value=TaskDetailsState.values["description"],
                        rows="3",
                        width="100%",
                    ),
                ),
                _labelled(
                    "Due date",
                    "details-due-date",
                    rx.hstack(
                        rx.input(
                            id="details-due-date",
                            name="due_date",
                            type="date",
                            default_value=TaskDetailsState.values["due_date"],
                        ),
                        rx.button(
                            "Clear due date",
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                            on_click=rx.set_value("details-due-date", ""),
                        ),
                        spacing="2",
                        align="center",
                        wrap="wrap",
                    ),
                ),
                rx.flex(
                    _select(
                        "priority",
                        PRIORITY_OPTIONS,
                        "Priority",
                        TaskDetailsState.values["priority"],
                    ),
                    _select(
                        "recurrence",
                        RECURRENCE_OPTIONS,
                        "Repeat",
                        TaskDetailsState.values["recurrence"],
                    ),
                    wrap="wrap",
                    spacing="3",
                    width="100%",
                ),
                _labelled(
                    "Tags",
                    "details-tags",
                    rx.input(
                        id="details-tags",
                        name="tags",
                        default_value=TaskDetailsState.values["tags"],
                        placeholder="home, errands",
                        width="100%",
                    ),
                ),
                rx.flex(
                    rx.dialog.close(
                        rx.button(
                            "Cancel",
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                            on_click=TaskDetailsState.close_details,
                        )
                    ),
                    rx.button("Save", type="submit"),
                    spacing="3",
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=TaskDetailsState.save_details,
            width="100%",
        ),
        max_width="32rem",
    )
