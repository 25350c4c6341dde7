"""Accounts and sessions: register, log in and out, read, rename and delete yourself, password."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlmodel import Session

from todo_app.api.deps import CallerDep, ClientHost, UserAgent
from todo_app.api.schemas import TokenResponse, error_responses
from todo_app.models import (
    SESSION_ID_MAX,
    AccountDeletion,
    PasswordChange,
    SessionPublic,
    TokenScope,
    User,
    UserCreate,
    UserLogin,
    UserPublic,
    UserSession,
    UserUpdate,
)
from todo_app.services import accounts, sessions

router = APIRouter(prefix="/api/auth", tags=["auth"])


def _user_public(user: User) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


def _session_public(row: UserSession, current_id: str) -> SessionPublic:
    return SessionPublic.model_validate(
        {**row.model_dump(), "current": row.id == current_id}
    )


def _no_content(route: Callable[..., Any], path: str, *codes: int) -> Any:
    """The decorator of a route that answers 204 with an empty body (and these errors)."""
    return route(
        path,
        status_code=status.HTTP_204_NO_CONTENT,
        response_class=Response,
        responses=error_responses(*codes),
    )


async def _log_in(
    email: str, password: str, client: str, user_agent: str
) -> TokenResponse:
    issued = await sessions.log_in(
        email=email, password=password, client=client, user_agent=user_agent
    )
    return TokenResponse(access_token=issued.access_token, expires_in=issued.expires_in)


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(409, 413, 422, 429, 503),
)
async def register(data: UserCreate, client: ClientHost) -> UserPublic:
    """Create an account. The email is stored in lower case and must be unused.

    `timezone` (an IANA name, default UTC) decides which day is "today" for your tasks.
    Each client address may try this a limited number of times an hour (429 after that,
    also for emails that are taken, so probing which emails have accounts stays slow).
    """
    return _user_public(await accounts.sign_up(data, client=client))


@router.post("/login", responses=error_responses(401, 413, 422, 429, 503))
async def login(
    data: UserLogin, client: ClientHost, user_agent: UserAgent
) -> TokenResponse:
    """Exchange email and password for a bearer token of a new session.

    After repeated failures for one account from one client address, that pair waits longer
    and longer between attempts (429 with `Retry-After`); other addresses are not affected.
    """
    return await _log_in(data.email, data.password, client, user_agent)


@router.post("/token", responses=error_responses(401, 413, 422, 429, 503))
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    client: ClientHost,
    user_agent: UserAgent,
) -> TokenResponse:
    """The same login as an OAuth2 password form (`username` is the email), for /docs."""
    return await _log_in(form.username, form.password, client, user_agent)


@router.get("/me", responses=error_responses(401, 503))
async def read_me(caller: CallerDep) -> UserPublic:
    """The account the token belongs to."""
    return await caller.run(
        lambda _session, user: _user_public(user), personal_token=TokenScope.read
    )


@router.patch("/me", responses=error_responses(401, 413, 422, 503))
async def update_me(data: UserUpdate, caller: CallerDep) -> UserPublic:
    """Change your display name (empty or null removes it) and/or your IANA time zone."""
    return await caller.run(
        lambda session, user: _user_public(
            accounts.update_profile(session, user_id=user.id, data=data)
        )
    )


@_no_content(router.delete, "/me", 401, 403, 413, 422, 429, 503)
async def delete_me(
    data: AccountDeletion, caller: CallerDep, client: ClientHost
) -> None:
    """Delete your account and all your tasks, confirmed by your password; every session ends."""
    user_id = await caller.run(lambda _session, user: user.id)
    await accounts.delete_account_confirmed(
        user_id=user_id, password=data.password, client=client
    )


@_no_content(router.post, "/password", 400, 401, 413, 422, 429, 503)
async def change_password(
    data: PasswordChange, caller: CallerDep, client: ClientHost
) -> None:
    """Set a new password; every session ends, this one included (log in again).

    A wrong current password counts like a failed login.
    """
    user_id = await caller.run(lambda _session, user: user.id)
    await accounts.change_password(user_id=user_id, data=data, client=client)


@_no_content(router.post, "/logout", 401, 422, 503)
async def logout(
    caller: CallerDep,
    everywhere: Annotated[
        bool, Query(description="End every session of the account, not only this one")
    ] = False,
) -> None:
    """End this session (its token stops working at once), or every session."""

    def end(session: Session, signed_in: sessions.SignedIn) -> None:
        if everywhere:
            sessions.end_all_sessions(session, user_id=signed_in.user.id)
        else:
            sessions.end_session(
                session, user_id=signed_in.user.id, session_id=signed_in.session_id
            )

    await caller.run_signed_in(end)


@router.get("/sessions", responses=error_responses(401, 503))
async def list_sessions(caller: CallerDep) -> list[SessionPublic]:
    """Your signed-in sessions (browsers and API clients), most recently used first."""
    return await caller.run_signed_in(
        lambda session, signed_in: [
            _session_public(row, signed_in.session_id)
            for row in sessions.list_sessions(session, user_id=signed_in.user.id)
        ]
    )


@_no_content(router.delete, "/sessions/{session_id}", 401, 404, 422, 503)
async def end_session(
    session_id: Annotated[
        str, Path(min_length=1, max_length=SESSION_ID_MAX, pattern=r"^[A-Za-z0-9_-]+$")
    ],
    caller: CallerDep,
) -> None:
    """End one of your sessions; its token stops working at once."""
    await caller.run(
        lambda session, user: sessions.end_session(
            session, user_id=user.id, session_id=session_id
        )
    )
