"""Composition only: build the Reflex app, mount the REST API, add the pages."""

from __future__ import annotations

import reflex as rx

from todo_app.api.app import create_api_app
from todo_app.migrations import upgrade_to_head
from todo_app.settings import get_secret_key


def index() -> rx.Component:
    """Placeholder until the task page lands."""
    return rx.center(rx.heading("todo_app", size="8"), height="100vh")


# Refuse to start with a short TODO_SECRET_KEY, and create the key file before serving.
get_secret_key()

app = rx.App(api_transformer=create_api_app())
app.register_lifespan_task(upgrade_to_head)
app.add_page(index, route="/", title="Todo")
