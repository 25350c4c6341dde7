"""The settings page: the user's name, time zone, password, and account deletion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

import reflex as rx
from pydantic import ValidationError
from reflex.event import EventSpec
from sqlmodel import Session

from todo_app.errors import DomainError
from todo_app.models import PasswordChange, User, UserUpdate
from todo_app.services import accounts, sessions
from todo_app.state.auth import AuthState
from todo_app.state.common import error_message, in_session
from todo_app.state.forms import form_text

T = TypeVar("T")

# Each section of the page shows its own errors.
Section = Literal["profile_error", "timezone_error", "password_error", "delete_error"]


class SettingsState(AuthState):
    """The signed-in user's own profile, loaded after the user check."""

    name: str = ""
    email: str = ""
    profile_error: str = ""
    password_error: str = ""
    delete_error: str = ""
    confirming_delete: bool = False
    # The IANA zone whose calendar decides "today" for the user's tasks.
    timezone: str = ""
    timezone_error: str = ""

    async def _run(
        self, section: Section, work: Callable[[Session, User], T]
    ) -> T | EventSpec | None:
        """`work` for the signed-in user: its result, /login when signed out, or None after
        showing the failure in `section`."""
        setattr(self, section, "")
        try:
            result = await self._as_user(work)
        except (ValidationError, DomainError) as error:
            setattr(self, section, error_message(error))
            return None
        return rx.redirect("/login") if result is None else result

    @rx.event
    async def load_settings(self) -> EventSpec | None:
        """On load: check the user, then show their name and email."""
        self.password_error = self.delete_error = ""
        self.confirming_delete = False
        shown = await self._run(
            "profile_error", lambda _session, user: _name_and_email(user)
        )
        if shown is None or isinstance(shown, EventSpec):
            return shown
        self.name, self.email = shown
        return None

    @rx.event
    async def save_name(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Change the display name."""
        name = form_text(form_data, "name")
        saved = await self._run(
            "profile_error",
            lambda session, user: _name_and_email(
                accounts.update_profile(
                    session, user_id=user.id, data=UserUpdate(name=name)
                )
            ),
        )
        if saved is None or isinstance(saved, EventSpec):
            return saved
        self.name, _email = saved
        self._notify("Name saved", "success")
        return None

    @rx.event
    async def load_timezone(self) -> EventSpec | None:
        """On load: show the user's time zone."""
        zone = await self._run("timezone_error", lambda _session, user: user.timezone)
        if zone is None or isinstance(zone, EventSpec):
            return zone
        self.timezone = zone
        return None

    @rx.event
    async def save_timezone(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Change the time zone; any case is accepted and stored as IANA writes it."""
        text = form_text(form_data, "timezone")
        saved = await self._run(
            "timezone_error",
            lambda session, user: (
                accounts.update_profile(
                    session, user_id=user.id, data=UserUpdate(timezone=text)
                ).timezone
            ),
        )
        if saved is None or isinstance(saved, EventSpec):
            return saved
        self.timezone = saved
        self._notify(f"Time zone set to {saved}", "success")
        return None

    @rx.event
    async def change_password(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Set a new password; this browser gets a fresh token, every other session ends."""
        user_id = await self._run("password_error", lambda _session, user: user.id)
        if user_id is None or isinstance(user_id, EventSpec):
            return user_id
        client = self._client()
        try:
            data = PasswordChange(
                current_password=form_text(form_data, "current_password"),
                new_password=form_text(form_data, "new_password"),
            )
            # bcrypt runs between transactions, so this is not one hop (services.accounts).
            await accounts.change_password(user_id=user_id, data=data, client=client)
            # Every session ended with the change; this browser continues in a new one.
            self.auth_token = await in_session(
                lambda session: (
                    sessions.start_session(
                        session,
                        user_id=user_id,
                        user_agent=self.router.headers.user_agent,
                        client=client,
                    ).access_token
                )
            )
        except (ValidationError, DomainError) as error:
            self.password_error = error_message(error)
            return None
        self._notify("Password changed", "success")
        return [
            rx.set_value("current-password", ""),
            rx.set_value("new-password", ""),
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

        def delete(session: Session, user: User) -> int:
            accounts.delete_account(session, user_id=user.id)
            return user.id

        deleted = await self._run("delete_error", delete)
        if deleted is None or isinstance(deleted, EventSpec):
            return deleted
        await self._forget_user_data()
        self.auth_token = ""
        self.signed_in = False
        return rx.redirect("/register")


def _name_and_email(user: User) -> tuple[str, str]:
    return user.name or "", user.email
