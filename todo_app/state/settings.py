"""The settings page: the user's name, password, and account deletion."""

from __future__ import annotations

from typing import Any

import reflex as rx
from pydantic import ValidationError
from reflex.event import EventSpec

from todo_app.errors import DomainError
from todo_app.models import PasswordChange, User, UserUpdate
from todo_app.services import accounts, sessions
from todo_app.state.auth import AuthState, form_text
from todo_app.state.common import error_message, in_session


class SettingsState(AuthState):
    """The signed-in user's own profile, loaded after the user check."""

    name: str = ""
    email: str = ""
    profile_error: str = ""
    password_error: str = ""
    delete_error: str = ""
    confirming_delete: bool = False

    async def _owner(self) -> int | None:
        try:
            return await self._user_id()
        except DomainError as error:
            self.profile_error = error_message(error)
            return None

    @rx.event
    async def load_settings(self) -> EventSpec | None:
        """On load: check the user, then show their name and email."""
        self.profile_error = self.password_error = self.delete_error = ""
        self.confirming_delete = False
        user_id = await self._owner()
        if user_id is None:
            return None if self.profile_error else rx.redirect("/login")
        try:
            self.name, self.email = await in_session(
                lambda session: _name_and_email(
                    accounts.get_user(session, user_id=user_id)
                )
            )
        except DomainError as error:
            self.profile_error = error_message(error)
        return None

    @rx.event
    async def save_name(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Change the display name."""
        self.profile_error = ""
        user_id = await self._owner()
        if user_id is None:
            return None if self.profile_error else rx.redirect("/login")
        try:
            data = UserUpdate(name=form_text(form_data, "name"))
            self.name, _email = await in_session(
                lambda session: _name_and_email(
                    accounts.update_profile(session, user_id=user_id, data=data)
                )
            )
        except (ValidationError, DomainError) as error:
            self.profile_error = error_message(error)
            return None
        return rx.toast.success("Name saved")

    @rx.event
    async def change_password(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Set a new password; this browser gets a fresh token, every other session ends."""
        self.password_error = ""
        user_id = await self._owner()
        if user_id is None:
            return None if self.profile_error else rx.redirect("/login")
        try:
            data = PasswordChange(
                current_password=form_text(form_data, "current_password"),
                new_password=form_text(form_data, "new_password"),
            )
            await accounts.change_password(
                user_id=user_id, data=data, client=self._client()
            )
            # Every session ended with the change; this browser continues in a new one.
            self.auth_token = await in_session(
                lambda session: (
                    sessions.start_session(
                        session,
                        user_id=user_id,
                        user_agent=self.router.headers.user_agent,
                        client=self._client(),
                    ).access_token
                )
            )
        except (ValidationError, DomainError) as error:
            self.password_error = error_message(error)
            return None
        return [
            rx.set_value("current-password", ""),
            rx.set_value("new-password", ""),
            rx.toast.success("Password changed"),
        ]

    @rx.event
    def ask_delete_account(self) -> None:
        """Open the account deletion confirmation."""
        self.delete_error = ""
        self.confirming_delete = True

    @rx.event
    def cancel_delete_account(self) -> None:
        """Close the confirmation, keeping the account."""
        self.confirming_delete = False

    @rx.event
    async def delete_account(self) -> EventSpec | None:
        """Delete the account and every task of it, then log out."""
        self.confirming_delete = False
        user_id = await self._owner()
        if user_id is None:
            return None if self.profile_error else rx.redirect("/login")
        try:
            await in_session(
                lambda session: accounts.delete_account(session, user_id=user_id)
            )
        except DomainError as error:
            self.delete_error = error_message(error)
            return None
        await self._forget_user_data()
        self.auth_token = ""
        self.signed_in = False
        return rx.redirect("/register")


def _name_and_email(user: User) -> tuple[str, str]:
    return user.name or "", user.email
