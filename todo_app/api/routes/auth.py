"""Accounts and tokens: register, log in, read, rename and delete yourself, change password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from todo_app.api.deps import CallerDep, ClientHost
from todo_app.api.schemas import TokenResponse, error_responses
from todo_app.models import (
    PasswordChange,
    User,
    UserCreate,
    UserLogin,
    UserPublic,
    UserUpdate,
)
from todo_app.services import accounts, sessions

router = APIRouter(prefix="/api/auth", tags=["auth"])


def _user_public(user: User) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(409, 413, 422, 503),
)
async def register(data: UserCreate) -> UserPublic:
    """Create an account. The email is stored in lower case and must be unused.

    `timezone` (an IANA name, default UTC) decides which day is "today" for your tasks.
    """
    return _user_public(await accounts.sign_up(data))


@router.post("/login", responses=error_responses(401, 413, 422, 429, 503))
async def login(data: UserLogin, client: ClientHost) -> TokenResponse:
    """Exchange email and password for a bearer token.

    After 10 failed attempts for one account from one client within 15 minutes, further
    attempts get 429 until the oldest of them is 15 minutes old.
    """
    issued = await sessions.log_in(
        email=data.email, password=data.password, client=client
    )
    return TokenResponse(access_token=issued.access_token, expires_in=issued.expires_in)


@router.post("/token", responses=error_responses(401, 413, 422, 429, 503))
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], client: ClientHost
) -> TokenResponse:
    """The same login as an OAuth2 password form (`username` is the email), for /docs."""
    issued = await sessions.log_in(
        email=form.username, password=form.password, client=client
    )
    return TokenResponse(access_token=issued.access_token, expires_in=issued.expires_in)


@router.get("/me", responses=error_responses(401, 503))
async def read_me(caller: CallerDep) -> UserPublic:
    """The account the token belongs to."""
    return await caller.run(lambda _session, user: _user_public(user))


@router.patch("/me", responses=error_responses(401, 413, 422, 503))
async def update_me(data: UserUpdate, caller: CallerDep) -> UserPublic:
    """Change your display name (empty or null removes it) and/or your IANA time zone."""
    return await caller.run(
        lambda session, user: _user_public(
            accounts.update_profile(session, user_id=user.id, data=data)
        )
    )


@router.delete(
    "/me",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 503),
)
async def delete_me(caller: CallerDep) -> None:
    """Delete your account and all your tasks; your tokens stop working."""
    await caller.run(
        lambda session, user: accounts.delete_account(session, user_id=user.id)
    )


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400, 401, 413, 422, 503),
)
async def change_password(data: PasswordChange, caller: CallerDep) -> None:
    """Set a new password; every token issued before stops working (log in again)."""
    user_id = await caller.run(lambda _session, user: user.id)
    await accounts.change_password(user_id=user_id, data=data)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 503),
)
async def logout_everywhere(caller: CallerDep) -> None:
    """Log out everywhere: every token issued so far, this one included, stops working."""
    await caller.run(
        lambda session, user: sessions.revoke_tokens(session, user_id=user.id)
    )
