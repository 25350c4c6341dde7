"""The settings page /settings."""

from __future__ import annotations

import reflex as rx
from reflex.style import set_color_mode

from todo_app.components.dialogs import confirm_dialog
from todo_app.components.forms import (
    error_callout,
    error_form,
    form_field,
    labelled,
    password_field,
    select_field,
)
from todo_app.components.layout import app_header, app_link, signed_in_page
from todo_app.services.accounts import TIMEZONES
from todo_app.state.preferences import PreferencesState
from todo_app.state.settings import (
    CALENDAR_URL_ID,
    CALENDAR_URL_IN_PAGE,
    IMPORT_UPLOAD_ID,
    NEW_TOKEN_ID,
    NEW_TOKEN_IN_PAGE,
    SessionRow,
    SettingsState,
    TokenRow,
)
from todo_app.state.tasks import TaskState

# The switch that assets/notifications.js finds by this id.
SYSTEM_NOTIFICATIONS_ID = "system-notifications"
THEMES = [("light", "Light"), ("dark", "Dark"), ("system", "System")]


def _section(title: str, *children: rx.Component) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4", as_="h2"), *children, spacing="3", width="100%"
        ),
        width="100%",
    )


def profile_section() -> rx.Component:
    """Change the display name."""
    return _section(
        "Profile",
        rx.text("Signed in as ", rx.text.strong(SettingsState.email), size="2"),
        error_form(
            SettingsState.profile_error,
            form_field(
                "Name",
                "name",
                field_id="settings-name",
                default_value=SettingsState.name,
                key=SettingsState.name,
                autocomplete="name",
            ),
            rx.button("Save name", type="submit"),
            on_submit=SettingsState.save_name,
            spacing="3",
        ),
    )


def timezone_section() -> rx.Component:
    """Choose the time zone: type to search the IANA names the server knows."""
    return _section(
        "Time zone",
        rx.text(
            "Today, tomorrow and overdue follow the calendar of this zone.", size="2"
        ),
        error_form(
            SettingsState.timezone_error,
            form_field(
                "Time zone",
                "timezone",
                field_id="settings-timezone",
                default_value=SettingsState.timezone,
                key=SettingsState.timezone,
                placeholder="Europe/Paris",
                required=True,
                # The browser offers the names that match what is typed.
                custom_attrs={"list": "timezone-names"},
            ),
            rx.el.datalist(
                *[rx.el.option(value=zone) for zone in TIMEZONES], id="timezone-names"
            ),
            rx.button("Save time zone", type="submit"),
            on_submit=SettingsState.save_timezone,
            spacing="3",
        ),
    )


def password_section() -> rx.Component:
    """Change the password (current + new)."""
    return _section(
        "Password",
        error_form(
            SettingsState.password_error,
            password_field(
                "Current password",
                "current_password",
                field_id="current-password",
                autocomplete="current-password",
            ),
            password_field(
                "New password",
                "new_password",
                field_id="new-password",
                autocomplete="new-password",
            ),
            rx.button("Change password", type="submit"),
            on_submit=SettingsState.change_password,
            spacing="3",
        ),
    )


def theme_section() -> rx.Component:
    """Light, dark or the system's theme (kept in this browser)."""
    return _section(
        "Theme",
        rx.hstack(
            *[
                rx.button(
                    label,
                    variant=rx.cond(rx.color_mode == value, "solid", "soft"),
                    aria_pressed=rx.cond(rx.color_mode == value, "true", "false"),
                    on_click=set_color_mode(value),
                )
                for value, label in THEMES
            ],
            role="group",
            aria_label="Theme",
            spacing="2",
        ),
    )


def start_section() -> rx.Component:
    """Which list "/" opens: the Inbox or Today (kept in this browser)."""
    start = PreferencesState.start_view
    return _section(
        "Start page",
        rx.hstack(
            *[
                rx.button(
                    label,
                    variant=rx.cond(start == value, "solid", "soft"),
                    aria_pressed=rx.cond(start == value, "true", "false"),
                    on_click=PreferencesState.set_start_view(value),
                )
                for value, label in (("inbox", "Inbox"), ("today", "Today"))
            ],
            role="group",
            aria_label="Start page",
            spacing="2",
        ),
    )


def delete_section() -> rx.Component:
    """Delete the account, after a confirmation."""
    return _section(
        "Delete account",
        rx.text("This deletes your account and all your tasks.", size="2"),
        rx.button(
            "Delete account",
            color_scheme="red",
            variant="soft",
            on_click=SettingsState.ask_delete_account,
            width="fit-content",
        ),
        confirm_dialog(
            "Delete your account?",
            "Your account and all your tasks will be deleted. This cannot be undone. "
            "Enter your password to confirm.",
            open=SettingsState.confirming_delete,
            confirm="Delete my account",
            on_confirm=SettingsState.delete_account,
            cancel="Cancel",
            on_cancel=SettingsState.cancel_delete_account,
            fields=(
                error_callout(SettingsState.delete_error),
                password_field(
                    "Password",
                    "password",
                    field_id="delete-password",
                    autocomplete="current-password",
                ),
            ),
        ),
    )


SUBSCRIBE_HINTS = (
    ("Google Calendar", "Other calendars, +, From URL (it refreshes every few hours)."),
    ("Apple Calendar", "File, New Calendar Subscription."),
    ("Thunderbird", "New Calendar, On the Network."),
)


def calendar_url_field() -> rx.Component:
    """The private feed URL, read-only, with a button that copies it."""
    return labelled(
        "Private calendar link",
        CALENDAR_URL_ID,
        rx.hstack(
            rx.input(
                id=CALENDAR_URL_ID,
                read_only=True,
                placeholder="Press \u201cShow link\u201d to see it",
                width="100%",
            ),
            rx.button(
                "Copy",
                variant="soft",
                disabled=~SettingsState.calendar_url_shown,
                # Copied in the browser, from the input: the URL never passes through state.
                on_click=[
                    rx.set_clipboard(CALENDAR_URL_IN_PAGE),
                    SettingsState.calendar_url_copied,
                ],
            ),
            width="100%",
        ),
    )


def calendar_section() -> rx.Component:
    """The private calendar feed: show and copy its URL, replace it, how to subscribe."""
    return _section(
        "Calendar feed",
        rx.text(
            "Your open tasks with a due date, in your calendar app. The link is private: "
            "anyone who has it can see those tasks.",
            size="2",
        ),
        error_callout(SettingsState.calendar_error),
        calendar_url_field(),
        rx.hstack(
            rx.button("Show link", on_click=SettingsState.show_calendar_url),
            rx.button(
                "New link",
                color_scheme="red",
                variant="soft",
                on_click=SettingsState.ask_new_calendar_url,
            ),
            spacing="2",
        ),
        rx.el.ul(
            *[
                rx.el.li(rx.text(rx.text.strong(app, ": "), steps, size="2"))
                for app, steps in SUBSCRIBE_HINTS
            ],
            aria_label="How to subscribe",
            padding_left="1.2rem",
            margin="0",
        ),
        confirm_dialog(
            "Make a new calendar link?",
            "The current link stops working at once: calendars subscribed to it stop "
            "updating until you subscribe them to the new link.",
            open=SettingsState.confirming_new_calendar_url,
            confirm="Make a new link",
            on_confirm=SettingsState.new_calendar_url,
            cancel="Cancel",
            on_cancel=SettingsState.cancel_new_calendar_url,
        ),
    )


# The import's file input, which its label names (the upload's own id is the drop zone's).
IMPORT_INPUT_ID = "import-file-input"


def import_file_picker() -> rx.Component:
    """The file to import: "Choose file" and the chosen file's name, over a file input that
    the label above names (Reflex gives no way to pass props to the input it makes)."""
    picker = rx.upload.root(
        rx.hstack(
            rx.button("Choose file", variant="outline", type="button"),
            rx.text(
                rx.cond(
                    rx.selected_files(IMPORT_UPLOAD_ID).length() > 0,
                    rx.selected_files(IMPORT_UPLOAD_ID)[0],
                    "No file chosen",
                ),
                size="2",
            ),
            align="center",
            spacing="2",
        ),
        id=IMPORT_UPLOAD_ID,
        accept={"application/json": [".json"], "text/csv": [".csv"]},
        max_files=1,
        no_drag=True,
        # "Choose file" is the way in by keyboard: the drop zone around it is no tab stop.
        no_keyboard=True,
    )
    file_input = picker.children[0].children[0]
    if getattr(file_input, "type", None) is None:
        raise RuntimeError("rx.upload no longer starts with its file input")
    file_input.id = IMPORT_INPUT_ID
    return picker


def import_export_section() -> rx.Component:
    """Download every task as a file, and import a file of tasks."""
    return _section(
        "Import and export",
        rx.text(
            "Export: JSON keeps everything (completed tasks, the trash, reminders) and "
            "imports back; CSV is for spreadsheets.",
            size="2",
        ),
        rx.hstack(
            rx.button("Export JSON", on_click=SettingsState.export_tasks("json")),
            rx.button(
                "Export CSV",
                variant="soft",
                on_click=SettingsState.export_tasks("csv"),
            ),
            spacing="2",
        ),
        rx.text(
            "Import: a JSON export of this app, or a Todoist project exported as CSV "
            "(up to 10 MiB). A file that cannot be read imports nothing.",
            size="2",
        ),
        labelled("File to import", IMPORT_INPUT_ID, import_file_picker()),
        rx.button(
            "Import file",
            loading=SettingsState.importing,
            on_click=SettingsState.import_tasks(
                rx.upload_files(upload_id=IMPORT_UPLOAD_ID)
            ),
        ),
        error_callout(SettingsState.transfer_error),
        rx.cond(
            SettingsState.import_summary != "",
            rx.callout(
                SettingsState.import_summary,
                color_scheme="green",
                role="status",
                width="100%",
            ),
        ),
    )


def _list_item(
    key: rx.Var, heading: rx.Component, details: rx.Component, action: rx.Component
) -> rx.Component:
    """A row of a Settings list: what it is, a line of details, one button on the right."""
    return rx.el.li(
        rx.flex(
            rx.vstack(heading, details, spacing="0"),
            action,
            justify="between",
            align="center",
            spacing="3",
            padding_y="0.4rem",
        ),
        key=key,
        list_style="none",
    )


def _details(*parts: str | rx.Var) -> rx.Component:
    return rx.text(*parts, size="1", color=rx.color("gray", 11))


def session_item(row: SessionRow) -> rx.Component:
    """One signed-in browser or client, with its "Log out" button."""
    return _list_item(
        row.id,
        rx.text(
            row.device,
            rx.cond(
                row.current,
                rx.badge("This browser", color_scheme="green", margin_left="0.5rem"),
            ),
            weight="medium",
            size="2",
        ),
        rx.text(
            row.last_active,
            " · ",
            row.signed_in,
            " · ",
            row.client,
            title=row.times,
            size="1",
            color=rx.color("gray", 11),
        ),
        rx.button(
            "Log out",
            variant="soft",
            size="1",
            aria_label="Log out " + row.device + " (" + row.signed_in.lower() + ")",
            on_click=SettingsState.end_session(row.id),
        ),
    )


def sessions_section() -> rx.Component:
    """Where the account is signed in, with a way to end each session or all of them."""
    return _section(
        "Sessions",
        rx.text(
            "Browsers and apps signed in to your account.",
            size="2",
            color=rx.color("gray", 11),
        ),
        error_callout(SettingsState.sessions_error),
        rx.el.ul(
            rx.foreach(SettingsState.sessions, session_item),
            aria_label="Signed-in sessions",
            padding="0",
            margin="0",
            width="100%",
        ),
        rx.button(
            "Log out everywhere",
            color_scheme="red",
            variant="soft",
            on_click=SettingsState.end_all_sessions,
            width="fit-content",
        ),
    )


TOKEN_SCOPES = [("read", "Read only"), ("write", "Read and write")]
TOKEN_EXPIRIES = [
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
    ("never", "Never"),
]


def token_item(row: TokenRow) -> rx.Component:
    """One personal access token, with its "Revoke" button."""
    return _list_item(
        row.id,
        rx.text(
            row.name,
            rx.badge(row.scope, margin_left="0.5rem"),
            rx.cond(
                row.expired,
                rx.badge("Expired", color_scheme="red", margin_left="0.5rem"),
            ),
            weight="medium",
            size="2",
        ),
        _details(
            "Created ",
            row.created,
            " · expires ",
            row.expires,
            " · last used ",
            row.last_used,
        ),
        rx.button(
            "Revoke",
            color_scheme="red",
            variant="soft",
            size="1",
            aria_label="Revoke " + row.name,
            on_click=SettingsState.ask_revoke_token(row.id),
        ),
    )


def new_token_notice() -> rx.Component:
    """The token just made, with a copy button: the only time it is shown.

    Always in the page (hidden until a token is made): the server puts the token's text
    straight into its input, and Copy reads it from there.
    """
    return rx.callout.root(
        rx.vstack(
            rx.text(
                "Copy your new token now: it will not be shown again.",
                weight="medium",
                size="2",
            ),
            labelled(
                "New token",
                NEW_TOKEN_ID,
                rx.input(
                    id=NEW_TOKEN_ID,
                    read_only=True,
                    width="100%",
                    font_family="monospace",
                ),
            ),
            rx.hstack(
                rx.button(
                    "Copy token",
                    on_click=[
                        rx.set_clipboard(NEW_TOKEN_IN_PAGE),
                        SettingsState.token_copied,
                    ],
                ),
                rx.button(
                    "Done", variant="soft", on_click=SettingsState.dismiss_new_token
                ),
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
        color_scheme="green",
        width="100%",
        display=rx.cond(SettingsState.new_token_shown, "flex", "none"),
    )


def tokens_section() -> rx.Component:
    """Personal access tokens for scripts and agents: make one, see them, revoke one."""
    return _section(
        "Personal access tokens",
        rx.text(
            "Tokens let scripts and assistants use your tasks through the API, "
            "without your password.",
            size="2",
            color=rx.color("gray", 11),
        ),
        error_form(
            SettingsState.tokens_error,
            # Not "Name": the profile's field above is found by that label.
            form_field(
                "Token label",
                "name",
                field_id="token-name",
                required=True,
                max_length=100,
                placeholder="Backup script",
            ),
            rx.hstack(
                select_field("Scope", "scope", TOKEN_SCOPES, "read"),
                select_field("Expires", "expires", TOKEN_EXPIRIES, "90"),
                spacing="3",
                width="100%",
            ),
            rx.button("Create token", type="submit", width="fit-content"),
            on_submit=SettingsState.create_token,
            spacing="3",
        ),
        new_token_notice(),
        rx.el.ul(
            rx.foreach(SettingsState.tokens, token_item),
            aria_label="Personal access tokens",
            padding="0",
            margin="0",
            width="100%",
        ),
        confirm_dialog(
            "Revoke this token?",
            f"“{SettingsState.revoking_token_name}” stops working at once; "
            "scripts that use it will be refused.",
            open=SettingsState.revoking_token_id != 0,
            confirm="Revoke token",
            on_confirm=SettingsState.revoke_token,
            cancel="Cancel",
            on_cancel=SettingsState.cancel_revoke_token,
        ),
    )


def notifications_section() -> rx.Component:
    """The switch for system notifications of reminders, kept in this browser.

    assets/notifications.js owns the switch: it asks for the browser's permission when the
    switch is clicked, sets `aria-checked` and says in the status line what follows.
    """
    return _section(
        "Notifications",
        rx.text(
            "A due reminder always shows on the task page, as a message and in the bell.",
            size="2",
        ),
        rx.hstack(
            rx.el.button(
                id=SYSTEM_NOTIFICATIONS_ID,
                type="button",
                role="switch",
                aria_checked="false",
                aria_labelledby=f"{SYSTEM_NOTIFICATIONS_ID}-label",
                class_name="todo-switch",
            ),
            rx.el.label(
                "System notifications in this browser",
                id=f"{SYSTEM_NOTIFICATIONS_ID}-label",
                html_for=SYSTEM_NOTIFICATIONS_ID,
            ),
            align="center",
            spacing="3",
        ),
        # Empty here: the script writes what the switch's state means.
        rx.text(id=f"{SYSTEM_NOTIFICATIONS_ID}-status", role="status", size="2"),
    )


def settings_page() -> rx.Component:
    """Profile, time zone, password, theme, calendar feed, sessions and account deletion."""
    return signed_in_page(
        # Back to the list as it was left: its filters, search, sort and page.
        app_header(
            "Settings",
            app_link("Back to tasks", href=TaskState.current_href),
            active="settings",
        ),
        profile_section(),
        timezone_section(),
        password_section(),
        theme_section(),
        notifications_section(),
        start_section(),
        calendar_section(),
        import_export_section(),
        sessions_section(),
        tokens_section(),
        delete_section(),
        active="settings",
    )
