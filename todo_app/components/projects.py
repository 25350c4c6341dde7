"""The project view's menu, the project dialog and the delete confirmation."""

from __future__ import annotations

import reflex as rx

from todo_app.components.dialogs import confirm_dialog
from todo_app.components.forms import labelled, select_field
from todo_app.models import PROJECT_NAME_MAX, ProjectColor
from todo_app.state.projects import ProjectState
from todo_app.state.tasks import TaskState

# A dialog opened from the menu (rename, delete) can be open before the menu has finished
# closing: the menu's focus trap then keeps the dialog from focusing its first field, and the
# menu, closing, would focus its own button. The open dialog's first field gets it instead.
_FOCUS_OPEN_DIALOG = rx.Var(
    _js_expr=(
        "((event) => { const dialog = document.querySelector("
        "'[role=dialog][data-state=open], [role=alertdialog][data-state=open]'); "
        "if (!dialog) { return; } event.preventDefault(); "
        "if (!dialog.contains(document.activeElement)) { "
        "(dialog.querySelector('input, button') ?? dialog).focus(); } })"
    )
)


def project_menu() -> rx.Component:
    """The project view's actions: rename or recolour, archive, delete."""
    return rx.menu.root(
        rx.menu.trigger(
            rx.icon_button(
                rx.icon("ellipsis", size=18),
                variant="soft",
                aria_label="Project actions",
                title="Project actions",
            )
        ),
        rx.menu.content(
            rx.menu.item("Rename or recolour", on_select=ProjectState.edit_project),
            rx.menu.item(
                rx.cond(TaskState.project_archived, "Unarchive", "Archive"),
                on_select=ProjectState.toggle_archived,
            ),
            rx.menu.separator(),
            rx.menu.item(
                "Delete project", color="red", on_select=ProjectState.ask_delete_project
            ),
            custom_attrs={"onCloseAutoFocus": _FOCUS_OPEN_DIALOG},
        ),
    )


def project_dialog() -> rx.Component:
    """A project's name and colour: for a new project, or the page's."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(
                rx.cond(
                    ProjectState.project_form_id == 0, "New project", "Edit project"
                )
            ),
            rx.dialog.description(
                "A name of your own and a colour.",
                size="2",
                color=rx.color("gray", 11),
                margin_bottom="0.75rem",
            ),
            rx.form(
                rx.vstack(
                    labelled(
                        "Name",
                        "project-name",
                        rx.input(
                            id="project-name",
                            name="name",
                            default_value=ProjectState.project_form_name,
                            max_length=PROJECT_NAME_MAX,
                            required=True,
                            auto_focus=True,
                            width="100%",
                        ),
                    ),
                    select_field(
                        "Colour",
                        "color",
                        [
                            (color.value, color.value.capitalize())
                            for color in ProjectColor
                        ],
                        ProjectState.project_form_color,
                    ),
                    rx.cond(
                        ProjectState.project_error != "",
                        rx.text(
                            ProjectState.project_error,
                            role="alert",
                            size="2",
                            color=rx.color("red", 11),
                        ),
                    ),
                    rx.flex(
                        rx.dialog.close(
                            rx.button(
                                "Cancel",
                                type="button",
                                variant="soft",
                                color_scheme="gray",
                            )
                        ),
                        rx.button("Save project", type="submit"),
                        spacing="3",
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=ProjectState.save_project,
                reset_on_submit=False,
                key=ProjectState.project_form_key,
            ),
            max_width="26rem",
        ),
        open=ProjectState.project_form_open,
        on_open_change=ProjectState.project_form_open_change,
    )


def delete_project_confirmation() -> rx.Component:
    """Deleting a project asks first: its tasks go with it (to the trash)."""
    return confirm_dialog(
        ProjectState.project_delete_question,
        "The project is deleted and its tasks go to the trash, where you can restore them "
        "into the Inbox.",
        open=ProjectState.confirming_project_delete,
        confirm="Delete project",
        on_confirm=ProjectState.delete_project,
        cancel="Cancel",
        on_cancel=ProjectState.cancel_delete_project,
    )


def archived_project_banner() -> rx.Component:
    """On an archived project's page: says so and why there is no new-task form, with the
    way back."""
    return rx.cond(
        TaskState.project_archived,
        rx.callout.root(
            rx.callout.icon(rx.icon("archive", size=16)),
            rx.flex(
                rx.callout.text("This project is archived. Unarchive it to add tasks."),
                rx.button(
                    "Unarchive",
                    size="2",
                    variant="solid",
                    # The banner is grey and its children take its colour: the one way out
                    # of it is named in the app's accent (the theme's, in todo_app.py).
                    color_scheme="indigo",
                    on_click=ProjectState.toggle_archived,
                ),
                spacing="3",
                align="center",
                justify="between",
                wrap="wrap",
                width="100%",
            ),
            color_scheme="gray",
            role="status",
            width="100%",
        ),
    )
