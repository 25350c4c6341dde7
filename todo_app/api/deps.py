"""Dependencies of the routes: the caller (bearer token) and the client's address.

Routes are async and do all of a request's database work in one `run_in_session` hop (see
todo_app.db): a thread never holds a pooled connection while it waits for another hop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from todo_app.db import run_in_session
from todo_app.errors import InvalidToken
from todo_app.models import User
from todo_app.services import sessions

T = TypeVar("T")

# auto_error=False: a missing token raises our InvalidToken, so every 401 looks the same.
bearer_token = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


@dataclass(frozen=True)
class Caller:
    """Whoever sent the request, known by a bearer token that is checked with the work."""

    token: str | None

    async def run(self, work: Callable[[Session, User], T]) -> T:
        """Run `work(session, user)` for the token's user, in one session and thread hop."""
        token = self.token

        def as_user(session: Session) -> T:
            if not token:
                raise InvalidToken("Not authenticated")
            return work(session, sessions.user_for_token(session, token=token))

        return await run_in_session(as_user)


async def get_caller(token: Annotated[str | None, Depends(bearer_token)]) -> Caller:
    """The request's caller; the token is verified when the caller's work runs."""
    return Caller(token=token)


CallerDep = Annotated[Caller, Depends(get_caller)]


async def get_client_host(request: Request) -> str:
    """The socket peer address: X-Forwarded-For is ignored, because anyone can send it."""
    return request.client.host if request.client else ""


ClientHost = Annotated[str, Depends(get_client_host)]
