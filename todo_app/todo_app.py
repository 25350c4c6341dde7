"""Composition only: build the Reflex app, mount the REST API, add the pages."""

from __future__ import annotations

import reflex as rx

from todo_app.api.app import create_api_app
from todo_app.migrations import upgrade_to_head
from todo_app.pages.auth import login_page, register_page
from todo_app.pages.settings import settings_page
from todo_app.pages.tasks import tasks_page
from todo_app.settings import get_secret_key
from todo_app.state.auth import AuthState
from todo_app.state.settings import SettingsState
from todo_app.state.tasks import TaskState

# Refuse to start with a short TODO_SECRET_KEY, and create the key file before serving.
get_secret_key()

app = rx.App(api_transformer=create_api_app())
app.register_lifespan_task(upgrade_to_head)
app.add_page(tasks_page, route="/", title="Todo", on_load=TaskState.load_page)
app.add_page(
    login_page, route="/login", title="Log in · Todo", on_load=AuthState.open_auth_page
)
app.add_page(
    register_page,
    route="/register",
    title="Create account · Todo",
    on_load=AuthState.open_auth_page,
)
app.add_page(
    settings_page,
    route="/settings",
    title="Settings · Todo",
    on_load=SettingsState.load_settings,
)
