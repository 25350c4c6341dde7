"""The signed-in session of a tab: register, log in, resume, log out, and the one session check.

No credential lives in the server's UI state. A browser that signs in makes a random key in
its own localStorage and sends it with the login; the session row keeps only its hash. A tab
then remembers, server-side, which session it signed in or resumed *and on which websocket*:
an event arriving on any other socket (a reconnect, or a tab's state token replayed by someone
else) finds the tab signed out until the browser proves itself again with its key.

The JavaScript below is compiled into the pages and runs in the browser when an event fires;
nothing here sends scripts from the server (the Content-Security-Policy forbids eval).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import reflex as rx
from pydantic import ValidationError
from reflex.event import EventHandler, EventSpec
from sqlmodel import Session

from todo_app.errors import DomainError, InvalidToken, NotFound
from todo_app.models import TITLE_MAX, User, UserCreate, UserLogin
from todo_app.network import client_address
from todo_app.services import accounts, sessions
from todo_app.state.common import error_message, in_session
from todo_app.state.forms import form_text
from todo_app.state.live import hub

T = TypeVar("T")

logger = logging.getLogger(__name__)

BROWSER_KEY_STORAGE = "todo_browser_key"
# A fresh random key, stored for this browser's tabs; made when the person signs in.
NEW_BROWSER_KEY: rx.Var[str] = rx.Var(
    "(() => { const key = Array.from(crypto.getRandomValues(new Uint8Array(32)), "
    "(byte) => byte.toString(16).padStart(2, '0')).join(''); "
    f"localStorage.setItem('{BROWSER_KEY_STORAGE}', key); return key; }})()",
    _var_type=str,
)
STORED_BROWSER_KEY: rx.Var[str] = rx.Var(
    f"(localStorage.getItem('{BROWSER_KEY_STORAGE}') ?? '')", _var_type=str
)
# Where the tab is: the server's idea of the route can lag behind client-side navigation.
BROWSER_LOCATION: rx.Var[str] = rx.Var(
    "(window.location.pathname + window.location.search)", _var_type=str
)
# The new-task title typed in this tab and not submitted (assets/typed_task.js keeps it).
TYPED_TASK_STORAGE = "todo_typed_task"
TYPED_TASK: rx.Var[str] = rx.Var(
    f"(sessionStorage.getItem('{TYPED_TASK_STORAGE}') ?? '')", _var_type=str
)
BROWSER_TIME_ZONE: rx.Var[str] = rx.Var(
    "(Intl.DateTimeFormat().resolvedOptions().timeZone ?? '')", _var_type=str
)

# The event that loads a private page's data, by route; todo_app.py fills it. A tab that
# resumes its session asks for it, since the page's own on_load ran before it could.
PAGE_LOADERS: dict[str, EventHandler] = {}


def page_loader(path: str) -> EventHandler | None:
    """The loader of the private page at `path` ("/settings/", "/projects/3")."""
    path = path.rstrip("/") or "/"
    if path in PAGE_LOADERS:
        return PAGE_LOADERS[path]
    parts = path.split("/")
    for route, loader in PAGE_LOADERS.items():
        pattern = route.split("/")
        # Dynamic routes: "/projects/[project_ref]" takes any one segment in its place.
        if len(pattern) == len(parts) and all(
            want == got or want.startswith("[") for want, got in zip(pattern, parts)
        ):
            return loader
    return None


def safe_next(target: Any) -> str:
    """Where to go after logging in: a path of this app, never another site."""
    if not isinstance(target, str) or not target.startswith("/"):
        return "/"
    parts = urlsplit(target)
    if target.startswith("//") or parts.scheme or parts.netloc or "\\" in target:
        return "/"
    return target


def login_href(location: str) -> str:
    """The login page, coming back to `location` (path and query) afterwards."""
    parts = urlsplit(location)
    path = parts.path.rstrip("/") or "/"
    back = f"{path}?{parts.query}" if parts.query else path
    return "/login" if back == "/" else f"/login?next={quote(back, safe='')}"


async def _resumed(browser_key: str) -> sessions.SignedIn | None:
    """The live session of the browser holding this key, if any."""
    try:
        return await in_session(
            lambda session: sessions.resume_browser_session(
                session, browser_key=browser_key
            )
        )
    except InvalidToken:
        return None


class AuthState(rx.State):
    """Whether this tab is signed in, the login and register forms, and messages."""

    # True once the server has checked this tab's session on its websocket; private parts of
    # a page show only then.
    signed_in: bool = False
    auth_error: str = ""
    # The latest message for the person (shown by components.notices), and its tone. Messages
    # are state, not toasts sent as scripts: the page's Content-Security-Policy forbids eval.
    notice: str = ""
    notice_tone: str = "info"
    # Bumped with every message, so the same text shown twice appears (and is announced) again.
    notice_id: int = 0
    # Whether the message offers "Undo" (TaskState.undo puts the last action back).
    notice_undo: bool = False
    # Where the message's "Open" link goes ("" for none): the list a new task landed in.
    notice_href: str = ""
    # The page (path) the message is about: loading another page dismisses it.
    _notice_page: str = ""
    # Backend only (never sent to the browser): the session this tab signed in or resumed, and
    # the websocket it did so on. Neither is a credential.
    _user_id: int = 0
    _session_id: str = ""
    _socket_id: str = ""
    # A new task's title typed when the session had ended: the tab keeps it through the login
    # and shows it again, to the same user only.
    draft_task: str = ""
    _draft_owner: int = 0
    # Who last signed in on this tab: a title typed before their session ended is theirs.
    _last_user_id: int = 0
    # Set when the tab logs out (or its account is deleted) and is sent elsewhere: the session
    # check that the page shows meanwhile must not send it to /login instead.
    _leaving: bool = False

    # --- the session check ---------------------------------------------------------------------

    async def _as_user(self, work: Callable[[Session, User], T]) -> T | None:
        """Run `work(session, user)` for this tab's user, checked in the same database hop.

        The one place the UI checks the session. None when the tab is not signed in on this
        websocket (the page then asks the browser to resume, see `resume`) or the session has
        ended, so `work` returns something other than None. Domain and validation errors of
        `work` propagate to the handler, which shows them.
        """
        if not self._bound_here():
            self._set_signed_in(False)
            return None
        user_id, session_id = self._user_id, self._session_id

        def as_user(session: Session) -> T:
            user = sessions.check_session(
                session, user_id=user_id, session_id=session_id
            )
            return work(session, user)

        try:
            result = await in_session(as_user)
        except InvalidToken:
            self._unbind()
            self._set_signed_in(False)
            return None
        self._set_signed_in(True)
        return result

    def _socket(self) -> str:
        return self.router.session.session_id

    def _bound_here(self) -> bool:
        """Whether this tab has signed in or resumed its session on the current websocket."""
        return bool(self._session_id) and self._socket_id == self._socket()

    def _bind(self, signed_in: sessions.SignedIn) -> None:
        self._user_id, self._session_id = signed_in.user.id, signed_in.session_id
        self._socket_id = self._socket()
        self._last_user_id = signed_in.user.id

    def _unbind(self) -> None:
        self._user_id, self._session_id, self._socket_id = 0, "", ""

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
        """Reset every page state of the tab, so no user's data outlives their session."""
        hub.forget(self.router.session.client_token)
        for substate_class in AuthState.get_substates():
            substate = await self.get_state(substate_class)
            substate.reset()

    def _keep_draft(self, title: str, owner_id: int) -> None:
        """Remember a title typed while signed out, for `owner_id` to find after logging in."""
        self.draft_task, self._draft_owner = title, owner_id

    async def _sign_in(self, signed_in: sessions.SignedIn) -> EventSpec:
        if signed_in.user.id != self._draft_owner:
            self._keep_draft("", 0)
        await self._forget_user_data()
        self._bind(signed_in)
        self.signed_in = True
        self._leaving = False
        self.auth_error = ""
        return rx.redirect(safe_next(self.router.url.query_parameters.get("next")))

    # --- messages ------------------------------------------------------------------------------

    def _notify(
        self, text: str, tone: str = "info", *, undo: bool = False, href: str = ""
    ) -> None:
        """Show `text` to the person ("info", "success" or "error"), with "Undo" if `undo`,
        with an "Open" link to `href` if given."""
        self.notice, self.notice_tone = text, tone
        if self.notice_undo != undo:
            self.notice_undo = undo
        if self.notice_href != href:
            self.notice_href = href
        self.notice_id += 1
        self._notice_page = _path_only(self.router.url.path)

    def _notice_goes_to(self, path: str) -> None:
        """The message on screen follows a redirect to `path`: it is about what led there."""
        self._notice_page = _path_only(path)

    @rx.event
    def dismiss_stale_notice(self) -> None:
        """On every page load: a message about another page goes. A link keeps the tab's
        state, so without this it would follow the person from page to page."""
        if self.notice and self._notice_page != _path_only(self.router.url.path):
            self.dismiss_notice()

    @rx.event
    def dismiss_notice(self) -> None:
        """Hide the message (its close button, or when it has been shown long enough)."""
        self.notice = ""
        if self.notice_undo:
            self.notice_undo = False
        if self.notice_href:
            self.notice_href = ""

    @rx.event
    def show_unexpected_error(self) -> None:
        """What the person sees when an event handler failed unexpectedly (details are logged)."""
        self._notify("Something went wrong on our side. Please try again.", "error")

    # --- events --------------------------------------------------------------------------------

    @rx.event
    async def resume(
        self, browser_key: str, location: str = "/", typed_task: str = ""
    ) -> EventSpec | list[EventSpec] | None:
        """A private page not signed in on this socket: continue the browser's session.

        Sent by the page with the key from localStorage, its location and the new-task title
        typed but not submitted; without a valid key the tab goes to /login, comes back to
        that location afterwards, and shows the typed title again to the same person.
        """
        if self._leaving:
            self._leaving = False
            return (
                None  # logged out here: the tab is already on its way (`_signed_out`)
            )
        location = safe_next(location)
        key = browser_key if isinstance(browser_key, str) else ""
        signed_in = await _resumed(key)
        if signed_in is None:
            if (
                isinstance(typed_task, str)
                and typed_task.strip()
                and self._last_user_id
            ):
                self._keep_draft(typed_task[:TITLE_MAX], self._last_user_id)
            await self._forget_user_data()
            self._unbind()
            self._set_signed_in(False)
            return [
                rx.remove_local_storage(BROWSER_KEY_STORAGE),
                rx.redirect(login_href(location)),
            ]
        if signed_in.session_id != self._session_id:
            await self._forget_user_data()
        self._bind(signed_in)
        self._set_signed_in(True)
        # Static pages are served with a trailing slash ("/settings/").
        path = urlsplit(location).path
        loader = page_loader(path)
        return loader() if loader is not None else None

    @rx.event
    async def open_auth_page(self, browser_key: str = "") -> EventSpec | None:
        """On /login and /register: clear old errors; a browser already signed in goes on."""
        self.auth_error = ""
        self._leaving = False  # arrived
        key = browser_key if isinstance(browser_key, str) else ""
        signed_in = await _resumed(key) if key else None
        return None if signed_in is None else await self._sign_in(signed_in)

    @rx.event
    async def register(
        self, form_data: dict[str, Any], browser_key: str, time_zone: str = ""
    ) -> EventSpec | None:
        """Create an account from the register form (in the browser's time zone) and sign in."""
        self.auth_error = ""
        client = self._client()
        try:
            sessions.check_browser_key(browser_key)  # before the account exists
            data = UserCreate(
                name=form_text(form_data, "name"),
                email=form_text(form_data, "email"),
                password=form_text(form_data, "password"),
                timezone=accounts.timezone_or_default(
                    time_zone if isinstance(time_zone, str) else None
                ),
            )
            user = await accounts.sign_up(data, client=client)
            signed_in = await in_session(
                lambda session: sessions.start_browser_session(
                    session,
                    user_id=user.id,
                    browser_key=browser_key,
                    user_agent=self.router.headers.user_agent,
                    client=client,
                )
            )
        except (ValidationError, DomainError) as error:
            self.auth_error = error_message(error)
            return None
        return await self._sign_in(signed_in)

    @rx.event
    async def login(
        self, form_data: dict[str, Any], browser_key: str, time_zone: str = ""
    ) -> EventSpec | None:
        """Check the login form's credentials (rate limited per client) and sign in.

        An account still on the default zone (UTC) takes the browser's.
        """
        self.auth_error = ""
        try:
            data = UserLogin(
                email=form_text(form_data, "email"),
                password=form_text(form_data, "password"),
            )
            signed_in = await sessions.log_in_browser(
                email=data.email,
                password=data.password,
                browser_key=browser_key,
                client=self._client(),
                user_agent=self.router.headers.user_agent,
            )
        except (ValidationError, DomainError) as error:
            self.auth_error = error_message(error)
            return None
        zone = accounts.timezone_or_default(
            time_zone if isinstance(time_zone, str) else None
        )
        await in_session(
            lambda session: accounts.adopt_browser_timezone(
                session, user_id=signed_in.user.id, timezone=zone
            )
        )
        return await self._sign_in(signed_in)

    @rx.event
    async def logout(self) -> list[EventSpec]:
        """End this browser's session on the server; its other tabs follow."""
        user_id, session_id = self._user_id, self._session_id
        if session_id:
            try:
                await in_session(
                    lambda session: sessions.end_session(
                        session, user_id=user_id, session_id=session_id
                    )
                )
            except NotFound:
                pass  # it had already ended: logged out is what was asked for
        return await self._signed_out("/login")

    async def _signed_out(self, destination: str) -> list[EventSpec]:
        """This browser's session is gone: forget the tab's data and key, go to `destination`.

        The page's frame shows its session check as soon as `signed_in` is off, and that
        check asks to resume: `resume` then knows the tab is already on its way.
        """
        await self._forget_user_data()
        # An error stays until dismissed: it must not greet the next page (or person).
        self.dismiss_notice()
        self._unbind()
        self.signed_in = False
        self._leaving = True
        return [
            rx.remove_local_storage(BROWSER_KEY_STORAGE),
            rx.redirect(destination),
        ]


def _path_only(url: str) -> str:
    """A page's path without its query or a trailing "/": "/inbox?q=milk" is "/inbox"."""
    return url.split("?", 1)[0].rstrip("/") or "/"


def unexpected_error_notice(exception: Exception) -> EventSpec:
    """Reflex's handler of exceptions in event handlers: log them, tell the person calmly.

    Reflex's default answers with a toast sent as a script, which the page's policy blocks.
    """
    logger.error("an event handler failed", exc_info=exception)
    return AuthState.show_unexpected_error()
