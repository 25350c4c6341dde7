"""The list of tasks: a row (title editable inline), the empty states, the delete confirmation."""

from __future__ import annotations

import reflex as rx
from reflex_base.constants import Dirs
from reflex_base.utils.format import format_ref
from reflex_base.utils.imports import ImportVar
from reflex_base.vars import VarData

from todo_app.components.badges import (
    due_date_badge,
    priority_badge,
    project_badge,
    recurrence_badge,
    tag_badges,
)
from todo_app.components.layout import empty_message
from todo_app.components.markdown import description_preview
from todo_app.components.shortcuts import shortcut_mark
from todo_app.components.sortable_rows import drag_handle, sortable_row, sortable_rows
from todo_app.components.task_form import task_details_dialog, title_input
from todo_app.state.task_details import TaskDetailsState
from todo_app.state.task_view import ROW_ID_PREFIX, TaskView
from todo_app.state.tasks import TaskState


def is_completed(task: TaskView) -> rx.Var[bool]:
    """Whether the row's task is completed (read from the state's ids, not from the row)."""
    return TaskState.completed_ids.contains(task.id)


def _text_if_any(text: rx.Var[str], **props: object) -> rx.Component:
    return rx.cond(text != "", rx.text(text, **props))


def task_title(task: TaskView) -> rx.Component:
    """The title, or while editing an input: Enter or blur saves, Escape cancels."""
    return rx.cond(
        TaskState.editing_id == task.id,
        rx.form(
            title_input(
                "edit",
                task.title,
                auto_focus=True,
                aria_label="Edit title",
                on_blur=TaskState.save_edit,
                on_key_down=TaskState.edit_key_down,
            ),
            _text_if_any(
                TaskState.edit_notice,
                role="status",
                size="1",
                color=rx.color("amber", 11),
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


def _row_ref(task: TaskView) -> rx.Var:
    """A callback ref that files the row in Reflex's `refs` under the name `rx.set_focus(row_id)`
    looks up: Reflex itself files only elements whose id is known at compile time."""
    name = rx.Var.create(format_ref(ROW_ID_PREFIX)) + task.id.to_string()
    return rx.Var(
        _js_expr=f"((element) => {{ refs[{name!s}] = {{ current: element }}; }})",
        _var_data=VarData.merge(
            name._get_all_var_data(),
            VarData(imports={f"$/{Dirs.STATE_PATH}": [ImportVar(tag="refs")]}),
        ),
    )


def _row_button(icon: str, label: rx.Var[str], **props: object) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=16), variant="ghost", margin="0", aria_label=label, **props
    )


def row_actions_menu(task: TaskView) -> rx.Component:
    """At phone width: the row's edit, details and delete actions in one menu."""
    return rx.menu.root(
        rx.menu.trigger(
            _row_button("ellipsis", "More actions for " + task.title.to(str)),
        ),
        rx.menu.content(
            rx.menu.item("Edit title", on_select=TaskState.start_edit(task.id)),
            # Besides the handle: one place at a time, without aiming a finger.
            rx.cond(
                TaskState.sort == "manual",
                rx.fragment(
                    rx.menu.item("Move up", on_select=TaskState.move_by(task.id, -1)),
                    rx.menu.item("Move down", on_select=TaskState.move_by(task.id, 1)),
                ),
            ),
            rx.menu.item(
                "Edit details", on_select=TaskDetailsState.open_details(task.id)
            ),
            rx.menu.separator(),
            rx.menu.item("Delete", color="red", on_select=TaskState.delete(task.id)),
            # Closing, the menu gives focus back to its button; when "Edit title" has already
            # focused the title field, that would blur it and end the edit at once.
            custom_attrs={"onCloseAutoFocus": _KEEP_TITLE_FIELD_FOCUSED},
        ),
    )


_KEEP_TITLE_FIELD_FOCUSED = rx.Var(
    _js_expr=(
        "((event) => { if (document.activeElement?.getAttribute('aria-label') === "
        "'Edit title') { event.preventDefault(); } })"
    )
)


def _visually_hidden() -> dict[str, str]:
    return {
        "position": "absolute",
        "width": "1px",
        "height": "1px",
        "overflow": "hidden",
        "clip": "rect(0 0 0 0)",
        "white_space": "nowrap",
    }


def order_controls(task: TaskView) -> rx.Component:
    """Sort: Manual: the drag handle, and the buttons Alt+Up / Alt+Down press (for assistive
    technology as well: they are announced, though not shown)."""
    title = task.title.to(str)
    return rx.cond(
        TaskState.sort == "manual",
        rx.box(
            drag_handle(
                rx.icon("grip_vertical", size=16, aria_hidden="true"),
                type="button",
                # In the Tab order: Space picks the row up, the arrows move it, Space drops it
                # (dnd-kit's keyboard sensor, its instructions in aria-describedby).
                title="Drag, or press Space and the arrow keys, to reorder",
                aria_label="Reorder " + title,
                cursor="grab",
                # A touch on the handle drags the row instead of scrolling the page.
                touch_action="none",
                background="transparent",
                border="none",
                padding="0",
                # A 24 px target around the 16 px icon (WCAG 2.5.8), drawn in the row's margin.
                min_width="24px",
                min_height="24px",
                margin="-4px",
                display="flex",
                align_items="center",
                justify_content="center",
                border_radius="4px",
                color=rx.color("gray", 11),
                _focus_visible={"outline": f"2px solid {rx.color('accent', 8)}"},
            ),
            rx.el.button(
                "Move " + title + " up",
                type="button",
                on_click=TaskState.move_by(task.id, -1),
                tab_index=-1,
                custom_attrs=shortcut_mark("move-up"),
                style=_visually_hidden(),
            ),
            rx.el.button(
                "Move " + title + " down",
                type="button",
                on_click=TaskState.move_by(task.id, 1),
                tab_index=-1,
                custom_attrs=shortcut_mark("move-down"),
                style=_visually_hidden(),
            ),
            padding_top="0.2rem",
            flex_shrink="0",
            position="relative",
        ),
    )


def task_row(task: TaskView) -> rx.Component:
    """One task: checkbox, title (inline editable), badges, edit and delete buttons.

    The row itself takes the focus (tabindex -1) when the server moves it there: after its
    inline edit is saved, or when the row before it was deleted. In the sortable Tasks list
    (Sort: Manual) it moves with its drag handle; elsewhere it is a plain <li>.
    """
    return sortable_row(
        rx.flex(
            order_controls(task),
            rx.box(
                rx.checkbox(
                    checked=is_completed(task),
                    on_change=lambda _checked: TaskState.toggle(task.id),
                    aria_label=task.title,
                    size="3",
                    custom_attrs=shortcut_mark("toggle"),
                ),
                padding_top="0.15rem",
                flex_shrink="0",
            ),
            rx.vstack(
                task_title(task),
                rx.flex(
                    priority_badge(task.priority),
                    due_date_badge(task, is_completed(task)),
                    recurrence_badge(task.recurrence),
                    project_badge(task),
                    tag_badges(task.tags),
                    wrap="wrap",
                    spacing="2",
                ),
                rx.cond(task.description != "", description_preview(task.description)),
                spacing="1",
                flex="1",
                min_width="0",
            ),
            # Desktop: the icons; a phone folds them into one menu.
            rx.hstack(
                _row_button(
                    "pencil",
                    "Edit " + task.title.to(str),
                    on_click=TaskState.start_edit(task.id),
                    custom_attrs=shortcut_mark("edit"),
                ),
                task_details_dialog(task),
                _row_button(
                    "trash_2",
                    "Delete " + task.title.to(str),
                    color_scheme="red",
                    on_click=TaskState.delete(task.id),
                    custom_attrs=shortcut_mark("delete"),
                ),
                spacing="3",
                display=["none", "none", "flex"],
            ),
            rx.box(row_actions_menu(task), display=["block", "block", "none"]),
            spacing="3",
            align="start",
            padding_y="0.6rem",
            border_bottom=f"1px solid {rx.color('gray', 5)}",
        ),
        key=task.id,
        sort_id=task.id,
        id=ROW_ID_PREFIX + task.id.to_string(),
        ref=_row_ref(task),
        tab_index=-1,
        list_style="none",
        _focus_visible={"outline": f"2px solid {rx.color('accent', 8)}"},
    )


def section_heading(text: rx.Var[str]) -> rx.Component:
    """The heading of a group of rows ("Overdue", "Tomorrow", "Wed 3 Dec")."""
    return rx.el.li(
        rx.heading(text, as_="h2", size="3", color=rx.color("gray", 12)),
        list_style="none",
        padding_top="1rem",
        padding_bottom="0.25rem",
        border_bottom=f"1px solid {rx.color('gray', 6)}",
    )


def row_in_groups(task: TaskView) -> rx.Component:
    """A row, after its group's heading when it is the group's first."""
    return rx.fragment(
        rx.cond(task.section != "", section_heading(task.section)),
        task_row(task),
        key=task.id,
    )


def sunk(task: TaskView) -> rx.Var[bool]:
    """Whether the row shows in the completed section rather than in the list."""
    return TaskState.sinks & is_completed(task) & ~TaskState.kept_ids.contains(task.id)


def sunk_section() -> rx.Component:
    """Inbox and projects: their completed tasks, collapsed below the list."""
    return rx.cond(
        TaskState.sunk_total > 0,
        rx.el.details(
            rx.el.summary(
                "Completed (",
                TaskState.sunk_total,
                ")",
                cursor="pointer",
                font_weight="500",
                padding_y="0.5rem",
            ),
            rx.el.ul(
                # The page's completed rows (the label counts those of every page).
                rx.foreach(
                    TaskState.tasks, lambda task: rx.cond(sunk(task), task_row(task))
                ),
                aria_label="Completed tasks",
                padding="0",
                margin="0",
                width="100%",
            ),
            width="100%",
        ),
    )


def empty_state() -> rx.Component:
    """What the list shows without rows: all done (completed rows below), none matching the
    filters, no tasks at all, or the list's own empty state."""
    return rx.cond(
        TaskState.sunk_total > 0,
        empty_message(
            rx.icon("circle_check_big", size=32),
            "All done",
            "Completed tasks are below.",
        ),
        _no_rows(),
    )


# Each list's empty state when nothing narrows it: its icon, what it says, and a hint.
EMPTY_LISTS = {
    "inbox": (
        "inbox",
        "Your Inbox is empty",
        "Add a task above; tasks without a project land here.",
    ),
    "today": ("sun", "All done for today", "Tasks due today or overdue show here."),
    "upcoming": (
        "calendar",
        "Nothing scheduled",
        "Tasks due in the next two weeks show here.",
    ),
    "project": ("folder", "No tasks in this project yet", "Add a task above."),
}


def _filtered() -> rx.Var[bool]:
    """Whether a status filter, priority, tag or search narrows the list."""
    return (
        (TaskState.filter != "all")
        | (TaskState.priority != "")
        | (TaskState.tag != "")
        | (TaskState.search != "")
    )


def _no_rows() -> rx.Component:
    nothing_completed = empty_message(
        rx.icon("circle_check_big", size=32),
        "Nothing completed yet",
        "Tasks you complete show here.",
    )
    return rx.cond(
        _filtered(),
        empty_message(
            rx.icon("search_x", size=32),
            "Nothing matches",
            "Try another filter or search.",
        ),
        rx.cond(
            TaskState.list_kind == "completed",
            nothing_completed,
            rx.cond(
                TaskState.has_tasks,
                rx.match(
                    TaskState.list_kind,
                    *[
                        (kind, empty_message(rx.icon(icon, size=32), title, hint))
                        for kind, (icon, title, hint) in EMPTY_LISTS.items()
                    ],
                    rx.fragment(),
                ),
                empty_message(
                    rx.icon("list_todo", size=32),
                    "No tasks yet",
                    "Add your first task above.",
                ),
            ),
        ),
    )


def task_list() -> rx.Component:
    """The visible page of tasks, keyed by id, and the completed ones sunk below them."""
    return rx.fragment(
        rx.cond(
            TaskState.open_rows > 0,
            rx.el.ul(
                sortable_rows(
                    rx.foreach(
                        TaskState.tasks,
                        lambda task: rx.cond(
                            sunk(task), rx.fragment(), row_in_groups(task)
                        ),
                    ),
                    items=TaskState.manual_ids,
                    enabled=TaskState.sort == "manual",
                    on_move=TaskState.drop_row,
                ),
                aria_label="Tasks",
                padding="0",
                margin="0",
                width="100%",
            ),
            empty_state(),
        ),
        sunk_section(),
    )
