"""Dependencies of the routes: the database session, the authenticated user, the client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from todo_app.db import session_scope
from todo_app.errors import InvalidToken
from todo_app.models import User
from todo_app.services import auth

# auto_error=False: a missing token raises our InvalidToken, so every 401 looks the same.
bearer_token = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def get_session() -> Iterator[Session]:
    """One session per request, committed before the response goes out."""
    with session_scope() as session:
        yield session


# scope="function": the commit (and any error it raises) happens before the response is sent.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_current_user(
    session: SessionDep, token: Annotated[str | None, Depends(bearer_token)]
) -> User:
    """The user the bearer token belongs to, or InvalidToken."""
    if not token:
        raise InvalidToken("Not authenticated")
    return auth.user_for_token(session, token=token)


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_client_host(request: Request) -> str:
    """The socket peer address: X-Forwarded-For is ignored, because anyone can send it."""
    return request.client.host if request.client else ""


ClientHost = Annotated[str, Depends(get_client_host)]
