"""The settings page: the user's name, time zone, password, personal access tokens, and
account deletion."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

import reflex as rx
from pydantic import ValidationError
from reflex.event import EventSpec
from sqlmodel import Session

from todo_app.errors import DomainError, InvalidFile
from todo_app.models import (
    AccessToken,
    AccessTokenCreate,
    PasswordChange,
    User,
    UserSession,
    UserUpdate,
    utcnow,
)
from todo_app.services import (
    access_tokens,
    accounts,
    calendar_feed,
    sessions,
    transfer,
)
from todo_app.state.auth import AuthState
from todo_app.state.common import error_message
from todo_app.state.forms import describe_user_agent, form_text
from todo_app.state.live import hub
from todo_app.state.readable_dates import time_ago
from todo_app.state.tasks import TaskState

T = TypeVar("T")

# Each section of the page shows its own errors.
Section = Literal[
    "profile_error",
    "timezone_error",
    "password_error",
    "delete_error",
    "sessions_error",
    "tokens_error",
    "calendar_error",
    "transfer_error",
]
# The id of the import's file picker (rx.upload), which the Import button reads.
IMPORT_UPLOAD_ID = "import-file"
EXPORT_MEDIA_TYPES = {"json": transfer.JSON_TYPE, "csv": transfer.CSV_TYPE}
# How many skipped lines the summary names; the rest are counted.
SKIPPED_SHOWN_MAX = 3
# What the expiry choice of a new token means, in days ("never": no expiry).
TOKEN_EXPIRY_DAYS: dict[str, int | None] = {
    "30": 30,
    "90": 90,
    "365": 365,
    "never": None,
}


def value_in_page(element_id: str) -> rx.Var[str]:
    """The text of the page's input `element_id`, read in the browser when an event fires:
    for secrets the server puts into the page (rx.set_value) without keeping them in state."""
    return rx.Var(
        f"(document.getElementById('{element_id}')?.value ?? '')", _var_type=str
    )


# The read-only input that shows a personal access token just made, and what Copy reads.
NEW_TOKEN_ID = "new-token"
NEW_TOKEN_IN_PAGE = value_in_page(NEW_TOKEN_ID)
# The read-only input that shows the calendar feed's URL. The URL opens the feed, so it is put
# into the page (rx.set_value) and never kept in the tab's state, which may live in Redis.
CALENDAR_URL_ID = "calendar-url"
# What the Copy button puts on the clipboard: the input's text, read in the browser.
CALENDAR_URL_IN_PAGE = value_in_page(CALENDAR_URL_ID)


@dataclasses.dataclass
class SessionRow:
    """One signed-in browser or API client, as the sessions list shows it."""

    id: str
    device: str
    client: str
    # "Signed in 2 days ago" and "Active now" / "Active 3 hours ago": one browser signing in
    # twice makes two rows of the same device, told apart by when.
    signed_in: str
    last_active: str
    # The exact times in the user's zone, for the row's tooltip.
    times: str
    current: bool


def session_row(
    row: UserSession, current_id: str, timezone: str, now: datetime
) -> SessionRow:
    """The list entry of a session, its times relative to `now` in the user's zone."""
    # "Last seen" is written only every LAST_SEEN_RESOLUTION, so within it a session is in use.
    in_use = now - row.last_seen_at < sessions.LAST_SEEN_RESOLUTION
    return SessionRow(
        id=row.id,
        device=describe_user_agent(row.user_agent),
        client=row.client or "unknown address",
        signed_in="Signed in " + time_ago(row.created_at, now, timezone),
        last_active="Active now"
        if in_use
        else "Active " + time_ago(row.last_seen_at, now, timezone),
        times=(
            f"Signed in {_local(row.created_at, timezone, absent='')}; "
            f"last active {_local(row.last_seen_at, timezone, absent='')}"
        ),
        current=row.id == current_id,
    )


def session_rows(
    rows: list[UserSession], current_id: str, timezone: str, now: datetime
) -> list[SessionRow]:
    """The sessions list: this browser first, then the most recently active."""
    shown = [session_row(row, current_id, timezone, now) for row in rows]
    return sorted(shown, key=lambda row: not row.current)


@dataclasses.dataclass
class TokenRow:
    """One personal access token, as the tokens list shows it (never the secret)."""

    id: int
    name: str
    scope: str
    created: str
    expires: str
    last_used: str
    expired: bool


def _local(moment: datetime | None, timezone: str, *, absent: str) -> str:
    if moment is None:
        return absent
    return moment.astimezone(ZoneInfo(timezone)).strftime("%-d %b %Y, %H:%M")


def token_row(row: AccessToken, timezone: str, now: datetime) -> TokenRow:
    """The list entry of a token, its times in the user's zone."""
    return TokenRow(
        id=row.id or 0,
        name=row.name,
        scope=row.scope.value,
        created=_local(row.created_at, timezone, absent=""),
        expires=_local(row.expires_at, timezone, absent="never"),
        last_used=_local(row.last_used_at, timezone, absent="never"),
        expired=row.expires_at is not None and row.expires_at <= now,
    )


class SettingsState(AuthState):
    """The signed-in user's own profile, loaded after the user check."""

    name: str = ""
    email: str = ""
    profile_error: str = ""
    password_error: str = ""
    delete_error: str = ""
    sessions_error: str = ""
    confirming_delete: bool = False
    sessions: list[SessionRow] = rx.field(default_factory=list)
    # The IANA zone whose calendar decides "today" for the user's tasks.
    timezone: str = ""
    timezone_error: str = ""
    tokens: list[TokenRow] = rx.field(default_factory=list)
    tokens_error: str = ""
    # Whether the token just made is on screen, until "Done" (or the page is left): it is
    # never shown again. Its text goes straight into the page (NEW_TOKEN_ID), never into this
    # state, which may live in Redis.
    new_token_shown: bool = False
    # The token whose revocation waits for a confirmation (0: none).
    revoking_token_id: int = 0
    revoking_token_name: str = ""
    calendar_error: str = ""
    # Whether the input holds the feed's URL (the URL itself is not kept, see CALENDAR_URL_ID).
    calendar_url_shown: bool = False
    confirming_new_calendar_url: bool = False
    transfer_error: str = ""
    # What the last import did ("312 tasks imported; 3 lines skipped: ...").
    import_summary: str = ""
    importing: bool = False

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
        return result

    @rx.event
    async def load_settings(self) -> EventSpec | None:
        """On load: check the user, then show their profile, time zone and sessions."""
        self.password_error = self.delete_error = self.sessions_error = ""
        self.timezone_error = self.calendar_error = ""
        self.confirming_delete = self.confirming_new_calendar_url = False
        self.calendar_url_shown = False
        current, now = self._session_id, utcnow()

        def read(
            session: Session, user: User
        ) -> tuple[int, str, str, str, list[SessionRow]]:
            rows = sessions.list_sessions(session, user_id=user.id, now=now)
            return (
                user.id,
                *_name_and_email(user),
                user.timezone,
                session_rows(rows, current, user.timezone, now),
            )

        shown = await self._run("profile_error", read)
        if shown is None or isinstance(shown, EventSpec):
            return shown
        owner_id, self.name, self.email, self.timezone, self.sessions = shown
        self.new_token_shown = False
        self.revoking_token_id = 0
        await self._reload_tokens()
        hub.watch(owner_id, self.router.session.client_token, SettingsState)
        return None

    async def _apply_live_change(self, user_id: int) -> None:
        """Settings and its sidebar follow what changed elsewhere (the live hub): projects,
        and the sessions (a sign-in or a log-out on another device)."""
        page = await self.get_state(TaskState)
        await page._load_projects()
        await self._reload_sessions()
        if not self.signed_in:
            hub.forget(self.router.session.client_token)

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
        """Set a new password; every other session of the account ends, this one stays."""
        user_id = await self._run("password_error", lambda _session, user: user.id)
        if user_id is None or isinstance(user_id, EventSpec):
            return user_id
        try:
            data = PasswordChange(
                current_password=form_text(form_data, "current_password"),
                new_password=form_text(form_data, "new_password"),
            )
            # bcrypt runs between transactions, so this is not one hop (services.accounts).
            await accounts.change_password(
                user_id=user_id,
                data=data,
                client=self._client(),
                keeping_session=self._session_id,
            )
        except (ValidationError, DomainError) as error:
            self.password_error = error_message(error)
            return None
        self._notify("Password changed; you were logged out everywhere else", "success")
        await self._reload_sessions()
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
    async def delete_account(
        self, form_data: dict[str, Any]
    ) -> EventSpec | list[EventSpec] | None:
        """Delete the account and every task of it once its password is confirmed."""
        user_id = await self._run("delete_error", lambda _session, user: user.id)
        if user_id is None or isinstance(user_id, EventSpec):
            return user_id
        try:
            await accounts.delete_account_confirmed(
                user_id=user_id,
                password=form_text(form_data, "password"),
                client=self._client(),
            )
        except DomainError as error:
            # Shown in the dialog, which stays open for another try.
            self.delete_error = error_message(error)
            return None
        self.confirming_delete = False
        return await self._signed_out("/register")

    # --- calendar feed --------------------------------------------------------------------

    def _show_calendar_url(self, url: str | EventSpec | None) -> EventSpec | None:
        if not isinstance(url, str):
            return url
        self.calendar_url_shown = True
        return rx.set_value(CALENDAR_URL_ID, url)

    @rx.event
    async def show_calendar_url(self) -> EventSpec | None:
        """Put the private calendar feed URL into its input, making it on first use."""
        url = await self._run(
            "calendar_error",
            lambda session, user: calendar_feed.calendar_url(session, user_id=user.id),
        )
        return self._show_calendar_url(url)

    @rx.event
    def calendar_url_copied(self) -> None:
        """Confirm that the Copy button put the URL on the clipboard."""
        self._notify("Calendar link copied", "success")

    @rx.event
    def ask_new_calendar_url(self) -> None:
        """Open the confirmation of replacing the calendar feed URL."""
        self.calendar_error = ""
        self.confirming_new_calendar_url = True

    @rx.event
    def cancel_new_calendar_url(self) -> None:
        """Close the confirmation, keeping the current URL."""
        self.confirming_new_calendar_url = False

    @rx.event
    async def new_calendar_url(self) -> EventSpec | None:
        """Replace the calendar feed URL; calendars subscribed to the old one stop updating."""
        self.confirming_new_calendar_url = False
        url = await self._run(
            "calendar_error",
            lambda session, user: calendar_feed.rotate_calendar_url(
                session, user_id=user.id
            ),
        )
        shown = self._show_calendar_url(url)
        if isinstance(url, str):
            self._notify(
                "New calendar link made; the old one no longer works", "success"
            )
        return shown

    # --- import and export ----------------------------------------------------------------

    @rx.event
    async def export_tasks(self, file_format: str) -> EventSpec | None:
        """Download every task of the user: "json" (a full backup) or "csv" (the tasks)."""
        if file_format not in EXPORT_MEDIA_TYPES:
            return None
        now = utcnow()

        def export(session: Session, user: User) -> bytes:
            if file_format == "csv":
                return transfer.export_csv(session, owner_id=user.id).encode("utf-8")
            return transfer.export_json(session, owner_id=user.id, now=now)

        data = await self._run("transfer_error", export)
        if not isinstance(data, bytes):
            return data
        # Built here and sent over the websocket: the browser holds no bearer token that
        # could fetch GET /api/export itself.
        return rx.download(
            data=data,
            filename=f"todo_app-export-{now:%Y-%m-%d}.{file_format}",
            mime_type=EXPORT_MEDIA_TYPES[file_format],
        )

    @rx.event
    async def import_tasks(self, files: list[rx.UploadFile]) -> AsyncIterator[None]:
        """Import the chosen file (this app's JSON export or Todoist's CSV) and summarise."""
        self.transfer_error = self.import_summary = ""
        if not files:
            self.transfer_error = "Choose a file to import first"
            return
        upload = files[0]
        name = (upload.name or upload.filename or "").lower()
        body = await upload.read()
        if len(body) > transfer.IMPORT_BYTES_MAX:
            self.transfer_error = "The file is larger than 10 MiB: split it"
            return
        content_type = (
            transfer.CSV_TYPE if name.endswith(".csv") else transfer.JSON_TYPE
        )
        self.importing = True
        yield
        try:
            result = await self._as_user(
                lambda session, user: transfer.import_file(
                    session, owner_id=user.id, body=body, content_type=content_type
                )
            )
        except InvalidFile as error:
            self.transfer_error = file_problems(error)
        except (ValidationError, DomainError) as error:
            self.transfer_error = error_message(error)
        else:
            if result is None:  # signed out meanwhile: the page sends the tab to log in
                self.transfer_error = "Sign in again to import"
            else:
                self.import_summary = import_summary(result)
        finally:
            self.importing = False

    # --- sessions -------------------------------------------------------------------------

    async def _reload_sessions(self) -> None:
        current, now = self._session_id, utcnow()
        rows = await self._run(
            "sessions_error",
            lambda session, user: session_rows(
                sessions.list_sessions(session, user_id=user.id, now=now),
                current,
                user.timezone,
                now,
            ),
        )
        if isinstance(rows, list):
            self.sessions = rows

    @rx.event
    async def end_session(self, session_id: str) -> EventSpec | list[EventSpec] | None:
        """Log one of the account's sessions out (this browser's too, if it is the one)."""

        def end(session: Session, user: User) -> int:
            sessions.end_session(session, user_id=user.id, session_id=session_id)
            return user.id

        ended = await self._run("sessions_error", end)
        if ended is None or isinstance(ended, EventSpec):
            return ended
        if session_id == self._session_id:
            return await self._signed_out("/login")
        self._notify("That session was logged out", "success")
        await self._reload_sessions()
        return None

    @rx.event
    async def end_all_sessions(self) -> EventSpec | list[EventSpec] | None:
        """Log out everywhere, this browser included."""

        def end_all(session: Session, user: User) -> int:
            sessions.end_all_sessions(session, user_id=user.id)
            return user.id

        ended = await self._run("sessions_error", end_all)
        if ended is None or isinstance(ended, EventSpec):
            return ended
        return await self._signed_out("/login")

    # --- personal access tokens -------------------------------------------------------------

    async def _reload_tokens(self) -> None:
        now = utcnow()
        rows = await self._run(
            "tokens_error",
            lambda session, user: [
                token_row(row, user.timezone, now)
                for row in access_tokens.list_tokens(session, owner_id=user.id)
            ],
        )
        if isinstance(rows, list):
            self.tokens = rows

    @rx.event
    async def create_token(
        self, form_data: dict[str, Any]
    ) -> EventSpec | list[EventSpec] | None:
        """Make a token from the form (name, scope, expiry) and show it this once."""
        self.new_token_shown = False
        try:
            data = AccessTokenCreate(
                name=form_text(form_data, "name"),
                scope=form_text(form_data, "scope") or "read",
                expires_in_days=TOKEN_EXPIRY_DAYS.get(
                    form_text(form_data, "expires"), 90
                ),
            )
        except ValidationError as error:
            self.tokens_error = error_message(error)
            return None
        created = await self._run(
            "tokens_error",
            lambda session, user: (
                access_tokens.create_token(session, owner_id=user.id, data=data).token
            ),
        )
        if created is None or isinstance(created, EventSpec):
            return created
        self.new_token_shown = True
        # A message still on screen ("Time zone set to ...") sits over the one-time box's
        # buttons at the bottom of the window, and waits there while the pointer is on it.
        self.dismiss_notice()
        await self._reload_tokens()
        return [rx.set_value(NEW_TOKEN_ID, created), rx.set_value("token-name", "")]

    @rx.event
    def token_copied(self) -> None:
        """Confirm that the new token went to the clipboard."""
        self._notify("Token copied", "success")

    @rx.event
    def dismiss_new_token(self) -> EventSpec:
        """Hide the new token for good (and take it out of the page)."""
        self.new_token_shown = False
        return rx.set_value(NEW_TOKEN_ID, "")

    @rx.event
    def ask_revoke_token(self, token_id: int) -> None:
        """Open the confirmation of revoking one token."""
        shown = next((row for row in self.tokens if row.id == token_id), None)
        self.tokens_error = ""
        self.revoking_token_id = shown.id if shown else 0
        self.revoking_token_name = shown.name if shown else ""

    @rx.event
    def cancel_revoke_token(self) -> None:
        """Close the confirmation, keeping the token."""
        self.revoking_token_id = 0

    @rx.event
    async def revoke_token(self) -> EventSpec | None:
        """Revoke the token being confirmed; it stops working at once."""
        token_id, self.revoking_token_id = self.revoking_token_id, 0
        if not token_id:
            return None

        def revoke(session: Session, user: User) -> int:
            access_tokens.revoke_token(session, owner_id=user.id, token_id=token_id)
            return token_id

        revoked = await self._run("tokens_error", revoke)
        if revoked is None or isinstance(revoked, EventSpec):
            return revoked
        self._notify(f"Token “{self.revoking_token_name}” revoked", "success")
        await self._reload_tokens()
        return None


def _lines(entries: list[dict[str, Any]]) -> str:
    shown = "; ".join(
        f"line {entry['line']}: {entry['reason']}"
        for entry in entries[:SKIPPED_SHOWN_MAX]
    )
    more = len(entries) - SKIPPED_SHOWN_MAX
    return f"{shown}; and {more} more" if more > 0 else shown


def import_summary(result: transfer.ImportResult) -> str:
    """What an import did, in one sentence: "312 tasks imported; 3 lines skipped: ..."."""
    done = f"{result.tasks} task{'s' if result.tasks != 1 else ''} imported"
    if not result.skipped:
        return done
    count = len(result.skipped)
    return f"{done}; {count} line{'s' if count != 1 else ''} skipped: {_lines(result.skipped)}"


def file_problems(error: InvalidFile) -> str:
    """Why a file was refused, with its lines."""
    return f"Nothing was imported. {_lines(error.problems)}"


def _name_and_email(user: User) -> tuple[str, str]:
    return user.name or "", user.email
