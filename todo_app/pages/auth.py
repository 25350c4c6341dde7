"""The login and register pages."""

from __future__ import annotations

import reflex as rx

from todo_app.components.forms import (
    error_form,
    form_field,
    password_field,
    submit_button,
)
from todo_app.components.layout import app_link, auth_card
from todo_app.state.auth import BROWSER_TIME_ZONE, NEW_BROWSER_KEY, AuthState


def _credentials(page: str, password_autocomplete: str) -> list[rx.Component]:
    return [
        form_field(
            "Email",
            "email",
            field_id=f"{page}-email",
            type_="email",
            autocomplete="email",
            required=True,
            # The login form starts here; the register form starts at its name.
            auto_focus=page == "login",
        ),
        password_field(
            "Password",
            "password",
            field_id=f"{page}-password",
            autocomplete=password_autocomplete,
        ),
    ]


def login_page() -> rx.Component:
    """/login: email and password."""
    return auth_card(
        "Log in",
        error_form(
            AuthState.auth_error,
            *_credentials("login", "current-password"),
            submit_button("Log in"),
            on_submit=lambda form_data: AuthState.login(
                form_data, NEW_BROWSER_KEY, BROWSER_TIME_ZONE
            ),
        ),
        rx.text(
            "No account yet? ",
            app_link("Create an account", href="/register"),
            size="2",
        ),
    )


def register_page() -> rx.Component:
    """/register: name, email and password."""
    return auth_card(
        "Create your account",
        error_form(
            AuthState.auth_error,
            form_field(
                "Name",
                "name",
                field_id="register-name",
                autocomplete="name",
                auto_focus=True,
            ),
            *_credentials("register", "new-password"),
            rx.text("At least 8 characters.", size="1", color=rx.color("gray", 11)),
            submit_button("Create account"),
            on_submit=lambda form_data: AuthState.register(
                form_data, NEW_BROWSER_KEY, BROWSER_TIME_ZONE
            ),
        ),
        rx.text(
            "Already have an account? ", app_link("Log in", href="/login"), size="2"
        ),
    )
