"""The signed-in session: register, log in, log out, and the server-side check every page uses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx
from pydantic import ValidationError
from reflex.event import EventSpec
from sqlmodel import Session

from todo_app.errors import DomainError, InvalidToken
from todo_app.models import User, UserCreate, UserLogin
from todo_app.network import client_address
from todo_app.services import accounts, sessions
from todo_app.state.common import error_message, in_session
from todo_app.state.forms import form_text
from todo_app.state.live import hub

T = TypeVar("T")

logger = logging.getLogger(__name__)

TOKEN_STORAGE_NAME = "todo_auth_token"


class AuthState(rx.State):
    """The session token (shared by the browser's tabs) and the login and register forms."""

    # The JWT from services.sessions.issue_token; `sync` shares it with the other tabs of the browser,
    # so clearing it logs every tab out. It is verified on the server by every handler.
    auth_token: str = rx.LocalStorage(name=TOKEN_STORAGE_NAME, sync=True)
    # True once the server has verified the token in this tab; pages show private parts only then.
    signed_in: bool = False
    auth_error: str = ""
    # The latest message for the person (shown by components.notices), and its tone. Messages
    # are state, not toasts sent as scripts: the page's Content-Security-Policy forbids eval.
    notice: str = ""
    notice_tone: str = "info"
    # Bumped with every message, so the same text shown twice appears (and is announced) again.
    notice_id: int = 0

    def _notify(self, text: str, tone: str = "info") -> None:
        """Show `text` to the person ("info", "success" or "error")."""
        self.notice, self.notice_tone = text, tone
        self.notice_id += 1

    @rx.event
    def dismiss_notice(self) -> None:
        """Hide the message (its close button, or when it has been shown long enough)."""
        self.notice = ""

    @rx.event
    def show_unexpected_error(self) -> None:
        """What the person sees when an event handler failed unexpectedly (details are logged)."""
        self._notify("Something went wrong on our side. Please try again.", "error")

    async def _as_user(self, work: Callable[[Session, User], T]) -> T | None:
        """Run `work(session, user)` for the token's user, checked in the same database hop.

        The one place the UI checks the session. None when not signed in (a stale token is
        dropped), so `work` returns something other than None. Domain and validation errors
        of `work` propagate to the handler, which shows them.
        """
        token = self.auth_token
        if not token:
            self._set_signed_in(False)
            return None

        def as_user(session: Session) -> T:
            return work(session, sessions.user_for_token(session, token=token))

        try:
            result = await in_session(as_user)
        except InvalidToken:
            self.auth_token = ""
            self._set_signed_in(False)
            return None
        self._set_signed_in(True)
        return result

    def _client(self) -> str:
        """The browser's address for rate limits (X-Forwarded-For from trusted proxies only)."""
        headers = self.router.headers.raw_headers
        peer = headers.get("asgi-scope-client") or self.router.session.client_ip
        return client_address(peer, headers.get("x-forwarded-for"))

    def _set_signed_in(self, value: bool) -> None:
        # Reflex resends every assigned var, changed or not: assign only on a change.
        if self.signed_in != value:
            self.signed_in = value

    async def _forget_user_data(self) -> None:
        """Reset every page state of the session, so no user's data outlives their session."""
        hub.forget(self.router.session.client_token)
        for substate_class in AuthState.get_substates():
            substate = await self.get_state(substate_class)
            substate.reset()

    async def _sign_in(self, token: str) -> EventSpec:
        await self._forget_user_data()
        self.auth_token = token
        self.signed_in = True
        self.auth_error = ""
        return rx.redirect("/")

    @rx.event
    async def open_auth_page(self) -> EventSpec | None:
        """On /login and /register: clear old errors, and go to the tasks when already signed in."""
        self.auth_error = ""
        if await self._as_user(lambda _session, user: user.id) is not None:
            return rx.redirect("/")
        return None

    @rx.event
    async def register(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Create an account from the register form and sign in."""
        self.auth_error = ""
        try:
            data = UserCreate(
                name=form_text(form_data, "name"),
                email=form_text(form_data, "email"),
                password=form_text(form_data, "password"),
            )
            user = await accounts.sign_up(data, client=self._client())
            token = await in_session(
                lambda session: (
                    sessions.start_session(
                        session,
                        user_id=user.id,
                        user_agent=self.router.headers.user_agent,
                        client=self._client(),
                    ).access_token
                )
            )
        except (ValidationError, DomainError) as error:
            self.auth_error = error_message(error)
            return None
        return await self._sign_in(token)

    @rx.event
    async def login(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Check the login form's credentials (rate limited per client) and sign in."""
        self.auth_error = ""
        client = self._client()
        try:
            data = UserLogin(
                email=form_text(form_data, "email"),
                password=form_text(form_data, "password"),
            )
            issued = await sessions.log_in(
                email=data.email,
                password=data.password,
                client=client,
                user_agent=self.router.headers.user_agent,
            )
        except (ValidationError, DomainError) as error:
            self.auth_error = error_message(error)
            return None
        return await self._sign_in(issued.access_token)

    @rx.event
    async def logout(self) -> EventSpec:
        """End the session on the server and in every tab of this browser."""
        token = self.auth_token
        if token:
            try:
                await in_session(lambda session: sessions.log_out(session, token=token))
            except DomainError:
                pass  # already ended or expired: logging out again is what was asked
        await self._forget_user_data()
        self.auth_token = ""
        self.signed_in = False
        return rx.redirect("/login")


def unexpected_error_notice(exception: Exception) -> EventSpec:
    """Reflex's handler of exceptions in event handlers: log them, tell the person calmly.

    Reflex's default answers with a toast sent as a script, which the page's policy blocks.
    """
    logger.error("an event handler failed", exc_info=exception)
    return AuthState.show_unexpected_error()
