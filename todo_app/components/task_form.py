"""The task form: its fields (one function for both uses), the new-task form, the details dialog."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import reflex as rx
from reflex.experimental.client_state import ClientStateVar

from todo_app.components.forms import (
    enum_options,
    error_callout,
    error_form,
    labelled,
    select_field,
)
from todo_app.components.quick_add import quick_add_help, recognised_chips
from todo_app.models import TITLE_MAX, Priority, Recurrence
from todo_app.state.common import FIELD_LABELS
from todo_app.state.forms import BLANK_TASK_FORM, INBOX_CHOICE
from todo_app.state.quick_add import QuickAddState
from todo_app.state.reminder_view import BEFORE_UNITS, ReminderRow
from todo_app.state.task_details import ConflictRow, TaskDetailsState
from todo_app.state.task_view import NEW_TASK_INPUT_ID, TaskView
from todo_app.state.tasks import TaskState

# The short fields sit side by side while there is room.
_INLINE = {"flex": "1", "min_width": "9rem"}
TAGS_PLACEHOLDER = "home, errands"
# The description is plain text here and Markdown in the row (components.markdown).
MARKDOWN_HINT = "Markdown works: **bold**, *italic*, - lists, [links](https://…)"
# A pause in typing this long reads the line again (one event, not one per key).
QUICK_ADD_DEBOUNCE_MS = 250
# From this many characters a title input shows how many it holds ("187/200").
TITLE_COUNTER_FROM = TITLE_MAX - 20
# What each title input holds, kept in the browser: its counter follows the typing without a
# server round trip per keystroke. One per input, so the three never share a count.
_TYPED_TITLE = {
    kind: ClientStateVar.create(f"typed_{kind}_title", "")
    for kind in ("new", "edit", "details")
}


def title_counter(typed: rx.Var[str], counter_id: str) -> rx.Component:
    """ "187/200" under a title near or over the limit (red over it); nothing before."""
    length = typed.length()
    return rx.cond(
        length >= TITLE_COUNTER_FROM,
        rx.text(
            length.to_string() + f"/{TITLE_MAX}",
            id=counter_id,
            size="1",
            align="right",
            width="100%",
            color=rx.cond(
                length > TITLE_MAX, rx.color("red", 11), rx.color("gray", 11)
            ),
        ),
    )


def title_input(kind: str, default: str | rx.Var[str], **props: Any) -> rx.Component:
    """A task title input with its counter; `kind` is "new", "edit" or "details".

    No `max_length`: a browser would cut a pasted title silently. A title that is too long
    is refused with "Title must be at most 200 characters" instead, and the counter warns.
    """
    typed = _TYPED_TITLE[kind]
    counter_id = f"{kind}-title-count"
    return rx.box(
        rx.input(
            name="title",
            default_value=default,
            # The count starts from the input's own text when it gets the focus (each title
            # input autofocuses): on_mount would run outside the list's rows, where the
            # row's title is unknown.
            on_focus=typed.set,
            on_change=typed.set,
            aria_describedby=counter_id,
            width="100%",
            **props,
        ),
        title_counter(typed.value, counter_id),
        width="100%",
    )


def _project_default(value: object) -> str | rx.Var[str]:
    # The details form: the task's project (a Var: an id or ""). The new-task form: the
    # project the page shows, else the Inbox.
    if not isinstance(value, rx.Var):
        value = rx.cond(
            TaskState.list_kind == "project", TaskState.project_id.to_string(), ""
        )
    return rx.cond(value.to(str) == "", INBOX_CHOICE, value.to(str)).to(str)


def project_select(value: object) -> rx.Component:
    """The Inbox or one of the projects in use, like the other selects of the form."""
    return select_field(
        FIELD_LABELS["project_id"],
        "project_id",
        [(INBOX_CHOICE, "Inbox")],
        _project_default(value),
        more_items=rx.fragment(
            rx.foreach(
                TaskState.projects,
                lambda project: rx.select.item(
                    project.name, value=project.id.to_string()
                ),
            ),
            _archived_option(_project_default(value)),
        ),
        # Starts afresh on another project's page (same route, same form).
        key=TaskState.project_id,
        **_INLINE,
    )


def _archived_option(current: str | rx.Var[str]) -> rx.Component:
    # The archived project a task is in (the details form): without its option the select
    # would show, and save, the Inbox. No other archived project is offered: it takes no
    # new tasks.
    return rx.foreach(
        TaskState.archived_projects,
        lambda project: rx.cond(
            project.id.to_string() == current,
            rx.select.item(project.name + " (archived)", value=project.id.to_string()),
        ),
    )


def task_field_inputs(
    prefix: str,
    values: Mapping[str, str] | rx.Var[dict[str, str]],
    *,
    clearable_due_date: bool = False,
) -> rx.Component:
    """Due date, priority, repeat, tags and description, as both task forms show them.

    The title is left to each form: a bare input for a new task, a labelled one in the dialog.

    Each input is named like its field (`state.forms.task_fields` reads them back), starts
    from `values[field]`, and has the id `<prefix>-<field>` ("new-due-date").
    """

    def field_id(name: str) -> str:
        return f"{prefix}-{name.replace('_', '-')}"

    def text(name: str, control: Any, **props: Any) -> rx.Component:
        return control(
            id=field_id(name),
            name=name,
            default_value=values[name],
            width="100%",
            **props,
        )

    def choice(name: str, choices: type[enum.Enum]) -> rx.Component:
        return select_field(
            FIELD_LABELS[name], name, enum_options(choices), values[name], **_INLINE
        )

    due_date = text("due_date", rx.input, type="date")
    return rx.flex(
        labelled(
            FIELD_LABELS["due_date"],
            field_id("due_date"),
            rx.hstack(
                due_date,
                rx.button(
                    "Clear due date",
                    type="button",
                    variant="soft",
                    color_scheme="gray",
                    on_click=rx.set_value(field_id("due_date"), ""),
                ),
                spacing="2",
                align="center",
                wrap="wrap",
            )
            if clearable_due_date
            else due_date,
            **_INLINE,
        ),
        labelled(
            FIELD_LABELS["due_time"],
            field_id("due_time"),
            text("due_time", rx.input, type="time"),
            **_INLINE,
        ),
        choice("priority", Priority),
        choice("recurrence", Recurrence),
        labelled(
            FIELD_LABELS["tags"],
            field_id("tags"),
            text("tags", rx.input, placeholder=TAGS_PLACEHOLDER),
            **_INLINE,
        ),
        labelled(
            FIELD_LABELS["description"],
            field_id("description"),
            rx.fragment(
                text(
                    "description",
                    rx.text_area,
                    rows="3",
                    aria_describedby=field_id("description-hint"),
                ),
                rx.text(
                    MARKDOWN_HINT,
                    id=field_id("description-hint"),
                    size="1",
                    color=rx.color("gray", 11),
                ),
            ),
        ),
        project_select(values["project_id"]),
        wrap="wrap",
        spacing="3",
        width="100%",
    )


def new_task_form() -> rx.Component:
    """The new-task input; Enter adds. Optional fields sit under "More options", keyboard-reachable.

    The form does not reset itself on submit: what was typed stays until the server has
    stored the task (also while offline), and then `TaskState.new_task_form_key` changes,
    which renders the inputs afresh (empty, defaults, the title focused).
    """
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.box(
                    title_input(
                        "new",
                        # What was typed before the session ended (AuthState.draft_task).
                        TaskState.draft_task,
                        id=NEW_TASK_INPUT_ID,
                        placeholder="What needs to be done?",
                        aria_label="New task",
                        size="3",
                        auto_focus=True,
                        # Read as one line once typing pauses: the chips below. The
                        # text comes from the counter's browser-side copy of the input.
                        on_key_up=lambda key, _info: QuickAddState.read_line(
                            _TYPED_TITLE["new"].value, key
                        ).debounce(QUICK_ADD_DEBOUNCE_MS),
                    ),
                    key=TaskState.new_task_form_key,
                    flex="1",
                ),
                quick_add_help(),
                align="center",
                width="100%",
            ),
            recognised_chips(),
            rx.el.details(
                rx.el.summary(
                    "More options",
                    cursor="pointer",
                    font_size="0.9rem",
                    width="fit-content",
                ),
                rx.vstack(
                    # Keyed apart from <details>, which stays open for the next task.
                    rx.box(
                        task_field_inputs("new", BLANK_TASK_FORM),
                        key=TaskState.new_task_form_key,
                        width="100%",
                    ),
                    rx.button("Add task", type="submit"),
                    spacing="3",
                    padding_top="0.75rem",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=TaskState.add_task,
        reset_on_submit=False,
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
        # The dialog of /tasks/<id> is the page's own (`task_url_dialog`).
        open=(TaskDetailsState.task_id == task.id) & ~TaskDetailsState.from_url,
        # No on_click on the button: Radix then keeps it as the trigger (focus returns to it
        # on close) and reports opening and closing here.
        on_open_change=lambda is_open: TaskDetailsState.details_open_change(
            task.id, is_open
        ),
    )


def task_url_dialog() -> rx.Component:
    """The details of the task a /tasks/<id> URL names, whether or not its row is shown."""
    return rx.dialog.root(
        task_details_content(),
        open=TaskDetailsState.from_url & (TaskDetailsState.task_id != 0),
        on_open_change=TaskDetailsState.url_dialog_open_change,
    )


# The details form's id: Save sits below the reminders (a form of their own) and submits it.
DETAILS_FORM_ID = "details-form"


def task_details_content() -> rx.Component:
    """Every field of the task and its reminders, scrolling between the title and the actions.

    Save and Cancel come last, after the reminders, and stay on screen however tall the
    dialog's body: Save checks the fields with the shared schema, Escape cancels.
    """
    values = TaskDetailsState.values
    return rx.dialog.content(
        rx.dialog.title("Edit task"),
        rx.dialog.description(
            "Change any field, then save.",
            size="2",
            color=rx.color("gray", 11),
            margin_bottom="0.75rem",
        ),
        rx.box(
            rx.box(
                _details_form(values),
                # A new key renders the inputs afresh from `values` ("Take theirs").
                key=TaskDetailsState.form_key,
            ),
            details_reminders(),
            flex="1",
            min_height="0",
            overflow_y="auto",
            # Room for the inputs' focus rings, which the scrolling box would cut off.
            padding="0.25rem",
            margin="-0.25rem",
        ),
        details_actions(),
        display="flex",
        flex_direction="column",
        # Within the screen, less the space Radix keeps around a dialog (6vh below).
        max_height="calc(100dvh - 6rem)",
        overflow="hidden",
        max_width="32rem",
    )


def details_actions() -> rx.Component:
    """The dialog's foot: what went wrong with Save (or a change made elsewhere), Cancel, Save."""
    return rx.vstack(
        error_callout(TaskDetailsState.error),
        conflict_panel(),
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
            rx.button("Save", type="submit", form=DETAILS_FORM_ID),
            spacing="3",
            justify="end",
            width="100%",
        ),
        spacing="3",
        width="100%",
        flex_shrink="0",
        padding_top="0.75rem",
        margin_top="0.75rem",
        border_top=f"1px solid {rx.color('gray', 5)}",
    )


def _reminder_item(item: rx.Var[ReminderRow]) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(item.label, size="2"),
            rx.text("Fires " + item.fires, size="1", color=rx.color("gray", 11)),
            spacing="0",
        ),
        rx.spacer(),
        rx.cond(item.status != "", rx.badge(item.status, color_scheme="gray")),
        rx.icon_button(
            rx.icon("x", size=14),
            type="button",
            variant="ghost",
            color_scheme="gray",
            aria_label="Remove reminder " + item.label,
            on_click=TaskDetailsState.remove_reminder(item.id),
        ),
        role="listitem",
        align="center",
        width="100%",
    )


REMINDER_TYPE_OPTIONS = [
    ("before", "Before the due time"),
    ("due", "At the due time"),
    ("at", "At a date and time"),
]


def _add_reminder_form() -> rx.Component:
    """One reminder: before the due time (minutes, hours, days), at it, or at a moment."""
    return error_form(
        TaskDetailsState.reminder_error,
        rx.flex(
            select_field(
                "Remind",
                "reminder_type",
                REMINDER_TYPE_OPTIONS,
                TaskDetailsState.reminder_type,
                on_change=TaskDetailsState.choose_reminder_type,
                flex="1",
                min_width="12rem",
            ),
            # Only what the chosen kind needs; the server ignores the rest anyway.
            rx.cond(
                TaskDetailsState.reminder_type == "before",
                rx.flex(
                    labelled(
                        "How long before",
                        "reminder-amount",
                        rx.input(
                            id="reminder-amount",
                            name="reminder_amount",
                            type="number",
                            min=1,
                            default_value="30",
                        ),
                        **_INLINE,
                    ),
                    select_field(
                        "Unit",
                        "reminder_unit",
                        [(unit, unit) for unit in BEFORE_UNITS],
                        "minutes",
                        **_INLINE,
                    ),
                    spacing="3",
                    flex="2",
                    min_width="100%",
                ),
            ),
            rx.cond(
                TaskDetailsState.reminder_type == "at",
                labelled(
                    "Date and time",
                    "reminder-at",
                    rx.input(
                        id="reminder-at", name="reminder_at", type="datetime-local"
                    ),
                    flex="2",
                    min_width="12rem",
                ),
            ),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        rx.button("Add reminder", type="submit", variant="soft"),
        on_submit=TaskDetailsState.add_reminder,
        spacing="3",
    )


def details_reminders() -> rx.Component:
    """The task's reminders in the details dialog: listed, added and removed at once."""
    return rx.vstack(
        rx.separator(size="4"),
        rx.heading("Reminders", size="3", as_="h3"),
        # Save, below, is for the fields above: say so.
        rx.text(
            "Added and removed at once: Save is not needed for reminders.",
            size="2",
            color=rx.color("gray", 11),
        ),
        rx.cond(
            TaskDetailsState.reminders.length() > 0,
            rx.vstack(
                rx.foreach(TaskDetailsState.reminders, _reminder_item),
                role="list",
                aria_label="Reminders of this task",
                spacing="2",
                width="100%",
            ),
            rx.text("No reminders.", size="2", color=rx.color("gray", 11)),
        ),
        rx.box(
            _add_reminder_form(),
            key=TaskDetailsState.reminder_form_key.to_string(),
            width="100%",
        ),
        spacing="3",
        width="100%",
        margin_top="1rem",
    )


def _conflict_row(row: ConflictRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.field),
        rx.table.cell(row.theirs),
        rx.table.cell(row.mine),
    )


def conflict_panel() -> rx.Component:
    """The task changed elsewhere since the dialog opened: what differs, and the choice."""
    return rx.cond(
        TaskDetailsState.conflict.length() > 0,
        rx.callout.root(
            rx.vstack(
                rx.text(
                    "This task was changed elsewhere while you edited it.",
                    weight="medium",
                    size="2",
                ),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Field"),
                            rx.table.column_header_cell("Now"),
                            rx.table.column_header_cell("Yours"),
                        )
                    ),
                    rx.table.body(rx.foreach(TaskDetailsState.conflict, _conflict_row)),
                    size="1",
                ),
                rx.hstack(
                    rx.button("Keep mine", on_click=TaskDetailsState.keep_mine),
                    rx.button(
                        "Take theirs",
                        variant="soft",
                        on_click=TaskDetailsState.take_theirs,
                    ),
                    spacing="2",
                ),
                spacing="2",
                width="100%",
            ),
            color_scheme="amber",
            role="alert",
            width="100%",
            # In the dialog's foot: a long list of differences scrolls, the buttons stay.
            max_height="40dvh",
            overflow_y="auto",
        ),
    )


def _details_form(values: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.form(
        rx.vstack(
            labelled(
                FIELD_LABELS["title"],
                "details-title",
                title_input(
                    "details", values["title"], id="details-title", auto_focus=True
                ),
            ),
            task_field_inputs("details", values, clearable_due_date=True),
            spacing="3",
            width="100%",
        ),
        id=DETAILS_FORM_ID,
        on_submit=TaskDetailsState.save_details,
        width="100%",
    )
