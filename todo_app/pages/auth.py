"""The login and register pages."""

from __future__ import annotations

import reflex as rx

from todo_app.components.forms import error_callout, form_field, submit_button
from todo_app.components.layout import app_link, auth_card
from todo_app.state.auth import AuthState


def login_page() -> rx.Component:
    """/login: email and password."""
    return auth_card(
        "Log in",
        rx.form(
            rx.vstack(
                error_callout(AuthState.auth_error),
                form_field(
                    "Email",
                    "email",
                    field_id="login-email",
                    type_="email",
                    autocomplete="email",
                    required=True,
                ),
                form_field(
                    "Password",
                    "password",
                    field_id="login-password",
                    type_="password",
                    autocomplete="current-password",
                    required=True,
                ),
                submit_button("Log in"),
                spacing="4",
                width="100%",
            ),
            on_submit=AuthState.login,
            width="100%",
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
        rx.form(
            rx.vstack(
                error_callout(AuthState.auth_error),
                form_field(
                    "Name", "name", field_id="register-name", autocomplete="name"
                ),
                form_field(
                    "Email",
                    "email",
                    field_id="register-email",
                    type_="email",
                    autocomplete="email",
                    required=True,
                ),
                form_field(
                    "Password",
                    "password",
                    field_id="register-password",
                    type_="password",
                    autocomplete="new-password",
                    required=True,
                ),
                rx.text("At least 8 characters.", size="1", color=rx.color("gray", 11)),
                submit_button("Create account"),
                spacing="4",
                width="100%",
            ),
            on_submit=AuthState.register,
            width="100%",
        ),
        rx.text(
            "Already have an account? ", app_link("Log in", href="/login"), size="2"
        ),
    )
